import type { FastState } from '../src/services/risk-book/fast-path';

/**
 * BASELINE ONLY, the floor of a tick: the same incremental float64 arithmetic as the book's fast path (the moved
 * positions' terms, the assets they settle in and the moved asset, then each account's sums over its cached
 * asset terms and the band comparison), over accounts known in advance to be exposed, copied contiguously
 * from the book's own storage, with no dirty set, no exposure lookup, no error bound, no exact engine and no
 * time slicing. It computes nothing anyone may use.
 */
export class Floor {
  private accounts = 0;
  private readonly cols = {
    assetStart: [0],
    positionStart: [0],
    asset: [] as number[],
    net: [] as number[],
    liability: [] as number[],
    pnl: [] as number[],
    mmCoin: [] as number[],
    adjusted: [] as number[],
    mmUsd: [] as number[],
    symbol: [] as number[],
    settle: [] as number[],
    quantity: [] as number[],
    entry: [] as number[],
    positionPnl: [] as number[],
    positionMm: [] as number[],
  };
  private packed: { [K in keyof Floor['cols']]: Float64Array } | null = null;
  private stale = new Uint8Array(0);

  constructor(
    private readonly book: FastState,
    /** 1 for each price key the measured tick moves (index by asset, then mark by symbol). */
    private readonly moved: Uint8Array,
  ) {}

  /** Copies account i of the book: all its asset slots, and its positions whose mark the tick moves. */
  add(i: number): void {
    const { accounts: acc, assets: as, positions: ps, params: fp } = this.book;
    const c = this.cols;
    const base = c.asset.length;
    const a0 = acc.assetStart[i];
    for (let s = a0; s < a0 + acc.assetCount[i]; s++) {
      c.asset.push(as.asset[s]);
      c.net.push(as.net[s]);
      c.liability.push(as.liability[s]);
      c.pnl.push(as.pnl[s]);
      c.mmCoin.push(as.mmCoin[s]);
      c.adjusted.push(as.adjusted[s]);
      c.mmUsd.push(as.mmUsd[s]);
    }
    const p0 = acc.positionStart[i];
    for (let q = p0; q < p0 + acc.positionCount[i]; q++) {
      if (this.moved[fp.assetNames.length + ps.symbol[q]] !== 1) continue;
      c.symbol.push(ps.symbol[q]);
      c.settle.push(base + ps.settleSlot[q] - a0);
      c.quantity.push(ps.quantity[q]);
      c.entry.push(ps.entry[q]);
      c.positionPnl.push(ps.pnl[q]);
      c.positionMm.push(ps.mmCoin[q]);
    }
    c.assetStart.push(c.asset.length);
    c.positionStart.push(c.symbol.length);
    this.accounts++;
  }

  /** Freezes the copied accounts into typed arrays. */
  pack(): void {
    const c = this.cols;
    const packed = {} as { [K in keyof Floor['cols']]: Float64Array };
    for (const key of Object.keys(c) as (keyof Floor['cols'])[]) {
      packed[key] = Float64Array.from(c[key]);
      c[key].length = 0;
    }
    this.packed = packed;
    this.stale = new Uint8Array(packed.asset.length);
  }

  get size(): number {
    return this.accounts;
  }

  /** One tick over the copied accounts at `prices`; returns how many stay NORMAL (for the blackhole). */
  tick(prices: Float64Array): number {
    const fp = this.book.params;
    const markBase = fp.assetNames.length;
    const { assetStart, positionStart, asset, net, liability, pnl, mmCoin, adjusted, mmUsd } = this
      .packed as NonNullable<Floor['packed']>;
    const { symbol, settle, quantity, entry, positionPnl, positionMm } = this.packed as NonNullable<
      Floor['packed']
    >;
    const stale = this.stale;
    const moved = this.moved;
    const above = fp.bandAbove;
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
        if (stale[s] === 1 || moved[a] === 1) {
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
