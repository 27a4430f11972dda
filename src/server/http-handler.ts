import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer } from '@apollo/server';
import type { CorsOrigins } from '../config/cors';
import type { RequestContext } from '../context';
import { corsHandler } from './cors';
import type { Route } from './ops-routes';

export const GRAPHQL_PATH = '/graphql';
class BodyTooLarge extends Error {}

async function readBody(req: IncomingMessage, maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) throw new BodyTooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

/**
 * Node's http server in front of Apollo: /graphql (GET and POST, CORS and its preflight), then each of
 * `routes` in order.
 */
export function graphqlHttpHandler(
  apollo: ApolloServer<RequestContext>,
  contextFor: (req: IncomingMessage) => Promise<RequestContext>,
  transport: { maxBodyBytes: number; cors: CorsOrigins },
  routes: Route[] = [],
) {
  const { maxBodyBytes } = transport;
  const cors = corsHandler(transport.cors);
  const tooLarge = (res: ServerResponse) => {
    // The rest of the body is never read: the connection closes after this answer.
    res.setHeader('connection', 'close');
    send(res, 413, {
      errors: [
        {
          message: `Request body larger than ${maxBodyBytes} bytes (MAX_BODY_BYTES)`,
          extensions: { code: 'BAD_REQUEST' },
        },
      ],
    });
  };
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== GRAPHQL_PATH) {
      for (const route of routes) if (await route(req, res, url.pathname)) return;
    }
    if (url.pathname !== GRAPHQL_PATH)
      return send(res, 404, { errors: [{ message: 'Not found: the API is at /graphql' }] });
    if (cors(req, res)) return;

    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    let body: unknown = undefined;
    if (req.method === 'POST') {
      if (Number(req.headers['content-length'] ?? 0) > maxBodyBytes) return tooLarge(res);
      let raw: string;
      try {
        raw = await readBody(req, maxBodyBytes);
      } catch (error) {
        if (error instanceof BodyTooLarge) return tooLarge(res);
        throw error;
      }
      try {
        body = raw === '' ? undefined : JSON.parse(raw);
      } catch {
        return send(res, 400, {
          errors: [{ message: 'Body is not valid JSON', extensions: { code: 'BAD_REQUEST' } }],
        });
      }
    }

    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: url.search, body },
      context: () => contextFor(req),
    });
    for (const [key, value] of response.headers) res.setHeader(key, value);
    res.statusCode = response.status ?? 200;
    if (response.body.kind === 'complete') {
      res.end(response.body.string);
      return;
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  };
}
