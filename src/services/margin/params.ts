import { dec, ZERO, type Decimal } from '../../lib/decimal';
import { InvalidRiskParamsError } from './errors';
import {
  RISK_STATUSES,
  type AssetSpec,
  type Bracket,
  type CollateralTier,
  type RiskBand,
  type RiskParams,
  type RiskStatus,
  type SymbolSpec,
} from './types';

/**
 * The shape of `reference.json` as `JSON.parse` returns it: money and rates are decimal strings, enums are
 * plain strings checked here. Fields the engine does not read (quiz, wallet assets, the tiered-collateral
 * example) are typed for the other readers of the file.
 */
export interface ReferenceTier {
  floor: string;
  cap: string | null;
  rate: string;
}
export interface ReferenceBracket {
  floor: string;
  cap: string | null;
  mmr: string;
  cum: string;
  maxLeverage: number;
}
export interface ReferenceAsset {
  symbol: string;
  precision: number;
  indexPrice?: string;
  loanMMR: string;
  marginLeverage: number;
  hourlyInterestRate: string;
  borrowLimit: string;
  collateralTiers: ReferenceTier[];
}
export interface ReferenceSymbol {
  symbol: string;
  type: string;
  base: string;
  settle: string;
  faceValueUsd?: string | null;
  defaultLeverage: number;
  source?: string;
  brackets: ReferenceBracket[];
}
export interface ReferenceData {
  _about?: string;
  eligibility: { minQualifyingBalanceUsd: string; vipLevels: number[]; source?: string };
  riskBands: { status: string; above: string | null }[];
  maxWithdrawMmMultiple: string;
  assets: ReferenceAsset[];
  symbols: ReferenceSymbol[];
  exampleTieredCollateral?: {
    source?: string;
    tiers: ReferenceTier[];
    valueUsd: string;
    collateralUsd: string;
  };
  walletAssets?: Record<string, string | string[]>;
  quiz?: { id: string; text: string; options: { id: string; text: string }[]; answer: string }[];
}

/**
 * Builds the engine's parameters from reference data and refuses data the formulas cannot use (the one place
 * for parameter invariants): collateral tiers and brackets must start at 0 without gap or overlap, the last
 * collateral tier open-ended while brackets may end at a finite cap, beyond which the last bracket applies
 * (spec 3); rates lie in [0, 1], mmr never falls, bands run best to worst with falling thresholds.
 * The `cum` recurrence is data, checked by the tests rather than here.
 */
export function riskParamsFromReference(ref: ReferenceData): RiskParams {
  const assets = new Map<string, AssetSpec>();
  for (const a of ref.assets) {
    if (assets.has(a.symbol)) fail(`duplicate asset ${a.symbol}`);
    assets.set(a.symbol, assetSpec(a));
  }
  const symbols = new Map<string, SymbolSpec>();
  for (const s of ref.symbols) {
    if (symbols.has(s.symbol)) fail(`duplicate symbol ${s.symbol}`);
    symbols.set(s.symbol, symbolSpec(s, assets));
  }
  const [vipMin, vipMax] = ref.eligibility.vipLevels;
  if (ref.eligibility.vipLevels.length !== 2 || !isCount(vipMin) || !isCount(vipMax) || vipMin > vipMax) {
    fail('eligibility.vipLevels must be [min, max]');
  }
  const multiple = positive(ref.maxWithdrawMmMultiple, 'maxWithdrawMmMultiple');
  const checkedBands = bands(ref.riskBands);
  // A withdrawal may not itself take the account into REDUCE_ONLY (spec 4).
  const reduceOnlyEdge = checkedBands.find((b) => b.status === 'REDUCE_ONLY')!.above!;
  if (multiple.lt(reduceOnlyEdge))
    fail(`maxWithdrawMmMultiple must not be below REDUCE_ONLY's edge ${reduceOnlyEdge.toFixed()}`);
  return {
    assets,
    symbols,
    bands: checkedBands,
    maxWithdrawMmMultiple: multiple,
    eligibility: {
      minQualifyingBalanceUsd: nonNegative(
        ref.eligibility.minQualifyingBalanceUsd,
        'minQualifyingBalanceUsd',
      ),
      vipLevels: [vipMin, vipMax],
    },
  };
}

/** Contiguous tiers [floor, cap) from 0, the last one open-ended (spec 3), each rate in [0, 1]. */
export function collateralTiersFrom(tiers: ReferenceTier[], where: string): CollateralTier[] {
  const checked = contiguous(tiers, where);
  if (checked[checked.length - 1].cap !== null) fail(`${where}: the last collateral tier must be open-ended`);
  return checked.map((t, i) => ({ ...t, rate: between01(tiers[i].rate, `${where} rate`) }));
}

