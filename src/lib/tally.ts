/**
 * Counts per key (listeners per bus topic, watched accounts, followers) that can be read for metrics and
 * leak checks, and awaited: `until` resolves at the first change after which the condition holds, so a test
 * waits for a release to happen instead of sleeping.
 */
export class Tally {
  private readonly counts = new Map<string, number>();
  private sum = 0;
  private waiters: { holds: () => boolean; resolve: () => void }[] = [];

  get total(): number {
    return this.sum;
  }

  get(key: string): number {
    return this.counts.get(key) ?? 0;
  }

  /** Keys with a count above zero, and their counts. */
  entries(): Map<string, number> {
    return new Map(this.counts);
  }

  add(key: string): void {
    this.counts.set(key, this.get(key) + 1);
    this.sum++;
    this.changed();
  }

  remove(key: string): void {
    const left = this.get(key) - 1;
    if (left < 0) return;
    if (left === 0) this.counts.delete(key);
    else this.counts.set(key, left);
    this.sum--;
    this.changed();
  }

  /** Resolves when `holds(this)` is true: now, or after the first change that makes it so. */
  until(holds: (tally: Tally) => boolean): Promise<void> {
    if (holds(this)) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ holds: () => holds(this), resolve }));
  }

  private changed(): void {
    if (this.waiters.length === 0) return;
    const waiting = this.waiters;
    this.waiters = [];
    for (const w of waiting) {
      if (w.holds()) w.resolve();
      else this.waiters.push(w);
    }
  }
}
