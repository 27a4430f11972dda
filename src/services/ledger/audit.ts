import { MoreThan, type DataSource } from 'typeorm';
import { LedgerEntryEntity, WalletBalanceEntity } from '../../entities';
import type { LedgerField } from '../../entities/ledger-entry.entity';
import { ZERO, formatDecimal, type Decimal } from '../../lib/decimal';
import { EXTERNAL } from './movements';
import { auditPositions } from './position-audit';

export interface AuditReport {
  entries: number;
  balances: number;
  /** Fill journal rows replayed by the position check. */
  fills: number;
  /** Human-readable differences; empty when the books hold. */
  differences: string[];
}

const PAGE = 5000;
const FIELDS: LedgerField[] = ['free', 'locked', 'borrowed', 'interest'];

/** A field from the sum of its entries: entries are changes of the net balance, which borrowed and interest lower. */
const fieldFromEntries = (field: LedgerField, sum: Decimal): Decimal =>
  field === 'borrowed' || field === 'interest' ? sum.neg() : sum;

/**
 * Recomputes every balance from the ledger and compares: (1) conservation, the entries of each asset sum
 * to zero over all wallets with EXTERNAL; (2) every stored balance field equals the sum of its entries;
 * (3) every position equals the replay of its fills (`auditPositions`).
 * Sums are exact decimals in code (SQLite keeps money as text; SQL SUM would be a float there).
 */
export async function auditLedger(ds: DataSource): Promise<AuditReport> {
  const perAsset = new Map<string, Decimal>();
  const perField = new Map<string, Decimal>();
  let entries = 0;
  let lastId = '0';
  for (;;) {
    const page = await ds
      .getRepository(LedgerEntryEntity)
      .find({ where: { id: MoreThan(lastId) }, order: { id: 'ASC' }, take: PAGE });
    for (const e of page) {
      perAsset.set(e.asset, (perAsset.get(e.asset) ?? ZERO).plus(e.amount));
      if (e.wallet !== EXTERNAL) {
        const key = `${e.accountId}|${e.wallet}|${e.asset}|${e.field}`;
        perField.set(key, (perField.get(key) ?? ZERO).plus(e.amount));
      }
    }
    entries += page.length;
    if (page.length < PAGE) break;
    lastId = page[page.length - 1].id;
  }

  const differences: string[] = [];
  for (const [asset, sum] of perAsset) {
    if (!sum.isZero()) differences.push(`conservation: ${asset} entries sum to ${formatDecimal(sum)}, not 0`);
  }
  const balances = await ds.getRepository(WalletBalanceEntity).find();
  const seen = new Set<string>();
  for (const b of balances) {
    for (const field of FIELDS) {
      const key = `${b.accountId}|${b.wallet}|${b.asset}|${field}`;
      seen.add(key);
      const expected = fieldFromEntries(field, perField.get(key) ?? ZERO);
      if (!b[field].eq(expected)) {
        differences.push(
          `account ${b.accountId} ${b.wallet} ${b.asset} ${field}: stored ${formatDecimal(b[field])}, ledger ${formatDecimal(expected)}`,
        );
      }
    }
  }
  for (const [key, sum] of perField) {
    if (!seen.has(key) && !sum.isZero())
      differences.push(`${key.replaceAll('|', ' ')}: ledger ${formatDecimal(sum)} but no balance row`);
  }
  const positions = await auditPositions(ds);
  differences.push(...positions.differences);
  return { entries, balances: balances.length, fills: positions.fills, differences };
}
