import { LessThan, type DataSource, type FindOptionsWhere } from 'typeorm';
import { InterestChargeEntity, LedgerEntryEntity, TransferEntity } from '../../entities';
import { decodeCursor, pageOf, type Page } from '../../lib/pagination';

/** Newest first: rows before the cursor, by descending id. */
async function newestFirst<T extends { id: string }>(
  find: (where: { id?: ReturnType<typeof LessThan<string>> }, take: number) => Promise<T[]>,
  first: number,
  after: string | null,
): Promise<Page<T>> {
  const where = after === null ? {} : { id: LessThan(decodeCursor(after)) };
  return pageOf(await find(where, first + 1), first);
}

/** The account's audit trail: transfers, ledger entries and interest charges. */
export class HistoryService {
  constructor(private readonly ds: DataSource) {}

  transfers(accountId: string, first: number, after: string | null): Promise<Page<TransferEntity>> {
    return newestFirst(
      (where, take) =>
        this.ds
          .getRepository(TransferEntity)
          .find({ where: { accountId, ...where }, order: { id: 'DESC' }, take }),
      first,
      after,
    );
  }

  /** Entries of the account's own wallets and of its EXTERNAL counterpart, optionally of one asset. */
  ledger(
    accountId: string,
    first: number,
    after: string | null,
    asset: string | null,
  ): Promise<Page<LedgerEntryEntity>> {
    return newestFirst(
      (where, take) => {
        const filter: FindOptionsWhere<LedgerEntryEntity> = {
          accountId,
          ...where,
          ...(asset ? { asset } : {}),
        };
        return this.ds.getRepository(LedgerEntryEntity).find({ where: filter, order: { id: 'DESC' }, take });
      },
      first,
      after,
    );
  }

  /** Interest charges of the account's loan segments, optionally of one asset. */
  interest(
    accountId: string,
    first: number,
    after: string | null,
    asset: string | null,
  ): Promise<Page<InterestChargeEntity>> {
    return newestFirst(
      (where, take) =>
        this.ds.getRepository(InterestChargeEntity).find({
          where: { accountId, ...where, ...(asset ? { asset } : {}) },
          order: { id: 'DESC' },
          take,
        }),
      first,
      after,
    );
  }
}
