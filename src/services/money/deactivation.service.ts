import type { DataSource } from 'typeorm';
import { AccountEntity, WalletBalanceEntity } from '../../entities';
import { ApiError, badInput } from '../../errors';
import { parseIdempotencyKey } from '../../lib/amount';
import { dec, formatDecimal } from '../../lib/decimal';
import type { EventBus } from '../../pubsub';
import { loadAccountRows } from './account-rows';
import { deactivationPlan, type DeactivationPlan } from './deactivation';
import { runOperation, type OperationTx, type ResultCodec } from './operation';
import { moveKeys, wholeBalanceMovements } from './wallet-moves';

export interface DeactivationResult extends DeactivationPlan {
  dryRun: boolean;
  /** The account in CLASSIC mode after a real run; null for a dry run or a refusal by blockers. */
  account: AccountEntity | null;
}

type StoredAccount = Omit<AccountEntity, 'createdAt' | 'activatedAt'> & {
  createdAt: string;
  activatedAt: string | null;
};

const deactivationCodec: ResultCodec<DeactivationResult> = {
  encode: (r) => ({
    ...r,
    moves: r.moves.map((m) => ({ ...m, amount: formatDecimal(m.amount) })),
    account: r.account && {
      ...r.account,
      createdAt: r.account.createdAt.toISOString(),
      activatedAt: r.account.activatedAt?.toISOString() ?? null,
    },
  }),
  decode: (stored) => {
    const s = stored as Omit<DeactivationResult, 'account' | 'moves'> & {
      moves: { asset: string; amount: string; to: 'CROSS_MARGIN' }[];
      account: StoredAccount | null;
    };
    return {
      ...s,
      moves: s.moves.map((m) => ({ ...m, amount: dec(m.amount) })),
      account: s.account && {
        ...s.account,
        createdAt: new Date(s.account.createdAt),
        activatedAt: s.account.activatedAt === null ? null : new Date(s.account.activatedAt),
      },
    };
  },
};

function requirePm(tx: OperationTx): void {
  if (tx.account.mode !== 'PORTFOLIO_MARGIN')
    throw new ApiError('PM_NOT_ACTIVE', 'Portfolio Margin is not active on this account');
}

/** Leaving Portfolio Margin: the mirror of activation (ActivationService). */
export class DeactivationService {
  constructor(
    private readonly ds: DataSource,
    private readonly bus: EventBus,
  ) {}

  /**
   * A dry run lists blockers and moves and changes nothing. A real run (keyed, exactly once) with blockers
   * moves nothing and answers them with account null; without, in one transaction under the account lock,
   * every PORTFOLIO_MARGIN balance moves whole to CROSS_MARGIN as ledger postings and the mode returns to
   * CLASSIC.
   */
  async deactivate(
    accountId: string,
    dryRun: boolean,
    idempotencyKey: string | null,
  ): Promise<DeactivationResult> {
    if (!dryRun && idempotencyKey === null)
      throw badInput('idempotencyKey is required when dryRun is false', 'idempotencyKey');
    const key = dryRun ? null : parseIdempotencyKey(idempotencyKey!);
    return runOperation(this.ds, this.bus, {
      accountId,
      operation: dryRun ? 'deactivate-dry-run' : 'deactivate',
      idempotencyKey: key,
      request: null,
      codec: deactivationCodec,
      execute: async (tx) => {
        requirePm(tx);
        const rows = await loadAccountRows(tx.em, accountId);
        const sources = rows.balances.filter((b) => b.wallet === 'PORTFOLIO_MARGIN');
        const plan = deactivationPlan(sources, rows.positions);
        if (dryRun || plan.blockers.length > 0) return { dryRun, ...plan, account: null };

        const loaded = sources.length
          ? await tx.balances(moveKeys(sources, 'CROSS_MARGIN'))
          : new Map<string, WalletBalanceEntity>();
        await tx.post(
          'DEACTIVATION',
          wholeBalanceMovements(sources, 'CROSS_MARGIN'),
          loaded,
          `deactivation:${key}`,
        );
        const account = await tx.write(async (em) => {
          await em.update(
            AccountEntity,
            { id: accountId },
            {
              mode: 'CLASSIC',
              activatedAt: null,
              // A later activation starts with no status, not with this one's last.
              riskStatus: null,
            },
          );
          return { ...tx.account, mode: 'CLASSIC' as const, activatedAt: null };
        });
        tx.modeChanged = true;
        return { dryRun, ...plan, account };
      },
    });
  }
}
