/**
 * Typed refusals of the risk engine. Each names the symbol or asset at fault so that the GraphQL layer can
 * map it to a stable error code (PRICE_UNAVAILABLE, UNKNOWN_SYMBOL, UNKNOWN_ASSET, ...).
 */

/** A price the result depends on is missing or not positive: the engine refuses rather than guess. */
export class PriceUnavailableError extends Error {
  override readonly name = 'PriceUnavailableError';
  constructor(readonly symbol: string) {
    super(`no usable price for ${symbol}`);
  }
}

export class UnknownSymbolError extends Error {
  override readonly name = 'UnknownSymbolError';
  constructor(readonly symbol: string) {
    super(`unknown futures symbol ${symbol}`);
  }
}

export class UnknownAssetError extends Error {
  override readonly name = 'UnknownAssetError';
  constructor(readonly symbol: string) {
    super(`unknown asset ${symbol}`);
  }
}

/** Reference data that would make the formulas meaningless (gaps in tiers, unordered brackets, ...). */
export class InvalidRiskParamsError extends Error {
  override readonly name = 'InvalidRiskParamsError';
}

/** A what-if scenario that cannot happen (both or neither of change/price, amount <= 0, price <= 0). */
export class InvalidScenarioError extends Error {
  override readonly name = 'InvalidScenarioError';
}

/** A what-if transfer out of more than the free balance (spec 4: transfers never make free negative). */
export class InsufficientBalanceError extends Error {
  override readonly name = 'InsufficientBalanceError';
  constructor(readonly symbol: string) {
    super(`transfer exceeds the free balance of ${symbol}`);
  }
}
