import type http from 'node:http';
import { randomUUID } from 'node:crypto';
import {
  execute,
  getOperationAST,
  GraphQLError,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type GraphQLFormattedError,
  type GraphQLSchema,
} from 'graphql';
import type { SubscribePayload, Context as WsContext } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { authenticate } from '../auth/authenticate';
import type { Auth } from '../auth/viewer';
import type { TransportLimits } from '../config/limits';
import { requestContext, type AppServices } from '../context';
import { ApiError, badRequest, unauthenticated } from '../errors';
import { inRequest, logger } from '../lib/logger';
import { countSockets } from '../observability/metrics';
import type { Admission } from './limits/admission';
import { LiveOperations } from './limits/live-operations';
import { MessageBudget } from './limits/message-budget';
import { capErrors, tokenLimitError } from './limits/operation-limits';
import type { Principal } from './limits/rate-limits';
import { GRAPHQL_PATH } from './http-handler';
import type { SocketCredentials } from './socket-credentials';
import { DocumentCache } from './document-cache';
import { subscribeWithPlans } from './event-executor';
import { bindEventSink, socketEventSink } from './event-sink';

type Format = (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;

/** graphql-ws closes with this when a principal has too many sockets or failed too many logins. */
const TOO_MANY = 4429;

/** Open sockets per principal on this instance. */
class ConnectionCounts {
  private readonly open = new Map<string, number>();
  constructor(private readonly max: number) {}
  acquire(key: string): boolean {
    const count = this.open.get(key) ?? 0;
    if (count >= this.max) return false;
    this.open.set(key, count + 1);
    return true;
  }
  release(key: string): void {
    const count = (this.open.get(key) ?? 1) - 1;
    if (count <= 0) this.open.delete(key);
    else this.open.set(key, count);
  }
}

const withCode = (error: GraphQLError, code: string) =>
  error instanceof ApiError
    ? error
    : new GraphQLError(error.message, {
        source: error.source,
        positions: error.positions,
        extensions: { code },
      });

/**
 * graphql-ws on the HTTP server's port and path. It bypasses Apollo, so the same authentication, limits,
 * context and error formatting are applied here: messages above MAX_BODY_BYTES close the socket (ws, 1009);
 * parse and validation errors, and refusals, come back as typed `error` messages on a socket that stays open.
 */
export function startGraphqlWs(
  httpServer: http.Server,
  services: AppServices,
  schema: GraphQLSchema,
  {
    admission,
    credentials: sockets,
    format,
  }: { admission: Admission; credentials: SocketCredentials; format: Format },
  limits: TransportLimits,
) {
  const { guard } = admission;
  const rules = [...specifiedRules, ...guard.validationRules];
  const connections = new ConnectionCounts(limits.wsMaxConnectionsPerPrincipal);
  const documents = new DocumentCache();
  const wsServer = new WebSocketServer({
    server: httpServer,
    path: GRAPHQL_PATH,
    maxPayload: limits.maxBodyBytes,
  });

  const parseOperation = (query: string): DocumentNode => {
    try {
      return parse(query, guard.parseOptions);
    } catch (error) {
      if (!(error instanceof GraphQLError)) throw error;
      throw tokenLimitError(error.message) ?? withCode(error, 'GRAPHQL_PARSE_FAILED');
    }
  };

  const open = new Set<Pick<WsContext, 'subscriptions'>>();
  const uncountSockets = countSockets(() => {
    let subscriptions = 0;
    for (const ctx of open) subscriptions += Object.keys(ctx.subscriptions).length;
    return { sockets: wsServer.clients.size, subscriptions };
  });

  const formatAll = (errors: readonly GraphQLError[]) =>
    capErrors(errors, guard.limits.maxErrors).errors.map((e) => format(e.toJSON(), e));

  /** Parse, validate and admit one operation: its execution arguments, or the errors that refuse it. */
  const admitOperation = async (
    principal: Principal | undefined,
    payload: SubscribePayload,
  ): Promise<ExecutionArgs | readonly GraphQLError[]> => {
    try {
      if (principal) await admission.limiter.take(principal, 1);
      const { document, errors } = documents.get(payload.query, () => {
        const parsed = parseOperation(payload.query);
        return {
          document: parsed,
          errors: validate(schema, parsed, rules, { maxErrors: guard.limits.maxErrors }),
        };
      });
      if (errors.length > 0) return errors.map((e) => withCode(e, 'GRAPHQL_VALIDATION_FAILED'));
      const operation = getOperationAST(document, payload.operationName);
      if (!operation)
        throw new GraphQLError('Unable to identify the operation to run (operationName)', {
          extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
        });
      await admission.admitOperation(
        principal,
        document,
        payload.variables ?? undefined,
        operation.name?.value,
      );
      return { schema, document, operationName: payload.operationName, variableValues: payload.variables };
    } catch (error) {
      if (error instanceof GraphQLError) return [error];
      throw error;
    }
  };
  /** graphql-ws's `onNext`: a result's errors formatted as every other error (nothing when it has none). */
  const formatResult = (result: ExecutionResult) =>
    result.errors ? { ...result, errors: formatAll(result.errors) } : undefined;
  const operations = new LiveOperations();
  // One error for every refusal: building a GraphQLError (its stack) was a fifth of a 10,000-subscribe burst.
  const tooManyOperations = [
    badRequest(
      `More than ${limits.wsMaxSubscriptionsPerConnection} operations on one socket (WS_MAX_SUBSCRIPTIONS)`,
    ),
  ];

  const server = useServer<Record<string, unknown>, { auth: Auth; principal: Principal }>(
    {
      schema,
      // Each operation on a socket is a request of its own, with its own id in the logs.
      execute: (args) => inRequest(randomUUID(), () => execute(args)),
      subscribe: (args) => inRequest(randomUUID(), () => subscribeWithPlans(args)),
      connectionInitWaitTimeout: limits.wsConnectionInitTimeoutMs,
      onConnect: async (ctx) => {
        const params = ctx.connectionParams ?? {};
        const credentials = {
          authorization: typeof params.authorization === 'string' ? params.authorization : null,
          apiKey: typeof params.apiKey === 'string' ? params.apiKey : null,
        };
        const ip = ctx.extra.request.socket.remoteAddress ?? 'unknown';
        let admitted: { auth: Auth; principal: Principal };
        try {
          admitted = await admission.admitRequest(
            ip,
            Boolean(credentials.authorization || credentials.apiKey),
            () => authenticate(credentials, services.tokens, services.apiKeys),
          );
        } catch (error) {
          if (!(error instanceof ApiError)) throw error;
          ctx.extra.socket.close(TOO_MANY, error.message);
          return false;
        }
        // 1013 "try again later": the credentials may be fine, the database to check them is not.
        if (admitted.auth.error?.code === 'SERVICE_UNAVAILABLE')
          ctx.extra.socket.close(1013, admitted.auth.error.message);
        if (admitted.auth.error) return false;
        if (!connections.acquire(admitted.principal.key)) {
          ctx.extra.socket.close(
            TOO_MANY,
            `More than ${limits.wsMaxConnectionsPerPrincipal} sockets (WS_MAX_CONNECTIONS_PER_PRINCIPAL)`,
          );
          return false;
        }
        ctx.extra.auth = admitted.auth;
        ctx.extra.principal = admitted.principal;
        sockets.watch(ctx.extra.socket, admitted.auth);
        open.add(ctx);
        return true;
      },
      onClose: (ctx) => {
        open.delete(ctx);
        if (ctx.extra.principal) connections.release(ctx.extra.principal.key);
      },
      onSubscribe: async (ctx, id, payload) => {
        // The socket is being closed for expired or revoked credentials: nothing more runs on it.
        if (!sockets.allows(ctx.extra.socket)) return [unauthenticated('Credentials expired or revoked')];
        const live = operations.of(ctx);
        if (live.size >= limits.wsMaxSubscriptionsPerConnection) return tooManyOperations;
        live.add(id);
        const admitted = await admitOperation(ctx.extra.principal, payload);
        if (Array.isArray(admitted)) live.delete(id);
        return admitted;
      },
      context: (ctx, id, _payload, args) => {
        const context = requestContext(services, ctx.extra.auth ?? { viewer: null, error: null });
        // Only a subscription's events are written straight to the socket (event-executor.ts).
        if (getOperationAST(args.document, args.operationName)?.operation === 'subscription')
          bindEventSink(context, socketEventSink(ctx.extra.socket, id, formatResult));
        return context;
      },
      onNext: (_ctx, _id, _payload, _args, result) => formatResult(result),
      onError: (_ctx, _id, _payload, errors: readonly GraphQLError[]) => formatAll(errors),
    },
    wsServer,
    10_000,
  );
  // A socket's errors are the client's protocol faults (a frame over maxPayload, a bad frame), after which ws
  // has already closed it with the matching code (1009, 1002). graphql-ws's own listener, added on connection
  // just before this one, writes each with console.error and a stack: it is replaced by a log line.
  //
  // Every message is counted against the socket's budget before graphql-ws reads it (its listener, added the same
  // way, is moved behind the count): a socket over WS_MAX_MESSAGES_PER_S is closed with 4429, and what it sent
  // after that is dropped unread.
  wsServer.on('connection', (socket) => {
    const budget = new MessageBudget(limits.wsMaxMessagesPerSecond);
    const readers = socket.listeners('message') as ((...args: unknown[]) => void)[];
    let refused = false;
    socket.removeAllListeners('message');
    socket.on('message', (...args: unknown[]) => {
      if (refused) return;
      if (!budget.take(performance.now())) {
        refused = true;
        logger.warn(
          { limit: limits.wsMaxMessagesPerSecond },
          'graphql-ws socket closed over its message budget',
        );
        socket.close(
          TOO_MANY,
          `More than ${limits.wsMaxMessagesPerSecond} messages per second (WS_MAX_MESSAGES_PER_S)`,
        );
        return;
      }
      for (const read of readers) read.apply(socket, args);
    });
    socket.removeAllListeners('error');
    socket.on('error', (error: Error & { code?: string }) =>
      logger.warn(
        { code: error.code, reason: error.message },
        'graphql-ws socket closed on a protocol error',
      ),
    );
  });
  return {
    async dispose() {
      uncountSockets();
      await server.dispose();
    },
  };
}
