import type { Context } from 'graphql-ws';

/**
 * The operations of each graphql-ws socket that are admitted or being admitted, for WS_MAX_SUBSCRIPTIONS.
 * graphql-ws puts every id in `ctx.subscriptions` as soon as its message arrives, so counting that object's
 * keys for each message is quadratic under a burst (10,000 `Object.keys` of 10,000 ids take about 3 s of CPU
 * on this project's machine); a socket's set here never holds more than the limit, and forgets the ids
 * graphql-ws has dropped (completed or refused).
 */
export class LiveOperations {
  private readonly bySocket = new WeakMap<Context, Set<string>>();

  /** The socket's live operation ids, pruned of those graphql-ws no longer holds. */
  of(ctx: Context): Set<string> {
    let live = this.bySocket.get(ctx);
    if (!live) this.bySocket.set(ctx, (live = new Set()));
    for (const id of live) if (!(id in ctx.subscriptions)) live.delete(id);
    return live;
  }
}
