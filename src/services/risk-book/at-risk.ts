import type { DataSource } from 'typeorm';
import { logger } from '../../lib/logger';
import { onEachEvent, type EventBus } from '../../pubsub';
import { shardOf } from '../events/shards';
import { loadPortfolios } from '../risk/portfolios';
import type { RiskService } from '../risk/risk.service';
import type { RiskSnapshot } from '../risk-push/risk-push.service';
import type { LiveRiskBook } from './live-book';
import type { ShardOwnership } from './shard-ownership';

/** The most atRiskAccounts returns at once, and the length of each shard's published list. */
export const AT_RISK_MAX = 100;

interface Board {
  accounts: [string, number][];
  receivedAt: number;
}

/**
 * The Portfolio Margin accounts nearest to liquidation, across shards and instances. Each shard's owner
 * ranks its accounts on the book's float uniMMR and publishes its lowest AT_RISK_MAX on the bus every
 * `intervalMs`; any instance merges its own shards (ranked now) with the others' latest lists (at most three
 * intervals old), then shows each account with the exact engine's risk: from its book when held here, else
 * from the account's rows and this instance's prices.
 */
export class AtRiskAccounts {
  private readonly boards = new Map<number, Board>();
  private timer: NodeJS.Timeout | null = null;
  private stopBoards: (() => void) | null = null;

  constructor(
    private readonly ds: DataSource,
    private readonly bus: EventBus,
    private readonly book: LiveRiskBook,
    private readonly ownership: ShardOwnership,
    private readonly risk: RiskService,
    private readonly intervalMs = 1000,
  ) {}

  start(): void {
    this.stopBoards = onEachEvent(this.bus, 'AT_RISK', '*', 1024, ({ shard, accounts }) =>
      this.boards.set(shard, { accounts, receivedAt: Date.now() }),
    );
    this.timer = setInterval(() => this.publish(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    this.stopBoards?.();
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  async lowest(first: number, at: Date = new Date()): Promise<RiskSnapshot[]> {
    const ranked: [string, number][] = [];
    const fresh = Date.now() - 3 * this.intervalMs;
    for (let shard = 0; shard < this.ownership.shards; shard++) {
      if (this.ownership.ownsShard(shard)) ranked.push(...this.ranked(shard, first));
      else {
        const board = this.boards.get(shard);
        if (board && board.receivedAt >= fresh) ranked.push(...board.accounts.slice(0, first));
      }
    }
    const ids = ranked
      .sort((a, b) => a[1] - b[1])
      .slice(0, first)
      .map(([id]) => id);
    const held = this.book.book;
    const elsewhere = ids.filter((id) => !held.has(id));
    const loaded = await this.load(elsewhere, at);
    return ids.flatMap((accountId) => {
      const exact = held.exact(accountId);
      if (exact)
        return [{ accountId, result: exact.result, portfolio: exact.portfolio, book: exact.prices, at }];
      const snapshot = loaded.get(accountId);
      return snapshot ? [snapshot] : [];
    });
  }

  private ranked(shard: number, n: number): [string, number][] {
    return this.book.book
      .lowest(n, (id) => shardOf(id, this.ownership.shards) === shard)
      .map((r): [string, number] => [r.accountId, r.ratio]);
  }

  private publish(): void {
    for (const shard of this.ownership.held) {
      try {
        this.bus.publish('AT_RISK', '*', { shard, accounts: this.ranked(shard, AT_RISK_MAX) });
      } catch (err) {
        logger.warn({ err, shard }, 'at-risk board not published');
      }
    }
  }

  /** Accounts of shards owned elsewhere: their rows, this instance's prices, the exact engine. */
  private async load(ids: string[], at: Date): Promise<Map<string, RiskSnapshot>> {
    const found = new Map<string, RiskSnapshot>();
    if (ids.length === 0) return found;
    const portfolios = await loadPortfolios(this.ds, ids);
    const book = this.risk.book();
    for (const accountId of ids) {
      const portfolio = portfolios.get(accountId)!;
      found.set(accountId, { accountId, result: this.risk.risk(portfolio, book), portfolio, book, at });
    }
    return found;
  }
}
