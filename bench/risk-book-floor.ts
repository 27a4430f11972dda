import type { Portfolio } from '../src/services/margin';
import type { FloatParams } from '../src/services/risk-book/fast-path';

/**
 * BASELINE ONLY, the floor of a tick: the same incremental float64 arithmetic as the book's fast path (the moved
 * positions' terms, the assets they settle in and the moved asset, then each account's sums over its cached
 * asset terms and the band comparison), over accounts known in advance to be exposed, laid out contiguously,
 * with no dirty set, no exposure index, no error bound, no exact engine and no time slicing. It computes
 * nothing anyone may use.
 */
export class Floor {
  private accounts = 0;
  private readonly assetStart: number[] = [];
  private readonly positionStart: number[] = [];
  private readonly asset: number[] = [];
  private readonly net: number[] = [];
  private readonly liability: number[] = [];
  private readonly pnl: number[] = [];
  private readonly mmCoin: number[] = [];
  private readonly adjusted: number[] = [];
  private readonly mmUsd: number[] = [];
  private readonly stale: number[] = [];
  private readonly symbol: number[] = [];
  private readonly settle: number[] = [];
  private readonly quantity: number[] = [];
  private readonly entry: number[] = [];
  private readonly positionPnl: number[] = [];
  private readonly positionMm: number[] = [];
  private packed: Record<string, Float64Array | Int32Array> = {};

  constructor(
    private readonly fp: FloatParams,
    /** Prices by key, as the book keeps them (index by asset, then mark by symbol). */
    private readonly prices: Float64Array,
    /** 1 for each price key the measured tick moves. */
    private readonly moved: Uint8Array,
  ) {}

  /** Keeps the account if the tick moves any of its prices; only its moving positions are kept. */
  add(portfolio: Portfolio): void {
    const fp = this.fp;
    const markBase = fp.assetNames.length;
    const slots = new Map<number, number>();
    const slotOf = (asset: number) => {
      let s = slots.get(asset);
      if (s === undefined) {
        slots.set(asset, (s = this.asset.length));
        this.asset.push(asset);
        this.net.push(0);
        this.liability.push(0);
        this.pnl.push(0);
        this.mmCoin.push(0);
        this.adjusted.push(0);
        this.mmUsd.push(0);
        this.stale.push(1);
      }
      return s;
    };
    const moving = portfolio.positions.filter(
      (p) => this.moved[markBase + (fp.symbolIds.get(p.symbol) as number)] === 1,
    );
    const assets = [
      ...portfolio.balances.map((b) => fp.assetIds.get(b.asset) as number),
      ...portfolio.positions.map((p) => fp.settle[fp.symbolIds.get(p.symbol) as number]),
    ];
    if (moving.length === 0 && !assets.some((a) => this.moved[a] === 1)) return;
    this.assetStart.push(this.asset.length);
    this.positionStart.push(this.symbol.length);
    for (const b of portfolio.balances) {
      const s = slotOf(fp.assetIds.get(b.asset) as number);
      this.net[s] += b.free.toNumber() - b.borrowed.toNumber();
      this.liability[s] += b.borrowed.toNumber();
    }
    for (const p of portfolio.positions) {
      const symbol = fp.symbolIds.get(p.symbol) as number;
      const s = slotOf(fp.settle[symbol]);
      if (!moving.includes(p)) {
        this.mmCoin[s] += p.quantity.abs().toNumber() * 0.004 * this.prices[markBase + symbol];
        continue;
      }
      this.symbol.push(symbol);
      this.settle.push(s);
      this.quantity.push(p.quantity.toNumber());
      this.entry.push(p.entryPrice.toNumber());
      this.positionPnl.push(0);
      this.positionMm.push(0);
    }
    this.accounts++;
  }

  /** Freezes the kept accounts into typed arrays and computes every term once. */
  pack(): void {
    this.assetStart.push(this.asset.length);
    this.positionStart.push(this.symbol.length);
    const f = (a: number[]) => Float64Array.from(a);
    const n = (a: number[]) => Int32Array.from(a);
    this.packed = {
      assetStart: n(this.assetStart),
      positionStart: n(this.positionStart),
      asset: n(this.asset),
      net: f(this.net),
      liability: f(this.liability),
      pnl: f(this.pnl),
      mmCoin: f(this.mmCoin),
      adjusted: f(this.adjusted),
      mmUsd: f(this.mmUsd),
      stale: f(this.stale),
      symbol: n(this.symbol),
      settle: n(this.settle),
      quantity: f(this.quantity),
      entry: f(this.entry),
      positionPnl: f(this.positionPnl),
      positionMm: f(this.positionMm),
    };
    for (const key of Object.keys(this) as (keyof this)[])
      if (Array.isArray(this[key])) (this[key] as unknown[]).length = 0;
    this.tick(true);
  }

  get size(): number {
    return this.accounts;
  }

  /** One tick over the kept accounts; returns how many are better than the first band (for the blackhole). */
  tick(all = false): number {
    const fp = this.fp;
    const prices = this.prices;
    const markBase = fp.assetNames.length;
    const { assetStart, positionStart, asset, net, liability, pnl, mmCoin, adjusted, mmUsd, stale } =
      this.packed;
    const { symbol, settle, quantity, entry, positionPnl, positionMm } = this.packed;
    const above = fp.bandAbove;
    const moved = this.moved;
    let normal = 0;
    for (let e = 0; e < this.accounts; e++) {
      for (let q = positionStart[e]; q < positionStart[e + 1]; q++) {
        const k0 = symbol[q];
        const mark = prices[markBase + k0];
        const qty = quantity[q];
        const size = qty < 0 ? -qty : qty;
        let notional: number;
        let newPnl: number;
        if (fp.linear[k0] === 1) {
          notional = size * mark;
          newPnl = qty * (mark - entry[q]);
        } else {
          notional = (size * fp.face[k0]) / mark;
          newPnl = qty * fp.face[k0] * (1 / entry[q] - 1 / mark);
        }
        const last = fp.bracketEnd[k0] - 1;
        let k = fp.bracketStart[k0];
        while (k < last && !(notional < fp.bracketCap[k])) k++;
        const newMm = notional * fp.bracketMmr[k] - fp.bracketCum[k];
        const s = settle[q];
        pnl[s] += newPnl - positionPnl[q];
        mmCoin[s] += newMm - positionMm[q];
        positionPnl[q] = newPnl;
        positionMm[q] = newMm;
        stale[s] = 1;
      }
      let equity = 0;
      let mm = 0;
      for (let s = assetStart[e]; s < assetStart[e + 1]; s++) {
        const a = asset[s];
        if (all || stale[s] === 1 || moved[a] === 1) {
          const index = prices[a];
          const value = (net[s] + pnl[s]) * index;
          let adj = value;
          if (value > 0) {
            adj = 0;
            for (let t = fp.tierStart[a]; t < fp.tierEnd[a]; t++) {
              const floor = fp.tierFloor[t];
              if (!(value > floor)) break;
              const cap = fp.tierCap[t];
              adj += ((value < cap ? value : cap) - floor) * fp.tierRate[t];
            }
          }
          adjusted[s] = adj;
          mmUsd[s] = (mmCoin[s] + liability[s] * fp.loanMmr[a]) * index;
          stale[s] = 0;
        }
        equity += adjusted[s];
        mm += mmUsd[s];
      }
      let b = 0;
      while (b < above.length - 1 && !(equity > above[b] * mm)) b++;
      if (b === 0) normal++;
    }
    return normal;
  }
}
