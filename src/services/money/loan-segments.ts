import type { EntityManager } from 'typeorm';
import { InterestChargeEntity, LoanSegmentEntity } from '../../entities';
import { decMin, ZERO, type Decimal } from '../../lib/decimal';
import { EXTERNAL, type Movement } from '../ledger/movements';
import {
  bookedInterest,
  hoursDue,
  interestDue,
  nextChargeAt,
  reduceSegments,
  type AssetSpec,
  type LoanSegment,
} from '../margin';

/**
 * The I/O side of interest by time owed (spec section 4; the arithmetic is in margin/interest.ts). Every
 * function runs in the caller's transaction, under the account lock it already holds.
 */

/**
 * Posts one balanced INTEREST movement in the caller's ledger context; `reference` names the charge, for a
 * caller without a reference of its own (the accrual).
 */
export type PostInterest = (movements: Movement[], reference: string) => Promise<void>;

type Rates = Pick<AssetSpec, 'symbol' | 'hourlyInterestRate' | 'precision'>;

const LOAN_WALLET = 'PORTFOLIO_MARGIN' as const;

export const segmentView = (s: LoanSegmentEntity): LoanSegment => ({
  principal: s.principal,
  startedAt: s.startedAt.getTime(),
  chargedHours: s.chargedHours,
});

/** The account's loan segments of the asset, oldest first. */
export function loadSegments(
  em: EntityManager,
  accountId: string,
  asset: string,
): Promise<LoanSegmentEntity[]> {
  return em.find(LoanSegmentEntity, {
    where: { accountId, asset },
    order: { startedAt: 'ASC', id: 'ASC' },
  });
}

/** Interest the segments owe at `at` and that is not charged yet; nothing is written. */
export function unchargedInterest(segments: LoanSegmentEntity[], asset: Rates, at: Date): Decimal {
  return interestDue(segments.map(segmentView), at.getTime(), asset.hourlyInterestRate, asset.precision);
}

/** Charges `hours` more hours of a segment: the INTEREST posting, its interest_charge row, the segment moved on. */
async function charge(
  em: EntityManager,
  segment: LoanSegmentEntity,
  hours: number,
  asset: Rates,
  at: Date,
  postInterest: PostInterest,
): Promise<Decimal> {
  const interest = bookedInterest(segment.principal, asset.hourlyInterestRate, hours, asset.precision);
  const periodStart = new Date(nextChargeAt(segmentView(segment)));
  segment.chargedHours += hours;
  segment.nextChargeAt = new Date(nextChargeAt(segmentView(segment)));
  await postInterest(
    [
      { wallet: LOAN_WALLET, asset: asset.symbol, field: 'interest', amount: interest.neg() },
      { wallet: EXTERNAL, asset: asset.symbol, field: 'free', amount: interest },
    ],
    `interest:${segment.id}:${segment.chargedHours}`,
  );
  await em.insert(InterestChargeEntity, {
    accountId: segment.accountId,
    asset: asset.symbol,
    segmentId: segment.id,
    principal: segment.principal,
    interest,
    periodStart,
    periodEnd: segment.nextChargeAt,
    chargedAt: at,
  });
  await em.update(
    LoanSegmentEntity,
    { id: segment.id },
    { chargedHours: segment.chargedHours, nextChargeAt: segment.nextChargeAt },
  );
  return interest;
}

/** Charges every hour of the segments started before `at` and not yet charged; returns the total charged. */
export async function settleSegments(
  em: EntityManager,
  segments: LoanSegmentEntity[],
  asset: Rates,
  at: Date,
  postInterest: PostInterest,
): Promise<Decimal> {
  let total = ZERO;
  for (const segment of segments) {
    const hours = hoursDue(segmentView(segment), at.getTime());
    if (hours > 0) total = total.plus(await charge(em, segment, hours, asset, at, postInterest));
  }
  return total;
}

/** A borrow's segment: owed from `at`, its first hour charged at once (spec section 4). */
export async function openSegment(
  em: EntityManager,
  accountId: string,
  asset: Rates,
  principal: Decimal,
  at: Date,
  postInterest: PostInterest,
): Promise<void> {
  const segment = em.create(LoanSegmentEntity, {
    accountId,
    asset: asset.symbol,
    principal,
    startedAt: at,
    chargedHours: 0,
    nextChargeAt: at,
  });
  await em.save(segment);
  await charge(em, segment, 1, asset, at, postInterest);
}

/** A repay of principal: the newest segments shrink first; a segment paid off is deleted. */
export async function repaySegments(
  em: EntityManager,
  segments: LoanSegmentEntity[],
  principal: Decimal,
): Promise<void> {
  const principals = segments.map((s) => s.principal);
  const total = principals.reduce((sum, p) => sum.plus(p), ZERO);
  // A loan older than the segments (moved in by activation from CROSS_MARGIN) owes no hours: repaid last.
  const after = reduceSegments(principals, decMin(principal, total));
  for (const [i, segment] of segments.entries()) {
    if (after[i].eq(segment.principal)) continue;
    if (after[i].isZero()) await em.delete(LoanSegmentEntity, { id: segment.id });
    else await em.update(LoanSegmentEntity, { id: segment.id }, { principal: after[i] });
    segment.principal = after[i];
  }
}

/** The PM wallet holds every loan (borrow is PM only; activation moves older loans there). */
export const loanWallet = LOAN_WALLET;
