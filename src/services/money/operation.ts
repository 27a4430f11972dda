import type { DataSource, EntityManager } from 'typeorm';
import type { AccountEntity, WalletBalanceEntity } from '../../entities';
import type { WalletType } from '../../entities/wallet-balance.entity';
import { ApiError, notFound } from '../../errors';
import { inTransaction } from '../../db/transaction';
import { systemClock, type Clock } from '../../lib/clock';
import { publishAccountChanged, type EventBus } from '../../pubsub';
import { lockAccount, loadBalancesForUpdate } from '../ledger/balances';
import { post, type Movement } from '../ledger/movements';
import { outboxCommitted, recordChange } from '../events/outbox';
import { isStoredRefusal, refusalResponse, replay, requestHash, storeRecord } from './idempotency';

/** A result as it is stored for replay (JSON) and read back: decimals as strings, dates as ISO strings. */
export interface ResultCodec<R> {
  encode(result: R): unknown;
  decode(stored: unknown): R;
}

/** What an operation's body works with: the locked account, the transaction and the ledger. */
export class OperationTx {
  readonly changedWallets = new Set<WalletType>();
  positionsChanged = false;
  modeChanged = false;
  /** Set by every write: a refusal after a write would store a half-done operation, so it is a bug instead. */
  wrote = false;

  constructor(
    readonly em: EntityManager,
    readonly account: AccountEntity,
    readonly at: Date,
    private readonly reference: string,
  ) {}

  /** Locked balance rows of the account (created at zero where missing). */
  balances(keys: { wallet: WalletType; asset: string }[]): Promise<Map<string, WalletBalanceEntity>> {
    return loadBalancesForUpdate(this.em, this.account.id, keys, this.at);
  }

  /** Any other write of the operation (transfer rows, positions, the account). */
  write<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    this.wrote = true;
    return work(this.em);
  }

  /** Posts balanced movements; `reference` defaults to the operation's key. */
  async post(
    kind: string,
    movements: Movement[],
    loaded?: Map<string, WalletBalanceEntity>,
    reference = this.reference,
  ): Promise<void> {
    this.wrote = true;
    await post(this.em, { accountId: this.account.id, kind, reference, at: this.at }, movements, loaded);
    for (const m of movements)
      if (m.wallet !== 'EXTERNAL' && !m.amount.isZero()) this.changedWallets.add(m.wallet);
  }
}

export interface OperationSpec<R> {
  accountId: string;
  operation: string;
  /** null: not keyed (activation is idempotent by nature). */
  idempotencyKey: string | null;
  /** The parsed request; equal values must give equal JSON. */
  request: unknown;
  codec: ResultCodec<R>;
  /** The operation's instant (its `tx.at`), read once the account is locked; default the system clock. */
  clock?: Clock;
  /** Reads and refuses first, writes after: a refusal thrown here leaves nothing behind but its record. */
  execute(tx: OperationTx): Promise<R>;
}

type Outcome<R> = { result: R; tx: OperationTx | null } | { refusal: ApiError; tx: null };

/**
 * Runs one money operation exactly once (spec section 4): in one transaction, the account row locked first,
 * the idempotency key looked up under that lock (so two racing copies of a request serialise and the second
 * replays the first's answer), the body run, and its answer stored with the key. A body that wrote bumps the
 * account's version and leaves an outbox row in the same transaction (events/outbox.ts). After commit, the
 * account's change also goes to the event bus.
 */
export async function runOperation<R>(ds: DataSource, bus: EventBus, spec: OperationSpec<R>): Promise<R> {
  const hash = requestHash(spec.operation, spec.request);
  const outcome = await inTransaction<Outcome<R>>(ds, async (em) => {
    const key = spec.idempotencyKey;
    const locked = await lockAccount(em, spec.accountId, key);
    if (!locked) throw notFound('Account');
    const { account, stored } = locked;
    const at = (spec.clock ?? systemClock).now();
    if (key !== null && stored) {
      if (stored.requestHash !== hash) {
        throw new ApiError('IDEMPOTENCY_KEY_REUSED', `idempotencyKey "${key}" was used for another request`);
      }
      return { result: spec.codec.decode(replay(stored)), tx: null };
    }
    const tx = new OperationTx(em, account, at, key ?? spec.operation);
    try {
      const result = await spec.execute(tx);
      if (tx.wrote) await recordChange(em, account, spec.operation, [...tx.changedWallets], at);
      if (key !== null)
        await storeRecord(em, account.id, key, spec.operation, hash, { ok: spec.codec.encode(result) }, at);
      return { result, tx };
    } catch (error) {
      if (key === null || !isStoredRefusal(error)) throw error;
      if (tx.wrote)
        throw new Error(`${spec.operation} refused (${error.code}) after writing: refusals must come first`);
      await storeRecord(em, account.id, key, spec.operation, hash, refusalResponse(error), at);
      return { refusal: error, tx: null };
    }
  });
  if ('refusal' in outcome) throw outcome.refusal;
  const tx = outcome.tx;
  if (tx?.wrote) outboxCommitted(ds);
  if (tx && (tx.changedWallets.size > 0 || tx.positionsChanged || tx.modeChanged)) {
    publishAccountChanged(bus, {
      accountId: spec.accountId,
      wallets: [...tx.changedWallets],
      reason: spec.operation,
    });
  }
  return outcome.result;
}
