/**
 * The book's storage: struct-of-arrays columns in typed arrays, so a million accounts cost a few plain
 * numbers each instead of objects the garbage collector walks. Each account owns a contiguous range of asset
 * slots and one of position slots; ranges are reused through free lists by size, so memory stays bounded by
 * the live slots (plus the unused tail of the last growth).
 */

type Column = Float64Array | Int32Array | Uint8Array | Uint16Array;

function grown<T extends Column>(column: T, capacity: number): T {
  const bigger = new (column.constructor as new (length: number) => T)(capacity);
  bigger.set(column);
  return bigger;
}

/** Replaces every typed-array field of `columns` with a copy of length `capacity`. */
function growAll(columns: object, capacity: number): void {
  const fields = columns as Record<string, unknown>;
  for (const [name, value] of Object.entries(fields)) {
    if (ArrayBuffer.isView(value)) fields[name] = grown(value as Column, capacity);
  }
}

/** Hands out [start, start + size) ranges of a growable column set; `onGrow(capacity)` resizes the columns. */
class Ranges {
  top = 0;
  private readonly free = new Map<number, number[]>();

  constructor(
    public capacity: number,
    private readonly onGrow: (capacity: number) => void,
  ) {}

  alloc(size: number): number {
    if (size === 0) return 0;
    const reused = this.free.get(size)?.pop();
    if (reused !== undefined) return reused;
    if (this.top + size > this.capacity) {
      this.capacity = Math.max(this.top + size, Math.ceil(this.capacity * 1.5));
      this.onGrow(this.capacity);
    }
    const start = this.top;
    this.top += size;
    return start;
  }

  release(start: number, size: number): void {
    if (size === 0) return;
    let list = this.free.get(size);
    if (!list) this.free.set(size, (list = []));
    list.push(start);
  }
}

/**
 * Per asset held by an account. Coin terms are in the asset; Usd terms in USD at `index`, the index price
 * they were computed at. Each `m*` column is the term's magnitude (the same sum with every operand taken
 * positive), which bounds its float64 rounding error (see fast-path.ts).
 */
export class AssetSlots {
  asset = new Int32Array(0);
  /** Where the account sits in the exposure list of this asset's index price. */
  exposurePos = new Int32Array(0);
  /** sum free + locked - borrowed - interest. */
  net = new Float64Array(0);
  /** L_a: borrowed + interest + max(-(free + locked), 0); carries loan margin. */
  liability = new Float64Array(0);
  /** Of the positions settling here: uPnL, MM and IM in the asset. */
  pnl = new Float64Array(0);
  mPnl = new Float64Array(0);
  mmCoin = new Float64Array(0);
  mMmCoin = new Float64Array(0);
  imCoin = new Float64Array(0);
  /** 1 when a position settling here moved since the coin sums were added up. */
  stale = new Uint8Array(0);
  index = new Float64Array(0);
  /** V_a = E_a x index. */
  value = new Float64Array(0);
  /** adj_a = collateral(V_a). */
  adjusted = new Float64Array(0);
  mAdjusted = new Float64Array(0);
  mmUsd = new Float64Array(0);
  mMmUsd = new Float64Array(0);
  imUsd = new Float64Array(0);
  readonly ranges = new Ranges(0, (capacity) => growAll(this, capacity));
}

/** Per open position: its inputs, the mark its terms were computed at, and its terms in the settle asset. */
export class PositionSlots {
  symbol = new Int32Array(0);
  exposurePos = new Int32Array(0);
  /** The account's asset slot of the settle asset. */
  settleSlot = new Int32Array(0);
  quantity = new Float64Array(0);
  entry = new Float64Array(0);
  leverage = new Float64Array(0);
  mark = new Float64Array(0);
  pnl = new Float64Array(0);
  mPnl = new Float64Array(0);
  mmCoin = new Float64Array(0);
  mMmCoin = new Float64Array(0);
  imCoin = new Float64Array(0);
  readonly ranges = new Ranges(0, (capacity) => growAll(this, capacity));
}

/** Undecided status (never drained yet, or a price is missing). */
export const NO_STATUS = 255;

/** Per account: its slot ranges, its totals and its decision. Index = the book's dense account number. */
export class AccountRows {
  assetStart = new Int32Array(0);
  assetCount = new Uint16Array(0);
  positionStart = new Int32Array(0);
  positionCount = new Uint16Array(0);
  /** accountEquity, accountMaintMargin, accountInitialMargin, actualEquity and the magnitudes. */
  equity = new Float64Array(0);
  mEquity = new Float64Array(0);
  maintMargin = new Float64Array(0);
  mMaintMargin = new Float64Array(0);
  initialMargin = new Float64Array(0);
  actualEquity = new Float64Array(0);
  /** uniMMR; Infinity when there is no maintenance margin, NaN while undecided. */
  ratio = new Float64Array(0);
  /** 1 while `ratio` is a float whose error bound exceeds the book's tolerance (see RiskBook.current). */
  approximate = new Uint8Array(0);
  /** Index in RISK_STATUSES, or NO_STATUS. */
  status = new Uint8Array(0);
  version = new Float64Array(0);
  dirty = new Uint8Array(0);
  live = new Uint8Array(0);
  capacity = 0;

  ensure(count: number): void {
    if (count <= this.capacity) return;
    const capacity = Math.max(count, Math.ceil(this.capacity * 1.5), 1024);
    growAll(this, capacity);
    this.capacity = capacity;
  }
}
