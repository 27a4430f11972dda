import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
} from '@apollo/server/plugin/disabled';
import {
  execute,
  subscribe,
  type GraphQLError,
  type GraphQLFormattedError,
  type GraphQLSchema,
} from 'graphql';
import type { Context as WsContext } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { authenticate } from '../auth/authenticate';
import type { Auth } from '../auth/viewer';
import { requestContext, type AppServices, type RequestContext } from '../context';
import { unauthenticated } from '../errors';
import { formatError } from '../errors-format';
import { inRequest, logger, requestIdFrom } from '../lib/logger';
import { metricsPlugin } from '../observability/apollo-metrics';
import { poolCounts } from '../observability/db-pool';
import { countPool, countSockets } from '../observability/metrics';
import { GRAPHQL_PATH, graphqlHttpHandler } from './http-handler';
import { SocketCredentials } from './socket-credentials';
import { opsRoutes, type Route } from './ops-routes';
import { pageRoute } from './web-routes';

export interface RunningServer {
  url: string;
  wsUrl: string;
  httpServer: http.Server;
  stop(): Promise<void>;
}

const logUnexpected = (error: unknown) => logger.error({ err: error }, 'unexpected error');
const format = (formatted: GraphQLFormattedError, error: unknown) =>
  formatError(formatted, error, logUnexpected);

function headerValue(value: string | string[] | undefined): string | null {
  return Array.isArray(value) ? (value[0] ?? null) : (value ?? null);
}

/**
 * Apollo Server over Node's http server, and graphql-ws on the same port and path. graphql-ws bypasses
 * Apollo, so it gets the same context, authentication and error formatting here.
 */
export async function startServer(
  services: AppServices,
  schema: GraphQLSchema,
  port: number,
  extraRoutes: Route[] = [],
): Promise<RunningServer> {
  // Idle keep-alive sockets stay open longer than clients keep them (undici 4 s, load balancers 60 s): a
  // server that closes first races a client reusing the socket, which then fails with ECONNRESET.
  const httpServer = http.createServer({ keepAliveTimeout: 65_000 });
  const wsServer = new WebSocketServer({ server: httpServer, path: GRAPHQL_PATH });
  const credentials = new SocketCredentials(
    services.bus,
    services.apiKeys,
    services.config.wsCredentialRecheckMs,
  );
  credentials.start();
  const connections = new Set<Pick<WsContext, 'subscriptions'>>();
  const uncountSockets = countSockets(() => {
    let subscriptions = 0;
    for (const ctx of connections) subscriptions += Object.keys(ctx.subscriptions).length;
    return { sockets: wsServer.clients.size, subscriptions };
  });
  const uncountPool = countPool(() => poolCounts(services.ds));
  const wsCleanup = useServer<Record<string, unknown>, { auth: Auth }>(
    {
      schema,
      onClose: (ctx) => void connections.delete(ctx),
      // Each operation on a socket is a request of its own, with its own id in the logs.
      execute: (args) => inRequest(randomUUID(), () => execute(args)),
      subscribe: (args) => inRequest(randomUUID(), () => subscribe(args)),
      onConnect: async (ctx) => {
        const params = ctx.connectionParams ?? {};
        const auth = await authenticate(
          {
            authorization: typeof params.authorization === 'string' ? params.authorization : null,
            apiKey: typeof params.apiKey === 'string' ? params.apiKey : null,
          },
          services.tokens,
          services.apiKeys,
        );
        // 1013 "try again later": the credentials may be fine, the database to check them is not.
        if (auth.error?.code === 'SERVICE_UNAVAILABLE') ctx.extra.socket.close(1013, auth.error.message);
        if (auth.error) return false;
        ctx.extra.auth = auth;
        credentials.watch(ctx.extra.socket, auth);
        connections.add(ctx);
        return true;
      },
      // The socket is being closed for expired or revoked credentials: nothing more runs on it.
      onSubscribe: (ctx) =>
        credentials.allows(ctx.extra.socket)
          ? undefined
          : [unauthenticated('Credentials expired or revoked')],
      context: (ctx) => requestContext(services, ctx.extra.auth ?? { viewer: null, error: null }),
      onNext: (_ctx, _id, _payload, _args, result) =>
        result.errors ? { ...result, errors: result.errors.map((e) => format(e.toJSON(), e)) } : undefined,
      onError: (_ctx, _id, _payload, errors: readonly GraphQLError[]) =>
        errors.map((e) => format(e.toJSON(), e)),
    },
    wsServer,
    10_000,
  );

  const apollo = new ApolloServer<RequestContext>({
    schema,
    introspection: true,
    includeStacktraceInErrorResponses: false,
    formatError: format,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      // No HTTP caching of an exchange's live data, no federation traces: both wrap every field resolver.
      ApolloServerPluginCacheControlDisabled(),
      ApolloServerPluginInlineTraceDisabled(),
      metricsPlugin<RequestContext>(),
      {
        async serverWillStart() {
          return {
            async drainServer() {
              credentials.stop();
              await wsCleanup.dispose();
            },
          };
        },
      },
    ],
  });
  await apollo.start();

  const contextFor = async (req: http.IncomingMessage): Promise<RequestContext> =>
    requestContext(
      services,
      await authenticate(
        {
          authorization: headerValue(req.headers.authorization),
          apiKey: headerValue(req.headers['x-api-key']),
        },
        services.tokens,
        services.apiKeys,
      ),
    );
  const routes: Route[] = [opsRoutes(services), ...extraRoutes, pageRoute()];
  const handler = graphqlHttpHandler(apollo, contextFor, routes);
  httpServer.on('request', (req, res) => {
    const requestId = requestIdFrom(headerValue(req.headers['x-request-id']));
    res.setHeader('x-request-id', requestId);
    inRequest(requestId, () =>
      handler(req, res).catch((error) => {
        logUnexpected(error);
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
          }),
        );
      }),
    );
  });

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(port, '0.0.0.0', () => resolve());
  });
  const { port: bound } = httpServer.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}${GRAPHQL_PATH}`,
    wsUrl: `ws://127.0.0.1:${bound}${GRAPHQL_PATH}`,
    httpServer,
    async stop() {
      uncountSockets();
      uncountPool();
      await apollo.stop();
    },
  };
}
