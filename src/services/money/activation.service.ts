import type { DataSource } from 'typeorm';
import { AccountEntity, WalletBalanceEntity } from '../../entities';
import { ApiError, badInput } from '../../errors';
import type { EventBus } from '../../pubsub';
import type { Catalog } from '../catalog/catalog';
import { MERGED_WALLETS, PM_ALREADY_ACTIVE, type RiskService } from '../risk/risk.service';
import { loadAccountRows } from './account-rows';
import { recordCodec } from './codecs';
import { runOperation } from './operation';
import { moveKeys, wholeBalanceMovements } from './wallet-moves';

export interface QuizAnswer {
  questionId: string;
  optionId: string;
}

/** Spec section 2: every answer must be right; a wrong quiz says how many were wrong, never which. */
export function wrongAnswers(catalog: Catalog, answers: QuizAnswer[]): number {
  const known = new Map(catalog.quiz.map((q) => [q.id, q]));
  const given = new Map<string, string>();
  for (const a of answers) {
    if (!known.has(a.questionId)) throw badInput(`unknown quiz question "${a.questionId}"`, 'answers');
    if (given.has(a.questionId)) throw badInput(`question "${a.questionId}" answered twice`, 'answers');
    given.set(a.questionId, a.optionId);
  }
  return catalog.quiz.filter((q) => given.get(q.id) !== q.answer).length;
}

/** Switching a CLASSIC account to Portfolio Margin, once. */
export class ActivationService {
  constructor(
    private readonly ds: DataSource,
    private readonly bus: EventBus,
    private readonly catalog: Catalog,
    private readonly risk: RiskService,
  ) {}

  /**
   * One transaction under the account lock: ALREADY_ACTIVE, NOT_ELIGIBLE (with reasons) and QUIZ_FAILED
   * refuse; otherwise every field of every CROSS_MARGIN, USDM_FUTURES and COINM_FUTURES balance moves into
   * PORTFOLIO_MARGIN as ledger postings and the mode changes (loan segments are per account and asset, so they
   * keep their hours).
   */
  async activate(accountId: string, answers: QuizAnswer[]): Promise<AccountEntity> {
    const wrong = wrongAnswers(this.catalog, answers);
    return runOperation(this.ds, this.bus, {
      accountId,
      operation: 'activate',
      idempotencyKey: null,
      request: null,
      codec: recordCodec<AccountEntity>([], ['createdAt']),
      execute: async (tx) => {
        if (tx.account.mode === 'PORTFOLIO_MARGIN') throw new ApiError('ALREADY_ACTIVE', PM_ALREADY_ACTIVE);
        const rows = await loadAccountRows(tx.em, accountId);
        const eligibility = this.risk.eligibility(tx.account, rows.balances);
        if (!eligibility.eligible) {
          throw new ApiError('NOT_ELIGIBLE', `Not eligible: ${eligibility.reasons.join('; ')}`, {
            reasons: eligibility.reasons,
          });
        }
        if (wrong > 0)
          throw new ApiError('QUIZ_FAILED', `${wrong} of ${this.catalog.quiz.length} answers are wrong`, {
            wrongAnswers: wrong,
          });

        const sources = rows.balances.filter((b) => MERGED_WALLETS.includes(b.wallet));
        const keys = moveKeys(sources, 'PORTFOLIO_MARGIN');
        const loaded = keys.length ? await tx.balances(keys) : new Map<string, WalletBalanceEntity>();
        await tx.post('ACTIVATION', wholeBalanceMovements(sources, 'PORTFOLIO_MARGIN'), loaded, 'activation');

        const account = await tx.write(async (em) => {
          await em.update(AccountEntity, { id: accountId }, { mode: 'PORTFOLIO_MARGIN', activatedAt: tx.at });
          return { ...tx.account, mode: 'PORTFOLIO_MARGIN' as const, activatedAt: tx.at };
        });
        tx.modeChanged = true;
        return account;
      },
    });
  }
}
