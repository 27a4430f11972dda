import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import {
  GraphQLError,
  NoSchemaIntrospectionCustomRule,
  type ParseOptions,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import type { OperationLimits } from '../../config/limits';
import { tooComplex } from '../../errors';

/** The limits of one operation as graphql-js options and validation rules, shared by HTTP and graphql-ws. */
export interface OperationGuard {
  limits: OperationLimits;
  /** graphql-js stops parsing at maxTokens: a huge document costs no more than the limit. */
  parseOptions: ParseOptions;
  /** Depth, aliases and directives (graphql-armor), and no introspection when it is off. */
  validationRules: ValidationRule[];
  introspection: boolean;
  suggestions: boolean;
}

/** graphql-armor reports through our callback: QUERY_TOO_COMPLEX with the limit and its variable. */
function armorOptions(n: number, variable: string) {
  return {
    n,
    exposeLimits: true,
    propagateOnRejection: false,
    onReject: [
      (context: ValidationContext | null, error: GraphQLError) =>
        context?.reportError(tooComplex(`${error.message.replace(/^Syntax Error: /, '')} (${variable})`)),
    ],
  };
}

export function operationGuard(
  limits: OperationLimits,
  options: { introspection: boolean; suggestions: boolean },
): OperationGuard {
  return {
    limits,
    parseOptions: { maxTokens: limits.maxTokens },
    validationRules: [
      ...(options.introspection ? [] : [NoSchemaIntrospectionCustomRule]),
      maxDepthRule(armorOptions(limits.maxDepth, 'MAX_QUERY_DEPTH')),
      maxAliasesRule(armorOptions(limits.maxAliases, 'MAX_QUERY_ALIASES')),
      maxDirectivesRule(armorOptions(limits.maxDirectives, 'MAX_QUERY_DIRECTIVES')),
    ],
    ...options,
  };
}

/**
 * graphql-js's maxTokens abort is a syntax error ("Document contains more that N tokens", sic); clients get
 * QUERY_TOO_COMPLEX naming the limit.
 */
export function tokenLimitError(message: string): GraphQLError | null {
  const match = /^Syntax Error: Document contains more tha[nt] (\d+) tokens/.exec(message);
  return match ? tooComplex(`Query has more than ${match[1]} tokens (MAX_QUERY_TOKENS)`) : null;
}

/** graphql-js's "Did you mean ...?" hints name schema fields; production answers without them. */
export function withoutSuggestions(message: string): string {
  return message.replace(/ ?Did you mean(.+?)\?$/, '');
}

/** At most `max` errors, the first ones; `omitted` counts the rest. */
export function capErrors<T>(errors: readonly T[], max: number): { errors: T[]; omitted: number } {
  return { errors: errors.slice(0, max), omitted: Math.max(0, errors.length - max) };
}
