import http from 'node:http';
import { isIPv6, type AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
} from '@apollo/server/plugin/disabled';
import type { GraphQLFormattedError, GraphQLSchema } from 'graphql';
import { authenticate } from '../auth/authenticate';
import { requestContext, type AppServices, type RequestContext } from '../context';
import { formatError } from '../errors-format';
import { inRequest, logger, requestIdFrom } from '../lib/logger';
import { metricsPlugin } from '../observability/apollo-metrics';
import { poolCounts } from '../observability/db-pool';
import { countPool } from '../observability/metrics';
import { startGraphqlWs } from './graphql-ws';
import { GRAPHQL_PATH, graphqlHttpHandler } from './http-handler';
import { SocketCredentials } from './socket-credentials';
import { opsRoutes, type Route } from './ops-routes';
import { pageRoute } from './web-routes';
import { Admission, withHttpStatus } from './limits/admission';
import { limitsPlugin } from './limits/apollo-plugin';
import { readAnswersPlugin } from './read-answers/plugin';
import { assertWeightsMatch } from './limits/cost';
import { operationGuard, tokenLimitError, withoutSuggestions } from './limits/operation-limits';
import { RateLimiter } from './limits/rate-limits';

export interface RunningServer {
  url: string;
  wsUrl: string;
  httpServer: http.Server;
  stop(): Promise<void>;
}

const logUnexpected = (error: unknown) => logger.error({ err: error }, 'unexpected error');

function headerValue(value: string | string[] | undefined): string | null {
  return Array.isArray(value) ? (value[0] ?? null) : (value ?? null);
}

/** The address a local client reaches the server at: loopback when it listens on every interface. */
function urlHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return isIPv6(host) ? `[${host}]` : host;
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
  const { config } = services;
  const guard = operationGuard(config.limits.operation, {
    introspection: config.introspection,
    suggestions: config.suggestions,
  });
  assertWeightsMatch(schema);
  const limiter = await RateLimiter.create(config.limits.rate, config.redisUrl, config.redisPrefix);
  const admission = new Admission(guard, limiter, schema);
  const format = (formatted: GraphQLFormattedError, error: unknown) => {
    const limitError = tokenLimitError(formatted.message);
    const shown = formatError(formatted, limitError ?? error, logUnexpected);
    return guard.suggestions ? shown : { ...shown, message: withoutSuggestions(shown.message) };
  };

  // Idle keep-alive sockets stay open longer than clients keep them (undici 4 s, load balancers 60 s): a
  // server that closes first races a client reusing the socket, which then fails with ECONNRESET.
  const httpServer = http.createServer({ keepAliveTimeout: 65_000 });
  const credentials = new SocketCredentials(
    services.bus,
    services.apiKeys,
    services.config.wsCredentialRecheckMs,
  );
  credentials.start();
  const uncountPool = countPool(() => poolCounts(services.ds));
  const wsCleanup = startGraphqlWs(
    httpServer,
    services,
    schema,
    { admission, credentials, format },
    config.limits.transport,
  );

  const apollo = new ApolloServer<RequestContext>({
    schema,
    // Introspection is one of the validation rules (NoSchemaIntrospectionCustomRule), as over graphql-ws.
    introspection: true,
    includeStacktraceInErrorResponses: false,
    formatError: format,
    parseOptions: guard.parseOptions,
    validationRules: guard.validationRules,
    validationOptions: { maxErrors: guard.limits.maxErrors },
    plugins: [
      limitsPlugin(admission),
      readAnswersPlugin(schema),
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
              limiter.close();
            },
          };
        },
      },
    ],
  });
  await apollo.start();

  const contextFor = async (req: http.IncomingMessage): Promise<RequestContext> => {
    const presented = {
      authorization: headerValue(req.headers.authorization),
      apiKey: headerValue(req.headers['x-api-key']),
    };
    try {
      const { auth, principal } = await admission.admitRequest(
        req.socket.remoteAddress ?? 'unknown',
        Boolean(presented.authorization || presented.apiKey),
        () => authenticate(presented, services.tokens, services.apiKeys),
      );
      const context = requestContext(services, auth);
      admission.bind(context, principal);
      return context;
    } catch (error) {
      throw withHttpStatus(error);
    }
  };
  const routes: Route[] = [opsRoutes(services), ...extraRoutes, pageRoute()];
  const handler = graphqlHttpHandler(
    apollo,
    contextFor,
    { maxBodyBytes: config.limits.transport.maxBodyBytes, cors: config.corsOrigins },
    routes,
  );
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
    httpServer.listen(port, config.host, () => resolve());
  });
  const { port: bound } = httpServer.address() as AddressInfo;
  const origin = `${urlHost(config.host)}:${bound}`;
  return {
    url: `http://${origin}${GRAPHQL_PATH}`,
    wsUrl: `ws://${origin}${GRAPHQL_PATH}`,
    httpServer,
    async stop() {
      uncountPool();
      await apollo.stop();
    },
  };
}
