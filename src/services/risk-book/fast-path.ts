import { RISK_STATUSES, type RiskParams } from '../margin/types';
import { NO_STATUS, type AccountRows, type AssetSlots, type PositionSlots } from './slots';

/**
 * The fast path: spec 3's formulas in float64, term by term, with a bound on their rounding error so that the
 * book knows when a float decision is certain.
 *
 * Every term t is kept with its magnitude m(t), the same expression with every operand taken positive
 * (|q| x (mark + entry) for q x (mark - entry), and so on). A float64 evaluation of n roundings is within
 * n x 2^-53 x m(t) of the exact value of its float inputs, and each input is within 2^-53 relative of its
 * exact decimal (prices, balances and quantities are converted once). Bracket and tier edges do not add
 * error beyond that: margins and collateral are continuous there, and a float that picks the neighbouring
 * bracket is off by at most its own error times the step of mmr (m of a position's margin uses the next
 * bracket's mmr for that). With A assets and P positions every chain has fewer than A + P + 16 roundings, so
 *
 *   |accountEquity - float| <= g x m(accountEquity)     |MM - float| <= g x m(MM)     g = (A + P + 16) x 2^-52
 *
 * A status is certain when accountEquity - above x MM keeps its sign across that error at every band
 * threshold the decision reads (the comparison of spec 3, without dividing, as the exact engine does); the
 * ratio is certain when its relative error bound is below RATIO_TOLERANCE. Otherwise the exact engine decides.
 * This is Mango v4's health cache (per-token terms, only those whose price moved are recomputed) with an
 * a-posteriori error bound in place of fixed-point arithmetic.
 */

const ULP = 2 ** -52;
/** The book promises its float uniMMR within 1e-12 relative of the exact one; it certifies 5e-13. */
export const RATIO_TOLERANCE = 5e-13;

/** The engine's parameters as flat float64 arrays indexed by asset and symbol number. */
export interface FloatParams {
  assetIds: ReadonlyMap<string, number>;
  symbolIds: ReadonlyMap<string, number>;
  assetNames: readonly string[];
  symbolNames: readonly string[];
  loanMmr: Float64Array;
  /** 1 / (marginLeverage - 1): initial margin per unit of liability. */
  loanIm: Float64Array;
  tierStart: Int32Array;
  tierEnd: Int32Array;
  tierFloor: Float64Array;
  /** Infinity for the open last tier. */
  tierCap: Float64Array;
  tierRate: Float64Array;
  linear: Uint8Array;
  settle: Int32Array;
  face: Float64Array;
  bracketStart: Int32Array;
  bracketEnd: Int32Array;
  bracketCap: Float64Array;
  bracketMmr: Float64Array;
  bracketCum: Float64Array;
  /** Band thresholds best first; the last band's is NaN (catch-all). */
  bandAbove: Float64Array;
  bandStatus: Uint8Array;
}

export function floatParams(params: RiskParams): FloatParams {
  const assets = [...params.assets.values()];
  const symbols = [...params.symbols.values()];
  const assetIds = new Map(assets.map((a, i) => [a.symbol, i]));
  const tiers = assets.flatMap((a) =>
    a.collateralTiers.map((t, i) => ({ t, last: i === a.collateralTiers.length - 1 })),
  );
  const brackets = symbols.flatMap((s) =>
    s.brackets.map((b, i) => ({ b, last: i === s.brackets.length - 1 })),
  );
  const starts = (counts: number[]) => {
    const start = new Int32Array(counts.length);
    for (let i = 1; i < counts.length; i++) start[i] = start[i - 1] + counts[i - 1];
    return start;
  };
  const tierStart = starts(assets.map((a) => a.collateralTiers.length));
  const bracketStart = starts(symbols.map((s) => s.brackets.length));
  return {
    assetIds,
    symbolIds: new Map(symbols.map((s, i) => [s.symbol, i])),
    assetNames: assets.map((a) => a.symbol),
    symbolNames: symbols.map((s) => s.symbol),
    loanMmr: Float64Array.from(assets, (a) => a.loanMMR.toNumber()),
    loanIm: Float64Array.from(assets, (a) => 1 / (a.marginLeverage - 1)),
    tierStart,
    tierEnd: Int32Array.from(assets, (a, i) => tierStart[i] + a.collateralTiers.length),
    tierFloor: Float64Array.from(tiers, ({ t }) => t.floor.toNumber()),
    tierCap: Float64Array.from(tiers, ({ t, last }) =>
      last || t.cap === null ? Infinity : t.cap.toNumber(),
    ),
    tierRate: Float64Array.from(tiers, ({ t }) => t.rate.toNumber()),
    linear: Uint8Array.from(symbols, (s) => (s.contractType === 'UM' ? 1 : 0)),
    settle: Int32Array.from(symbols, (s) => assetIds.get(s.settle) ?? -1),
    face: Float64Array.from(symbols, (s) => s.faceValueUsd?.toNumber() ?? NaN),
    bracketStart,
    bracketEnd: Int32Array.from(symbols, (s, i) => bracketStart[i] + s.brackets.length),
    bracketCap: Float64Array.from(brackets, ({ b, last }) =>
      last || b.cap === null ? Infinity : b.cap.toNumber(),
    ),
    bracketMmr: Float64Array.from(brackets, ({ b }) => b.mmr.toNumber()),
    bracketCum: Float64Array.from(brackets, ({ b }) => b.cum.toNumber()),
    bandAbove: Float64Array.from(params.bands, (b) => (b.above === null ? NaN : b.above.toNumber())),
    bandStatus: Uint8Array.from(params.bands, (b) => RISK_STATUSES.indexOf(b.status)),
  };
}

