import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CorsOrigins } from '../config/cors';

/** What a browser may send cross-origin: credentials go in headers (bearer, API key), never in cookies. */
const ALLOWED_HEADERS = [
  'authorization',
  'content-type',
  'x-api-key',
  'x-request-id',
  'apollo-require-preflight',
  'x-apollo-operation-name',
].join(', ');
const METHODS = 'GET, POST, OPTIONS';

/**
 * CORS for /graphql: an allowed `Origin` gets `Access-Control-Allow-Origin` (its own origin, or `*` when
 * CORS_ORIGINS=*); any other gets no CORS headers, so the browser keeps the answer from the page. A preflight
 * (OPTIONS) is answered here with 204; returns true when it was.
 */
export function corsHandler(policy: CorsOrigins) {
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    const origin = req.headers.origin;
    const allowed = origin !== undefined && (policy.any || policy.origins.includes(origin));
    // A listed origin is echoed back, so caches must key answers by Origin.
    if (!policy.any && policy.origins.length > 0) res.setHeader('vary', 'Origin');
    if (allowed) {
      res.setHeader('access-control-allow-origin', policy.any ? '*' : origin);
      res.setHeader('access-control-expose-headers', 'x-request-id, retry-after');
    }
    if (req.method !== 'OPTIONS') return false;
    if (allowed) {
      res.setHeader('access-control-allow-methods', METHODS);
      res.setHeader('access-control-allow-headers', ALLOWED_HEADERS);
      res.setHeader('access-control-max-age', '600');
    }
    res.setHeader('allow', METHODS);
    res.writeHead(204);
    res.end();
    return true;
  };
}
