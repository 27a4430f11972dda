import { ZERO, type Decimal } from '../../lib/decimal';
import { logger } from '../../lib/logger';
import { debt, isZeroBalance, marginedLiability, netBalance } from '../margin/balance';
import { UnknownAssetError, UnknownSymbolError } from '../margin/errors';
import { computeRisk, type RiskResult } from '../margin/risk';
import {
  RISK_STATUSES,
  type Portfolio,
  type PriceBook,
  type RiskParams,
  type RiskStatus,
} from '../margin/types';
import { decodePortfolio, encodePortfolio } from './codec';
import { ExposureIndex } from './exposure';
import { decide, floatParams, refresh, UNCERTAIN, type FastState, type FloatParams } from './fast-path';
import { DirtyQueue } from './dirty-queue';
import { AccountRows, AssetSlots, NO_STATUS, PositionSlots } from './slots';

/** The prices the book computes on: a versioned snapshot (`prices/snapshot.ts` is one). */
export interface PriceView {
  readonly version: number;
  /** The engine's prices at `version`; the same object for one version, never mutated. */
  book(): PriceBook;
}

/** One drained account's decision. */
export interface RiskDecision {
  accountId: string;
  /** The account inputs' version (from `upsertAccount`). */
  version: number;
  /** The price snapshot's version the decision was taken on (the newest at that time). */
  priceVersion: number;
  /** uniMMR in float64, within 1e-12 relative of the exact one; null when unbounded (no maintenance margin). */
  ratio: number | null;
  status: RiskStatus;
  /** The status before this decision; null at the account's first decision (unless given to `upsertAccount`). */
  previous: RiskStatus | null;
  /** The exact engine's result on the same inputs and prices (computed on first call, then kept). */
  exact(): RiskResult;
  /** The account's inputs the decision was taken on. */
  portfolio(): Portfolio;
  /** The prices the decision was taken on. */
  prices: PriceBook;
}

export interface RankedAccount {
  accountId: string;
  /** Float uniMMR (see RiskDecision.ratio). */
  ratio: number;
  status: RiskStatus;
}

type Listener = (decision: RiskDecision) => void;

/**
 * Every Portfolio Margin account of a shard, with its risk kept current on every price change.
 *
 * Inputs: `upsertAccount(id, version, portfolio)` (an older version than held is ignored),
 * `removeAccount(id)`, and `setPrices(snapshot, changedSymbols)` after a price batch. A price change marks dirty
 * only the accounts exposed to a moved symbol (exposure.ts); `drainSome` (called in time slices by drain.ts)
 * brings each dirty account's cached terms up to the newest prices (fast-path.ts: float64, only the terms
 * that moved) and decides its status; any account whose float value is not certain (near a band edge, or an
 * ill-conditioned ratio) is recomputed with the exact engine first.
 *
 * Outputs: a `RiskDecision` to `onDecision` listeners on every status transition and on every decision of a
 * watched account (`watch`), or of every account with `{ all: true }`; `current(id)`, `exact(id)` and
 * `lowest(n)`. Values a client sees come from `exact()`: the float ratio only ranks and decides.
 * Memory: storage is typed arrays (slots.ts) plus one string of exact inputs per account.
 */
export class RiskBook {
  readonly params: FloatParams;
  private readonly accounts = new AccountRows();
  private readonly assetSlots = new AssetSlots();
  private readonly positionSlots = new PositionSlots();
  private readonly state: FastState;
  private readonly exposure: ExposureIndex;
  private readonly dirty = new DirtyQueue();
  private readonly numbers = new Map<string, number>();
  private readonly ids: string[] = [];
  private readonly inputs: string[] = [];
  private readonly freeNumbers: number[] = [];
  /** accountId -> watch count */
  private readonly watched = new Map<string, number>();
  private readonly listeners = new Map<Listener, boolean>();
  private everyDecision = 0;
  private view: PriceView = { version: 0, book: () => ({ index: new Map(), mark: new Map() }) };
  private readonly certainty = { certainRatio: false };
  private dirtyListener: () => void = () => undefined;
  /** Decisions taken, and how many of them needed the exact engine. */
  readonly stats = { decisions: 0, exact: 0 };

  constructor(private readonly riskParams: RiskParams) {
    this.params = floatParams(riskParams);
    const keys = this.params.assetNames.length + this.params.symbolNames.length;
    this.exposure = new ExposureIndex(keys);
    this.state = {
      params: this.params,
      accounts: this.accounts,
      assets: this.assetSlots,
      positions: this.positionSlots,
      prices: new Float64Array(keys).fill(NaN),
    };
  }