/** Where the fast path reads: the book's storage and its float prices (index by asset, then mark by symbol). */
export interface FastState {
  params: FloatParams;
  accounts: AccountRows;
  assets: AssetSlots;
  positions: PositionSlots;
  /** Index prices by asset number, then mark prices at assetCount + symbol number; NaN = unknown. */
  prices: Float64Array;
}

/**
 * Brings account i's terms up to the current prices, recomputing only the positions whose mark moved and the
 * assets whose index or settling positions moved, then the account's sums over its cached asset terms.
 * Returns false when a price it needs is unknown (its totals are then left as they were).
 */
export function refresh(state: FastState, i: number): boolean {
  const { params: fp, accounts: acc, assets: as, positions: ps, prices } = state;
  const markBase = fp.assetNames.length;
  const a0 = acc.assetStart[i];
  const a1 = a0 + acc.assetCount[i];
  const p0 = acc.positionStart[i];
  const p1 = p0 + acc.positionCount[i];

  let moved = false;
  for (let q = p0; q < p1; q++) {
    const mark = prices[markBase + ps.symbol[q]];
    if (mark !== mark) return false;
    if (mark === ps.mark[q]) continue;
    positionTerms(fp, ps, q, mark);
    as.stale[ps.settleSlot[q]] = 1;
    moved = true;
  }
  if (moved) {
    for (let s = a0; s < a1; s++) {
      if (as.stale[s] === 0) continue;
      as.pnl[s] = 0;
      as.mPnl[s] = 0;
      as.mmCoin[s] = 0;
      as.mMmCoin[s] = 0;
      as.imCoin[s] = 0;
    }
    for (let q = p0; q < p1; q++) {
      const s = ps.settleSlot[q];
      if (as.stale[s] === 0) continue;
      as.pnl[s] += ps.pnl[q];
      as.mPnl[s] += ps.mPnl[q];
      as.mmCoin[s] += ps.mmCoin[q];
      as.mMmCoin[s] += ps.mMmCoin[q];
      as.imCoin[s] += ps.imCoin[q];
    }
  }

  let equity = 0;
  let mEquity = 0;
  let mm = 0;
  let mMm = 0;
  let im = 0;
  let actual = 0;
  for (let s = a0; s < a1; s++) {
    const index = prices[as.asset[s]];
    if (index !== index) return false;
    if (index !== as.index[s] || as.stale[s] !== 0) {
      assetTerms(fp, as, s, index);
      as.stale[s] = 0;
    }
    equity += as.adjusted[s];
    mEquity += as.mAdjusted[s];
    mm += as.mmUsd[s];
    mMm += as.mMmUsd[s];
    im += as.imUsd[s];
    actual += as.value[s];
  }
  acc.equity[i] = equity;
  acc.mEquity[i] = mEquity;
  acc.maintMargin[i] = mm;
  acc.mMaintMargin[i] = mMm;
  acc.initialMargin[i] = im;
  acc.actualEquity[i] = actual;
  return true;
}

/**
 * One position at `mark`, in its settle asset (spec 1 and 3):
 *   UM notional |q x mark|, uPnL q x (mark - entry);  CM notional |q| x face / mark, uPnL q x face x (1/entry - 1/mark)
 *   MM notional x mmr_k - cum_k (k: first bracket with notional < cap)   IM notional / leverage
 */
