/**
 * One socket's budget of incoming messages: at most `perSecond` in each second since the first message (fixed
 * windows, one counter: a burst at a window's edge may reach twice the budget, never more).
 */
export class MessageBudget {
  private windowStart = -Infinity;
  private count = 0;

  constructor(private readonly perSecond: number) {}

  /** Counts one message at `now` (ms); false once the window's budget is spent. */
  take(now: number): boolean {
    if (now - this.windowStart >= 1000) {
      this.windowStart = now;
      this.count = 0;
    }
    return ++this.count <= this.perSecond;
  }
}