  get size(): number {
    return this.numbers.size;
  }

  /** Accounts watched now (`watch`): leak checks. */
  get watchedAccounts(): number {
    return this.watched.size;
  }

  /** Accounts waiting to be drained. */
  get pending(): number {
    return this.dirty.size;
  }

  has(accountId: string): boolean {
    return this.numbers.has(accountId);
  }

  isWatched(accountId: string): boolean {
    return this.watched.has(accountId);
  }

  /** The accounts watched now (held or not). */
  watchedIds(): IterableIterator<string> {
    return this.watched.keys();
  }

  /** The accounts held, in no particular order. */
  *accountIds(): IterableIterator<string> {
    yield* this.numbers.keys();
  }

  versionOf(accountId: string): number | undefined {
    const i = this.numbers.get(accountId);
    return i === undefined ? undefined : this.accounts.version[i];
  }

  /** Called when the dirty set stops being empty (drain.ts schedules a drain). */
  onDirty(listener: () => void): void {
    this.dirtyListener = listener;
  }

  onDecision(listener: Listener, options: { all?: boolean } = {}): () => void {
    const all = options.all === true;
    this.listeners.set(listener, all);
    if (all) this.everyDecision++;
    return () => this.offDecision(listener);
  }

  offDecision(listener: Listener): void {
    const all = this.listeners.get(listener);
    if (this.listeners.delete(listener) && all) this.everyDecision--;
  }

  /** One release of `watch(accountId)`. */
  unwatch(accountId: string): void {
    const left = (this.watched.get(accountId) ?? 1) - 1;
    if (left <= 0) this.watched.delete(accountId);
    else this.watched.set(accountId, left);
  }

  /** Every decision of the account reaches the listeners while watched (counted: each call, one release). */
  watch(accountId: string): () => void {
    let released = false;
    this.watched.set(accountId, (this.watched.get(accountId) ?? 0) + 1);
    return () => {
      if (!released) this.unwatch(accountId);
      released = true;
    };
  }

  /**
   * Puts the account's exact inputs in the book (PM wallet balances and positions, as the engine takes them)
   * and marks it dirty. Returns false, changing nothing, when `version` is older than the held one.
   * `knownStatus`: the status last announced for a new account (persisted), so that it is not announced again.
   * Throws the engine's errors for an unknown asset or symbol, a duplicate position or a bad leverage.
   */
  upsertAccount(
    accountId: string,
    version: number,
    portfolio: Portfolio,
    knownStatus: RiskStatus | null = null,
  ): boolean {
    let i = this.numbers.get(accountId);
    if (i !== undefined && version < this.accounts.version[i]) return false;
    const layout = this.layout(portfolio);
    const encoded = encodePortfolio(portfolio);
    const acc = this.accounts;
    if (i === undefined) {
      i = this.freeNumbers.pop() ?? this.ids.length;
      acc.ensure(i + 1);
      this.dirty.ensure(acc.capacity);
      this.numbers.set(accountId, i);
      this.ids[i] = accountId;
      acc.status[i] = knownStatus === null ? NO_STATUS : RISK_STATUSES.indexOf(knownStatus);
      acc.live[i] = 1;
    } else {
      this.unlink(i);
    }
    this.inputs[i] = encoded;
    acc.version[i] = version;
    acc.ratio[i] = NaN;
    this.link(i, layout);
    this.markDirty(i);
    return true;
  }

  removeAccount(accountId: string): boolean {
    const i = this.numbers.get(accountId);
    if (i === undefined) return false;
    this.unlink(i);
    this.numbers.delete(accountId);
    this.accounts.live[i] = 0;
    this.accounts.status[i] = NO_STATUS;
    this.inputs[i] = '';
    this.ids[i] = '';
    this.freeNumbers.push(i);
    return true;
  }

  /**
   * A book over new parameters (the catalogue changed) with the same accounts, prices, decided statuses,
   * listeners and watches; every account is dirty in it. An account the new parameters cannot take (an asset
   * or symbol removed) is left out and returned in `dropped`.
   */
  withParams(params: RiskParams): { book: RiskBook; dropped: string[] } {
    const next = new RiskBook(params);
    const prices = this.view.book();
    next.setPrices(this.view, [...prices.index.keys(), ...prices.mark.keys()]);
    const dropped: string[] = [];
    for (const [accountId, i] of this.numbers) {
      const status = this.accounts.status[i];
      try {
        next.upsertAccount(
          accountId,
          this.accounts.version[i],
          decodePortfolio(this.inputs[i]),
          status === NO_STATUS ? null : RISK_STATUSES[status],
        );
      } catch {
        dropped.push(accountId);
      }
    }
    for (const [listener, all] of this.listeners) next.onDecision(listener, { all });
    for (const [accountId, count] of this.watched) next.watched.set(accountId, count);
    return { book: next, dropped };
  }

