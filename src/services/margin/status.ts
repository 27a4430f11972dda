import type { Decimal } from '../../lib/decimal';
import { InvalidRiskParamsError } from './errors';
import { RISK_STATUSES, type RiskBand, type RiskStatus } from './types';

/**
 * The band of uniMMR = accountEquity / accountMaintMargin (spec 3), decided without dividing so that no
 * rounding can move an account across a threshold: a band applies when accountEquity > above x MM, the first
 * match from the best band down; the last band has no threshold. With no maintenance margin uniMMR is
 * unbounded and the status is NORMAL.
 */
export function statusFor(
  accountEquity: Decimal,
  accountMaintMargin: Decimal,
  bands: readonly RiskBand[],
): RiskStatus {
  if (!accountMaintMargin.gt(0)) return 'NORMAL';
  for (const band of bands) {
    if (band.above === null || accountEquity.gt(band.above.times(accountMaintMargin))) return band.status;
  }
  return bands[bands.length - 1].status;
}

/** REDUCE_ONLY, FORCE_LIQUIDATION and BANKRUPTED share the restrictions of spec 3's table. */
export function isReduceOnlyOrWorse(status: RiskStatus): boolean {
  return RISK_STATUSES.indexOf(status) >= RISK_STATUSES.indexOf('REDUCE_ONLY');
}

/**
 * The uniMMR at or below which an account is in FORCE_LIQUIDATION or worse (1.05 with the reference bands):
 * the threshold of the band just above FORCE_LIQUIDATION (spec 6, liquidation price).
 */
export function liquidationThreshold(bands: readonly RiskBand[]): Decimal {
  const i = bands.findIndex((b) => b.status === 'FORCE_LIQUIDATION');
  const above = i > 0 ? bands[i - 1].above : null;
  if (above === null) throw new InvalidRiskParamsError('no band above FORCE_LIQUIDATION');
  return above;
}
