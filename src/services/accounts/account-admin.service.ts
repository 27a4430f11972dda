import type { DataSource } from 'typeorm';
import { AccountEntity } from '../../entities';
import { badInput, notFound } from '../../errors';
import type { EventBus } from '../../pubsub';
import { parseRowId } from '../../lib/row-id';

function parseVipLevel(vipLevel: number): number {
  if (!Number.isInteger(vipLevel) || vipLevel < 0 || vipLevel > 9)
    throw badInput('vipLevel must be an integer from 0 to 9', 'vipLevel');
  return vipLevel;
}

/** Operator actions on accounts themselves (no money moves here). */
export class AccountAdminService {
  constructor(
    private readonly ds: DataSource,
    private readonly bus: EventBus,
  ) {}

  async create(vipLevel: number): Promise<AccountEntity> {
    return this.ds
      .getRepository(AccountEntity)
      .save({ vipLevel: parseVipLevel(vipLevel), mode: 'CLASSIC', createdAt: new Date(), activatedAt: null });
  }

  async setVipLevel(accountId: string, vipLevel: number): Promise<AccountEntity> {
    const level = parseVipLevel(vipLevel);
    const repo = this.ds.getRepository(AccountEntity);
    parseRowId(accountId, 'accountId');
    const result = await repo.update({ id: accountId }, { vipLevel: level });
    if (!result.affected) throw notFound('Account');
    this.bus.publish('ACCOUNT_CHANGED', accountId, { accountId, wallets: [], reason: 'vipLevel' });
    return repo.findOneByOrFail({ id: accountId });
  }
}
