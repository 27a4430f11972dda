import type { ApolloServerPlugin } from '@apollo/server';
import { operationDuration, operationLabel } from './metrics';

/** Times every HTTP GraphQL operation into operationDuration (outcome: ok or the first error's code). */
export function metricsPlugin<T extends object>(): ApolloServerPlugin<T> {
  return {
    async requestDidStart() {
      const end = operationDuration.startTimer();
      return {
        async willSendResponse({ operationName, operation, errors, response }) {
          const first =
            errors?.[0] ??
            (response.body.kind === 'single' ? response.body.singleResult.errors?.[0] : undefined);
          const code = first?.extensions?.code;
          end({
            operation: operationLabel(operationName),
            type: operation?.operation ?? 'unknown',
            outcome: first ? (typeof code === 'string' ? code : 'error') : 'ok',
          });
        },
      };
    },
  };
}
