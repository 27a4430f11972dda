import type { ApolloServerPlugin } from '@apollo/server';
import type { RequestContext } from '../../context';
import type { Admission } from './admission';
import { withHttpStatus } from './admission';
import { capErrors } from './operation-limits';

/**
 * The operation's cost and its points over HTTP (graphql-ws does the same in its onSubscribe), and the cap
 * on errors in a response.
 */
export function limitsPlugin(admission: Admission): ApolloServerPlugin<RequestContext> {
  const maxErrors = admission.guard.limits.maxErrors;
  return {
    async requestDidStart() {
      return {
        async didResolveOperation(request) {
          try {
            await admission.admitOperation(
              admission.principalOf(request.contextValue),
              request.document,
              request.request.variables,
              request.operationName ?? undefined,
            );
          } catch (error) {
            throw withHttpStatus(error);
          }
        },
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          if (!result.errors || result.errors.length <= maxErrors) return;
          const { errors, omitted } = capErrors(result.errors, maxErrors);
          result.errors = errors;
          result.extensions = { ...result.extensions, errorsOmitted: omitted };
        },
      };
    },
  };
}