  /**
   * Takes the newest prices: `changed` names the symbols (assets and futures) whose price moved in `view`
   * since the last call. Marks the exposed accounts dirty and returns how many were newly marked.
   */
  setPrices(view: PriceView, changed: Iterable<string>): number {
    this.view = view;
    const book = view.book();
    const fp = this.params;
    const prices = this.state.prices;
    const before = this.dirty.size;
    for (const symbol of changed) {
      const asset = fp.assetIds.get(symbol);
      const key = asset ?? fp.symbolIds.get(symbol);
      if (key === undefined) continue;
      const price = asset !== undefined ? book.index.get(symbol) : book.mark.get(symbol);
      const value = price === undefined || !price.gt(0) ? NaN : price.toNumber();
      const at = asset !== undefined ? asset : fp.assetNames.length + key;
      if (Object.is(prices[at], value)) continue;
      prices[at] = value;
      const { accounts, length } = this.exposure.of(at);
      for (let n = 0; n < length; n++) this.markDirty(accounts[n]);
    }
    return this.dirty.size - before;
  }

  /** Decides up to `max` dirty accounts on the newest prices; returns how many were taken. */
  drainSome(max: number): number {
    const acc = this.accounts;
    let taken = 0;
    while (taken < max && this.dirty.size > 0) {
      const i = this.dirty.shift();
      taken++;
      acc.dirty[i] = 0;
      if (acc.live[i] === 0 || !refresh(this.state, i)) continue;
      this.decideAccount(i);
    }
    return taken;
  }

  /** The fast path's storage and the accounts exposed to a price, read-only: for benchmarks and diagnostics. */
  inspect(): { state: FastState; exposedTo(symbol: string): Int32Array } {
    const fp = this.params;
    return {
      state: this.state,
      exposedTo: (symbol) => {
        const asset = fp.assetIds.get(symbol);
        const symbolId = fp.symbolIds.get(symbol);
        if (asset === undefined && symbolId === undefined) return new Int32Array(0);
        const { accounts, length } = this.exposure.of(asset ?? fp.assetNames.length + (symbolId as number));
        return accounts.slice(0, length);
      },
    };
  }

  /** The latest decision of the account, or undefined while undecided (or not in the book). */
  current(accountId: string): RankedAccount | undefined {
    const i = this.numbers.get(accountId);
    if (i === undefined || this.accounts.status[i] === NO_STATUS) return undefined;
    if (this.accounts.approximate[i] === 1) this.exactOf(i);
    return this.ranked(i);
  }

  /**
   * The exact engine on the account's inputs and the newest prices, with both (throws PRICE_UNAVAILABLE like
   * the engine); undefined for an account not in the book.
   */
  exact(accountId: string): { result: RiskResult; portfolio: Portfolio; prices: PriceBook } | undefined {
    const i = this.numbers.get(accountId);
    if (i === undefined) return undefined;
    const portfolio = decodePortfolio(this.inputs[i]);
    const prices = this.view.book();
    return { result: computeRisk(portfolio, prices, this.riskParams), portfolio, prices };
  }

  /**
   * The decided accounts with the lowest uniMMR, lowest first (accounts without maintenance margin excluded),
   * among those `include` accepts.
   * Ranked on the float ratios (an approximate one is off by far less than any gap that matters to an operator),
   * each returned ratio within 1e-12 of the exact one.
   */
  lowest(n: number, include: (accountId: string) => boolean = () => true): RankedAccount[] {
    const acc = this.accounts;
    const picked: number[] = [];
    for (let i = 0; i < this.ids.length; i++) {
      const ratio = acc.ratio[i];
      if (acc.live[i] === 0 || acc.status[i] === NO_STATUS || !(ratio < Infinity)) continue;
      if (picked.length === n && !(ratio < acc.ratio[picked[n - 1]])) continue;
      if (!include(this.ids[i])) continue;
      let at = picked.length === n ? n - 1 : picked.length;
      while (at > 0 && acc.ratio[picked[at - 1]] > ratio) {
        picked[at] = picked[at - 1];
        at--;
      }
      picked[at] = i;
    }
    for (const i of picked) if (acc.approximate[i] === 1) this.exactOf(i);
    return picked.map((i) => this.ranked(i));
  }

