import type { DocumentNode, GraphQLError } from 'graphql';

/** Longest query text kept; longer ones are checked every time (rare, and they would crowd the cache). */
const MAX_KEPT_CHARS = 8192;

export interface CheckedDocument {
  document: DocumentNode;
  /** Validation errors (empty when valid): they depend on the text, the schema and the rules only. */
  errors: readonly GraphQLError[];
}

/**
 * Parsed and validated documents by query text, least recently used dropped first. A graphql-ws client that
 * subscribes again and again (a reconnecting dashboard, thousands of clients running the same subscription)
 * costs one parse and validation per distinct text, not one per operation; the cost limit, which depends on
 * the variables, is still checked per operation.
 */
export class DocumentCache {
  private readonly kept = new Map<string, CheckedDocument>();

  constructor(private readonly capacity = 500) {}

  get(query: string, check: () => CheckedDocument): CheckedDocument {
    const hit = this.kept.get(query);
    if (hit) {
      this.kept.delete(query);
      this.kept.set(query, hit);
      return hit;
    }
    const checked = check();
    if (query.length <= MAX_KEPT_CHARS) {
      this.kept.set(query, checked);
      if (this.kept.size > this.capacity) this.kept.delete(this.kept.keys().next().value as string);
    }
    return checked;
  }
}
