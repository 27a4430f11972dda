import { HeaderMap } from '@apollo/server';
import type { DocumentNode, GraphQLSchema } from 'graphql';
import type { Auth } from '../../auth/viewer';
import { ApiError } from '../../errors';
import { assertCost, operationCost } from './cost';
import type { OperationGuard } from './operation-limits';
import { principalOf, type Principal, type RateLimiter } from './rate-limits';

/**
 * The principal a request context draws from, set when the request is admitted. A symbol key: Apollo copies
 * the context per operation (Object.assign), which keeps own symbol properties.
 */
const PRINCIPAL = Symbol('principal');
type WithPrincipal = { [PRINCIPAL]?: Principal };

/**
 * Admission of requests and operations, the same for HTTP and graphql-ws: a request (or a graphql-ws
 * subscribe) draws one point from its principal's budget once authenticated; an operation then must cost at
 * most MAX_QUERY_COST and draws the rest of its points.
 */
export class Admission {
  constructor(
    readonly guard: OperationGuard,
    readonly limiter: RateLimiter,
    private readonly schema: GraphQLSchema,
  ) {}

  /** Authenticates (failed attempts limited per IP) and draws the request's first point. */
  async admitRequest(
    ip: string,
    presented: boolean,
    check: () => Promise<Auth>,
  ): Promise<{ auth: Auth; principal: Principal }> {
    const auth = await this.limiter.authenticate(ip, presented, check);
    const principal = principalOf(auth, ip);
    await this.limiter.take(principal, 1);
    return { auth, principal };
  }

  bind(context: object, principal: Principal): void {
    (context as WithPrincipal)[PRINCIPAL] = principal;
  }

  principalOf(context: object): Principal | undefined {
    return (context as WithPrincipal)[PRINCIPAL];
  }

  /** QUERY_TOO_COMPLEX above MAX_QUERY_COST; else draws the points beyond the one already drawn. */
  async admitOperation(
    principal: Principal | undefined,
    document: DocumentNode,
    variables: Record<string, unknown> | undefined,
    operationName: string | undefined,
  ): Promise<void> {
    const cost = operationCost(this.schema, document, variables, operationName);
    assertCost(cost, this.guard.limits.maxCost);
    if (principal) await this.limiter.take(principal, this.limiter.pointsFor(cost) - 1);
  }
}

const HTTP_STATUS: Partial<Record<string, number>> = {
  RATE_LIMITED: 429,
  QUERY_TOO_COMPLEX: 400,
  BAD_REQUEST: 400,
};

/** The HTTP status (and Retry-After) Apollo should answer a refusal with; Apollo strips `http` itself. */
export function withHttpStatus(error: unknown): unknown {
  if (!(error instanceof ApiError)) return error;
  const status = HTTP_STATUS[error.code];
  if (status === undefined) return error;
  const headers = new HeaderMap();
  const retryAfterMs = error.extensions.retryAfterMs;
  if (typeof retryAfterMs === 'number') headers.set('retry-after', String(Math.ceil(retryAfterMs / 1000)));
  error.extensions.http = { status, headers };
  return error;
}