function assetSpec(a: ReferenceAsset): AssetSpec {
  const where = `asset ${a.symbol}`;
  if (!isCount(a.precision)) fail(`${where}: precision must be a non-negative integer`);
  if (!Number.isInteger(a.marginLeverage) || a.marginLeverage <= 1)
    fail(`${where}: marginLeverage must be > 1`);
  return {
    symbol: a.symbol,
    precision: a.precision,
    collateralTiers: collateralTiersFrom(a.collateralTiers, where),
    loanMMR: between01(a.loanMMR, `${where} loanMMR`),
    marginLeverage: a.marginLeverage,
    hourlyInterestRate: nonNegative(a.hourlyInterestRate, `${where} hourlyInterestRate`),
    borrowLimit: nonNegative(a.borrowLimit, `${where} borrowLimit`),
  };
}

function symbolSpec(s: ReferenceSymbol, assets: ReadonlyMap<string, AssetSpec>): SymbolSpec {
  const where = `symbol ${s.symbol}`;
  if (s.type !== 'UM' && s.type !== 'CM') fail(`${where}: type must be UM or CM`);
  if (!assets.has(s.base) || !assets.has(s.settle)) fail(`${where}: base and settle must be known assets`);
  if (!Number.isInteger(s.defaultLeverage) || s.defaultLeverage < 1)
    fail(`${where}: defaultLeverage must be >= 1`);
  let faceValueUsd: Decimal | null = null;
  if (s.type === 'CM') {
    // Inverse contracts margin and settle in the coin they are quoted against (spec 1).
    if (s.settle !== s.base) fail(`${where}: a CM symbol settles in its base coin`);
    faceValueUsd = positive(s.faceValueUsd ?? '', `${where} faceValueUsd`);
  }
  const brackets: Bracket[] = contiguous(s.brackets, where).map((b, i) => {
    const r = s.brackets[i];
    if (!Number.isInteger(r.maxLeverage) || r.maxLeverage < 1) fail(`${where}: maxLeverage must be >= 1`);
    return {
      ...b,
      mmr: between01(r.mmr, `${where} mmr`),
      cum: nonNegative(r.cum, `${where} cum`),
      maxLeverage: r.maxLeverage,
    };
  });
  for (let k = 1; k < brackets.length; k++) {
    if (brackets[k].mmr.lt(brackets[k - 1].mmr))
      fail(`${where}: mmr must not fall from one bracket to the next`);
  }
  return {
    symbol: s.symbol,
    contractType: s.type,
    base: s.base,
    settle: s.settle,
    faceValueUsd,
    defaultLeverage: s.defaultLeverage,
    brackets,
  };
}

/** Best band first; thresholds strictly falling; the last band (and only it) has no threshold. */
function bands(raw: ReferenceData['riskBands']): RiskBand[] {
  if (raw.length !== RISK_STATUSES.length) fail(`riskBands must list ${RISK_STATUSES.join(', ')}`);
  return raw.map((b, i) => {
    if (b.status !== RISK_STATUSES[i]) fail(`riskBands[${i}] must be ${RISK_STATUSES[i]}`);
    const last = i === raw.length - 1;
    if ((b.above === null) !== last) fail('only the last risk band has no threshold');
    const above = b.above === null ? null : positive(b.above, `riskBands[${i}].above`);
    const previous = i > 0 ? raw[i - 1].above : null;
    if (above !== null && previous !== null && !above.lt(dec(previous)))
      fail('risk band thresholds must fall');
    return { status: b.status as RiskStatus, above };
  });
}

/** [floor, cap) slices from 0, each floor the previous cap, caps above floors, only the last unbounded. */
function contiguous(
  rows: { floor: string; cap: string | null }[],
  where: string,
): { floor: Decimal; cap: Decimal | null }[] {
  if (rows.length === 0) fail(`${where}: no tiers`);
  let expectedFloor = ZERO;
  return rows.map((row, i) => {
    const floor = decimal(row.floor, `${where} floor`);
    if (!floor.eq(expectedFloor))
      fail(`${where}: tier ${i} starts at ${row.floor}, expected ${expectedFloor.toFixed()}`);
    const cap = row.cap === null ? null : decimal(row.cap, `${where} cap`);
    if (cap === null && i !== rows.length - 1) fail(`${where}: only the last tier may be unbounded`);
    if (cap !== null && !cap.gt(floor)) fail(`${where}: tier ${i} cap must exceed its floor`);
    expectedFloor = cap ?? floor;
    return { floor, cap };
  });
}

function decimal(value: string, what: string): Decimal {
  let d: Decimal;
  try {
    d = dec(value);
  } catch {
    return fail(`${what}: not a decimal: ${JSON.stringify(value)}`);
  }
  if (!d.isFinite()) fail(`${what}: not finite`);
  return d;
}

function nonNegative(value: string, what: string): Decimal {
  const d = decimal(value, what);
  if (d.isNeg()) fail(`${what} must be >= 0`);
  return d;
}

function positive(value: string, what: string): Decimal {
  const d = decimal(value, what);
  if (!d.gt(0)) fail(`${what} must be > 0`);
  return d;
}

function between01(value: string, what: string): Decimal {
  const d = nonNegative(value, what);
  if (d.gt(1)) fail(`${what} must be <= 1`);
  return d;
}

function isCount(n: number | undefined): n is number {
  return n !== undefined && Number.isInteger(n) && n >= 0;
}

function fail(message: string): never {
  throw new InvalidRiskParamsError(message);
}
