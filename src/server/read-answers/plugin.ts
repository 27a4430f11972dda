import { HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import type { DocumentNode, GraphQLSchema } from 'graphql';
import type { RequestContext } from '../../context';
import type { AccountState } from '../../services/read-model/account-state';
import { isAnswerable } from './answerable';

/** Per document, per operation name: whether it is answerable, and the document's number in answer names. */
interface DocumentFacts {
  id: number;
  answerable: Map<string, boolean>;
}

/** What a request that missed must leave for the next: where, under which name, at which versions. */
interface Pending {
  state: AccountState;
  name: string;
  prices: number;
  catalog: number;
}

/**
 * Whole answers of polled reads kept with the account's state (issue 10). A query that reads only fields of
 * the caller's own account that depend on nothing but its row, its balances and positions at its version, the
 * prices and the catalogue (answerable.ts) is answered, once the request's one primary-key read has proven the
 * held state current, with the data an earlier execution of the same document, operation and variables gave
 * for the same account row at the same account, price and catalogue versions. The first such request executes
 * as any other and leaves its data behind if it had no errors. Limits, rate points, metrics and error formatting
 * run as for every request; only execution is skipped.
 */
export function readAnswersPlugin(schema: GraphQLSchema): ApolloServerPlugin<RequestContext> {
  const documents = new WeakMap<DocumentNode, DocumentFacts>();
  let documentCount = 0;
  const answerable = (document: DocumentNode, operationName: string | null): DocumentFacts | null => {
    let facts = documents.get(document);
    if (!facts) documents.set(document, (facts = { id: ++documentCount, answerable: new Map() }));
    const key = operationName ?? '';
    let yes = facts.answerable.get(key);
    if (yes === undefined) facts.answerable.set(key, (yes = isAnswerable(schema, document, operationName)));
    return yes ? facts : null;
  };

  return {
    async requestDidStart() {
      let pending: Pending | null = null;
      return {
        async responseForOperation({ contextValue: ctx, document, operationName, request }) {
          const viewer = ctx.auth.error ? null : ctx.auth.viewer;
          if (!viewer || viewer.kind === 'operator') return null;
          const facts = answerable(document, operationName);
          if (!facts) return null;
          const current = await ctx.loaders.load(viewer.accountId);
          if (!current) return null;
          const { account, state } = current;
          const name =
            `answer:${facts.id}:${operationName ?? ''}:${JSON.stringify(request.variables ?? {})}:` +
            `${account.vipLevel}:${account.mode}:${account.marginCallLevel?.toFixed() ?? ''}`;
          const { prices, catalog } = ctx.services.readModel.versions();
          const data = state.recall<Record<string, unknown>>(prices, catalog, name);
          if (data !== undefined) {
            return {
              http: { status: undefined, headers: new HeaderMap() },
              body: { kind: 'single', singleResult: { data } },
            };
          }
          pending = { state, name, prices, catalog };
          return null;
        },
        async willSendResponse({ contextValue: ctx, response }) {
          if (!pending || response.body.kind !== 'single') return;
          const { data, errors } = response.body.singleResult;
          const now = ctx.services.readModel.versions();
          // Kept only when nothing moved while it executed, so the data is that of the versions it is kept for.
          if (!data || errors || now.prices !== pending.prices || now.catalog !== pending.catalog) return;
          pending.state.remember(pending.prices, pending.catalog, pending.name, data);
        },
      };
    },
  };
}
