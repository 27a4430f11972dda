import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppServices } from '../context';
import { registry } from '../observability/metrics';
import { checkReadiness, databaseProbe, type Probe } from '../observability/readiness';
import { send } from './http-handler';

/** A route outside /graphql: answers and returns true, or returns false when the path is not its own. */
export type Route = (req: IncomingMessage, res: ServerResponse, pathname: string) => Promise<boolean>;

/**
 * Operations endpoints: `/healthz` (alias `/health`) says the process is up; `/readyz` that the database,
 * and Redis when configured, answered within READY_TIMEOUT_MS (else 503 with the failing check);
 * `/metrics` is the Prometheus exposition.
 */
export function opsRoutes(services: AppServices): Route {
  const probes: Record<string, Probe> = { database: databaseProbe(services.ds) };
  if (services.config.redisUrl) probes.redis = () => services.bus.ping() ?? Promise.resolve();
  return async (_req, res, pathname) => {
    switch (pathname) {
      case '/healthz':
      case '/health':
        send(res, 200, { status: 'ok' });
        return true;
      case '/readyz': {
        const readiness = await checkReadiness(probes, services.config.readyTimeoutMs);
        send(res, readiness.ready ? 200 : 503, {
          status: readiness.ready ? 'ready' : 'unavailable',
          checks: readiness.checks,
        });
        return true;
      }
      case '/metrics':
        res.writeHead(200, { 'content-type': registry.contentType });
        res.end(await registry.metrics());
        return true;
      default:
        return false;
    }
  };
}
