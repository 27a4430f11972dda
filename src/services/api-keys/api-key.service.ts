import { createHash, randomBytes } from 'node:crypto';
import { IsNull, type DataSource } from 'typeorm';
import { ApiKeyEntity } from '../../entities';
import type { ApiKeyScope } from '../../entities/api-key.entity';
import { badInput, notFound } from '../../errors';
import type { Viewer } from '../../auth/viewer';

const SECRET_PREFIX = 'pm_';

const hashSecret = (secret: string): string => createHash('sha256').update(secret).digest('hex');

/** Partner API keys: the secret is shown once; only its SHA-256 is stored. */
export class ApiKeyService {
  constructor(private readonly ds: DataSource) {}

  async create(
    accountId: string,
    label: string,
    scopes: ApiKeyScope[],
  ): Promise<{ apiKey: ApiKeyEntity; secret: string }> {
    const trimmed = label.trim();
    if (trimmed.length < 1 || trimmed.length > 100) throw badInput('label must be 1-100 characters', 'label');
    if (scopes.length === 0) throw badInput('scopes must name at least one scope', 'scopes');
    const secret = SECRET_PREFIX + randomBytes(24).toString('base64url');
    const apiKey = await this.ds.getRepository(ApiKeyEntity).save({
      accountId,
      label: trimmed,
      scopes: [...new Set(scopes)].sort(),
      secretHash: hashSecret(secret),
      createdAt: new Date(),
      revokedAt: null,
    });
    return { apiKey, secret };
  }

  async revoke(accountId: string, id: string): Promise<boolean> {
    if (!/^\d{1,19}$/.test(id)) throw notFound('API key');
    const repo = this.ds.getRepository(ApiKeyEntity);
    const key = await repo.findOneBy({ id, accountId, revokedAt: IsNull() });
    if (!key) throw notFound('API key');
    await repo.update({ id }, { revokedAt: new Date() });
    return true;
  }

  async authenticate(secret: string): Promise<Viewer | null> {
    if (!secret.startsWith(SECRET_PREFIX) || secret.length > 100) return null;
    const key = await this.ds
      .getRepository(ApiKeyEntity)
      .findOneBy({ secretHash: hashSecret(secret), revokedAt: IsNull() });
    return key ? { kind: 'apiKey', accountId: key.accountId, keyId: key.id, scopes: key.scopes } : null;
  }
}