  private ranked(i: number): RankedAccount {
    return {
      accountId: this.ids[i],
      ratio: this.accounts.ratio[i],
      status: RISK_STATUSES[this.accounts.status[i]],
    };
  }

  /**
   * An uncertain status is decided by the exact engine. A certain status with an uncertain ratio (an
   * ill-conditioned accountEquity, e.g. large offsetting PnL) keeps its float ratio marked approximate; the
   * exact one replaces it when read (`current`, `lowest`, a decision announced).
   */
  private decideAccount(i: number): void {
    const acc = this.accounts;
    this.stats.decisions++;
    let status = decide(this.state, i, this.certainty);
    let exact: RiskResult | null = null;
    acc.approximate[i] = this.certainty.certainRatio ? 0 : 1;
    if (status === UNCERTAIN) {
      exact = this.exactOf(i);
      status = RISK_STATUSES.indexOf(exact.status);
    }
    const previous = acc.status[i];
    acc.status[i] = status;
    const transition = previous !== status;
    if (this.listeners.size === 0) return;
    if (!transition && this.everyDecision === 0 && !this.watched.has(this.ids[i])) return;
    this.emit(i, previous, exact ?? (acc.approximate[i] === 1 ? this.exactOf(i) : null), transition);
  }

  /** The exact engine on account i at the newest prices; its uniMMR replaces the float ratio. */
  private exactOf(i: number): RiskResult {
    this.stats.exact++;
    const exact = computeRisk(decodePortfolio(this.inputs[i]), this.view.book(), this.riskParams);
    this.accounts.ratio[i] = exact.uniMMR === null ? Infinity : exact.uniMMR.toNumber();
    this.accounts.approximate[i] = 0;
    return exact;
  }

  private emit(i: number, previous: number, known: RiskResult | null, transition: boolean): void {
    const acc = this.accounts;
    const inputs = this.inputs[i];
    const book = this.view.book();
    let exact = known;
    const decision: RiskDecision = {
      accountId: this.ids[i],
      version: acc.version[i],
      priceVersion: this.view.version,
      ratio: acc.ratio[i] === Infinity ? null : acc.ratio[i],
      status: RISK_STATUSES[acc.status[i]],
      previous: previous === NO_STATUS ? null : RISK_STATUSES[previous],
      exact: () => (exact ??= computeRisk(decodePortfolio(inputs), book, this.riskParams)),
      portfolio: () => decodePortfolio(inputs),
      prices: book,
    };
    if (transition && previous !== NO_STATUS && decision.exact().status !== decision.status) {
      // Cannot happen while fast-path.ts's error bound holds; the exact engine is the truth if it does.
      logger.error(
        { accountId: decision.accountId, fast: decision.status },
        'risk book: fast status differs from exact',
      );
      decision.status = decision.exact().status;
      acc.status[i] = RISK_STATUSES.indexOf(decision.status);
    }
    const watched = this.watched.has(decision.accountId);
    for (const [listener, all] of this.listeners) {
      if (!all && !transition && !watched) continue;
      try {
        listener(decision);
      } catch (err) {
        logger.error({ err, accountId: decision.accountId }, 'risk book: decision listener failed');
      }
    }
  }

  private markDirty(i: number): void {
    if (this.accounts.dirty[i] === 1) return;
    this.accounts.dirty[i] = 1;
    this.dirty.push(i);
    if (this.dirty.size === 1) this.dirtyListener();
  }

  /** The account's slots from its exact inputs: balances summed per asset, open positions, settle assets. */
  private layout(portfolio: Portfolio): Layout {
    const fp = this.params;
    const assets = new Map<number, AssetSums>();
    const sumsOf = (asset: number) => {
      let s = assets.get(asset);
      if (!s) assets.set(asset, (s = { net: ZERO, held: ZERO, debt: ZERO, used: false }));
      return s;
    };
    for (const b of portfolio.balances) {
      const asset = fp.assetIds.get(b.asset);
      if (asset === undefined) throw new UnknownAssetError(b.asset);
      const s = sumsOf(asset);
      s.net = s.net.plus(netBalance(b));
      s.held = s.held.plus(b.free).plus(b.locked);
      s.debt = s.debt.plus(debt(b));
      s.used ||= !isZeroBalance(b);
    }
    const positions: Layout['positions'] = [];
    const seen = new Set<number>();
    for (const p of portfolio.positions) {
      const symbol = fp.symbolIds.get(p.symbol);
      if (symbol === undefined) throw new UnknownSymbolError(p.symbol);
      if (seen.has(symbol))
        throw new Error(`more than one position in ${p.symbol}: positions are net, one per symbol`);
      seen.add(symbol);
      if (!Number.isFinite(p.leverage) || p.leverage <= 0)
        throw new RangeError(`leverage of ${p.symbol} must be > 0`);
      if (p.quantity.isZero()) continue;
      sumsOf(fp.settle[symbol]).used = true;
      positions.push({
        symbol,
        quantity: p.quantity.toNumber(),
        entry: p.entryPrice.toNumber(),
        leverage: p.leverage,
      });
    }
    const used = [...assets].filter(([, s]) => s.used);
    return {
      assets: used.map(([asset, s]) => ({
        asset,
        net: s.net.toNumber(),
        liability: marginedLiability(s.debt, s.held).toNumber(),
      })),
      positions,
    };
  }

