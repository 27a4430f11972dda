/**
 * The Portfolio Margin risk engine (spec sections 1-4 and 6): pure functions from plain inputs to exact
 * Decimal results. No I/O, no clock, no state.
 */
export * from './types';
export {
  PriceUnavailableError,
  UnknownSymbolError,
  UnknownAssetError,
  InvalidRiskParamsError,
  InvalidScenarioError,
  InsufficientBalanceError,
} from './errors';
export {
  riskParamsFromReference,
  collateralTiersFrom,
  type ReferenceData,
  type ReferenceAsset,
  type ReferenceSymbol,
  type ReferenceTier,
  type ReferenceBracket,
} from './params';
export { netBalance, debt, marginedLiability } from './balance';
export { collateralValue, minValueForCollateral } from './collateral';
export { bracketFor, bracketCums, maintenanceMargin } from './brackets';
export { notional, pnl, averageEntry } from './contracts';
export {
  computeRisk,
  riskTerms,
  type RiskTerms,
  type AssetRisk,
  type PositionRisk,
  type RiskResult,
} from './risk';
export { positionRisk } from './positions';
export { statusFor, isReduceOnlyOrWorse, liquidationThreshold } from './status';
export { maxWithdraw } from './max-withdraw';
export { liquidationPrices, type LiquidationPrice } from './liquidation';
export { applyFill, bookFill, type FillSpec, type FillOutcome } from './fill';
export {
  bookedInterest,
  interestFor,
  interestDue,
  hoursDue,
  startedHours,
  nextChargeAt,
  reduceSegments,
  HOUR_MS,
  type LoanSegment,
} from './interest';
export { applyScenario, type Scenario, type PriceMove } from './scenario';
export { eligibility, type EligibilityResult } from './eligibility';
export { mergeBalances } from './merge';
export { marginCallCrossing, type MarginCallState } from './margin-call';
export { maxBorrowable, withInterestOwed } from './max-borrowable';