function positionTerms(fp: FloatParams, ps: PositionSlots, q: number, mark: number): void {
  const symbol = ps.symbol[q];
  const quantity = ps.quantity[q];
  const size = quantity < 0 ? -quantity : quantity;
  const entry = ps.entry[q];
  let notional: number;
  if (fp.linear[symbol] === 1) {
    notional = size * mark;
    ps.pnl[q] = quantity * (mark - entry);
    ps.mPnl[q] = size * (mark + entry);
  } else {
    const face = fp.face[symbol];
    notional = (size * face) / mark;
    ps.pnl[q] = quantity * face * (1 / entry - 1 / mark);
    ps.mPnl[q] = size * face * (1 / entry + 1 / mark);
  }
  const last = fp.bracketEnd[symbol] - 1;
  let k = fp.bracketStart[symbol];
  while (k < last && !(notional < fp.bracketCap[k])) k++;
  const cum = fp.bracketCum[k];
  ps.mmCoin[q] = notional * fp.bracketMmr[k] - cum;
  ps.mMmCoin[q] = notional * fp.bracketMmr[k < last ? k + 1 : k] + cum;
  ps.imCoin[q] = notional / ps.leverage[q];
  ps.mark[q] = mark;
}

/**
 * One asset at `index` (spec 3): E = net + uPnL, V = E x index, adj = collateral(V) (tiered when V > 0),
 * MM = (positions' MM + L x loanMMR) x index, IM = (positions' IM + L / (marginLeverage - 1)) x index.
 */
function assetTerms(fp: FloatParams, as: AssetSlots, s: number, index: number): void {
  const asset = as.asset[s];
  const net = as.net[s];
  const value = (net + as.pnl[s]) * index;
  const mValue = ((net < 0 ? -net : net) + as.mPnl[s]) * index;
  let adjusted = value;
  if (value > 0) {
    adjusted = 0;
    for (let t = fp.tierStart[asset], end = fp.tierEnd[asset]; t < end; t++) {
      const floor = fp.tierFloor[t];
      if (!(value > floor)) break;
      const cap = fp.tierCap[t];
      adjusted += ((value < cap ? value : cap) - floor) * fp.tierRate[t];
    }
  }
  const loan = as.liability[s];
  const loanMm = loan * fp.loanMmr[asset];
  as.index[s] = index;
  as.value[s] = value;
  as.adjusted[s] = adjusted;
  as.mAdjusted[s] = 2 * mValue;
  as.mmUsd[s] = (as.mmCoin[s] + loanMm) * index;
  as.mMmUsd[s] = (as.mMmCoin[s] + loanMm) * index;
  as.imUsd[s] = (as.imCoin[s] + loan * fp.loanIm[asset]) * index;
}

/** The outcome of `decide`: a certain status (index in RISK_STATUSES) and whether the ratio is certain too. */
export const UNCERTAIN = -1;

/**
 * Account i's status from its float totals, or UNCERTAIN when some band threshold lies within the error bound.
 * Writes the float uniMMR into `accounts.ratio` and returns, in `certainRatio`, whether it is within
 * RATIO_TOLERANCE of the exact one.
 */
export function decide(state: FastState, i: number, out: { certainRatio: boolean }): number {
  const { params: fp, accounts: acc } = state;
  const equity = acc.equity[i];
  const mm = acc.maintMargin[i];
  const g = (acc.assetCount[i] + acc.positionCount[i] + 16) * ULP;
  const eEquity = g * acc.mEquity[i];
  const eMm = g * acc.mMaintMargin[i];
  if (acc.mMaintMargin[i] === 0) {
    acc.ratio[i] = Infinity;
    out.certainRatio = true;
    return RISK_STATUSES.indexOf('NORMAL');
  }
  if (!(mm > eMm)) {
    out.certainRatio = false;
    return UNCERTAIN;
  }
  const ratio = equity / mm;
  acc.ratio[i] = ratio;
  out.certainRatio = equity !== 0 && eEquity / Math.abs(equity) + eMm / mm < RATIO_TOLERANCE;
  const bands = fp.bandAbove.length;
  for (let b = 0; b < bands - 1; b++) {
    const above = fp.bandAbove[b];
    const margin = equity - above * mm;
    const error = eEquity + above * eMm + 4 * ULP * (Math.abs(equity) + above * mm);
    if (margin > error) return fp.bandStatus[b];
    if (!(margin < -error)) return UNCERTAIN;
  }
  return fp.bandStatus[bands - 1];
}

export { NO_STATUS };