  private link(i: number, layout: Layout): void {
    const acc = this.accounts;
    const as = this.assetSlots;
    const ps = this.positionSlots;
    const a0 = as.ranges.alloc(layout.assets.length);
    const p0 = ps.ranges.alloc(layout.positions.length);
    acc.assetStart[i] = a0;
    acc.assetCount[i] = layout.assets.length;
    acc.positionStart[i] = p0;
    acc.positionCount[i] = layout.positions.length;
    const slotOf = new Map<number, number>();
    layout.assets.forEach((a, n) => {
      const s = a0 + n;
      slotOf.set(a.asset, s);
      as.asset[s] = a.asset;
      as.net[s] = a.net;
      as.liability[s] = a.liability;
      as.pnl[s] = as.mPnl[s] = as.mmCoin[s] = as.mMmCoin[s] = as.imCoin[s] = 0;
      as.stale[s] = 1;
      as.index[s] = NaN;
      as.exposurePos[s] = this.exposure.add(a.asset, i);
    });
    const markBase = this.params.assetNames.length;
    layout.positions.forEach((p, n) => {
      const q = p0 + n;
      ps.symbol[q] = p.symbol;
      ps.settleSlot[q] = slotOf.get(this.params.settle[p.symbol]) as number;
      ps.quantity[q] = p.quantity;
      ps.entry[q] = p.entry;
      ps.leverage[q] = p.leverage;
      ps.mark[q] = NaN;
      ps.exposurePos[q] = this.exposure.add(markBase + p.symbol, i);
    });
  }

  private unlink(i: number): void {
    const acc = this.accounts;
    const as = this.assetSlots;
    const ps = this.positionSlots;
    const markBase = this.params.assetNames.length;
    const a0 = acc.assetStart[i];
    const p0 = acc.positionStart[i];
    for (let s = a0; s < a0 + acc.assetCount[i]; s++) {
      const moved = this.exposure.remove(as.asset[s], as.exposurePos[s]);
      if (moved >= 0) this.repoint(moved, as.asset[s], as.exposurePos[s]);
    }
    for (let q = p0; q < p0 + acc.positionCount[i]; q++) {
      const moved = this.exposure.remove(markBase + ps.symbol[q], ps.exposurePos[q]);
      if (moved >= 0) this.repoint(moved, markBase + ps.symbol[q], ps.exposurePos[q]);
    }
    as.ranges.release(a0, acc.assetCount[i]);
    ps.ranges.release(p0, acc.positionCount[i]);
    acc.assetCount[i] = 0;
    acc.positionCount[i] = 0;
  }

  /** Account j now sits at `at` in the list of price key `key`. */
  private repoint(j: number, key: number, at: number): void {
    const acc = this.accounts;
    const markBase = this.params.assetNames.length;
    if (key < markBase) {
      for (let s = acc.assetStart[j], end = s + acc.assetCount[j]; s < end; s++)
        if (this.assetSlots.asset[s] === key) this.assetSlots.exposurePos[s] = at;
    } else {
      for (let q = acc.positionStart[j], end = q + acc.positionCount[j]; q < end; q++)
        if (this.positionSlots.symbol[q] === key - markBase) this.positionSlots.exposurePos[q] = at;
    }
  }
}

interface AssetSums {
  net: Decimal;
  /** free + locked */
  held: Decimal;
  debt: Decimal;
  /** A non-zero balance field, or the settle asset of an open position: the engine needs its price. */
  used: boolean;
}

interface Layout {
  assets: { asset: number; net: number; liability: number }[];
  positions: { symbol: number; quantity: number; entry: number; leverage: number }[];
}
