import { createHash, randomBytes } from 'node:crypto';
import { In, IsNull, LessThanOrEqual, Or, type DataSource } from 'typeorm';
import { ApiKeyEntity } from '../../entities';
import type { ApiKeyScope } from '../../entities/api-key.entity';
import { badInput, notFound } from '../../errors';
import type { Viewer } from '../../auth/viewer';
import { logger } from '../../lib/logger';
import { parseRowId } from '../../lib/row-id';
import type { EventBus } from '../../pubsub';

const SECRET_PREFIX = 'pm_';

const hashSecret = (secret: string): string => createHash('sha256').update(secret).digest('hex');

/** lastUsedAt is a hint for the key's owner, not an audit log: at most one write per key and minute. */
export const LAST_USED_RESOLUTION_MS = 60_000;

/** Partner API keys: the secret is shown once; only its SHA-256 is stored. */
export class ApiKeyService {
  /** keyId -> when this instance last wrote (or skipped writing) lastUsedAt, ms. */
  private readonly touched = new Map<string, number>();

  constructor(
    private readonly ds: DataSource,
    private readonly now: () => number = Date.now,
    /** Where revocations are announced (graphql-ws sockets opened with the key close on every instance). */
    private readonly bus: EventBus | null = null,
  ) {}

  /** Every key of the account, revoked ones too, newest first (never a secret: only hashes are stored). */
  async list(accountId: string): Promise<ApiKeyEntity[]> {
    return this.ds.getRepository(ApiKeyEntity).find({ where: { accountId }, order: { id: 'DESC' } });
  }

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
    parseRowId(id, 'id');
    const repo = this.ds.getRepository(ApiKeyEntity);
    const key = await repo.findOneBy({ id, accountId, revokedAt: IsNull() });
    if (!key) throw notFound('API key');
    await repo.update({ id }, { revokedAt: new Date() });
    this.bus?.publish('API_KEY_REVOKED', '*', { keyId: id, accountId });
    return true;
  }

  /** Which of these keys are revoked (or gone). */
  async revokedAmong(keyIds: string[]): Promise<Set<string>> {
    const live = await this.ds
      .getRepository(ApiKeyEntity)
      .find({ select: { id: true }, where: { id: In(keyIds), revokedAt: IsNull() } });
    const alive = new Set(live.map((k) => k.id));
    return new Set(keyIds.filter((id) => !alive.has(id)));
  }

  async authenticate(secret: string): Promise<Viewer | null> {
    if (!secret.startsWith(SECRET_PREFIX) || secret.length > 100) return null;
    const key = await this.ds
      .getRepository(ApiKeyEntity)
      .findOneBy({ secretHash: hashSecret(secret), revokedAt: IsNull() });
    if (!key) return null;
    void this.touch(key.id);
    return { kind: 'apiKey', accountId: key.accountId, keyId: key.id, scopes: key.scopes };
  }

  /**
   * Records a use without delaying the request: in memory at most once a minute per key, then an
   * UPDATE (not awaited by authenticate) that also skips rows another instance stamped less than a minute
   * ago. Returns that write, or null when throttled.
   */
  touch(keyId: string): Promise<void> | null {
    const now = this.now();
    const last = this.touched.get(keyId);
    if (last !== undefined && now - last < LAST_USED_RESOLUTION_MS) return null;
    this.touched.set(keyId, now);
    return this.ds
      .getRepository(ApiKeyEntity)
      .update(
        { id: keyId, lastUsedAt: Or(IsNull(), LessThanOrEqual(new Date(now - LAST_USED_RESOLUTION_MS))) },
        { lastUsedAt: new Date(now) },
      )
      .then(
        () => undefined,
        (error: unknown) => logger.warn({ err: error, keyId }, 'could not record API key use'),
      );
  }
}
