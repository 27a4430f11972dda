import Redis from 'ioredis';
import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import type { Auth } from '../../auth/viewer';
import type { RateLimits } from '../../config/limits';
import { rateLimited } from '../../errors';
import { logger } from '../../lib/logger';

/** Whose budget an operation draws from: the account, API key or operator; the IP when anonymous. */
export interface Principal {
  kind: 'user' | 'apiKey' | 'operator' | 'anonymous';
  key: string;
}

export function principalOf(auth: Auth, ip: string): Principal {
  const viewer = auth.viewer;
  if (!viewer) return { kind: 'anonymous', key: `ip:${ip}` };
  if (viewer.kind === 'user') return { kind: 'user', key: `account:${viewer.accountId}` };
  if (viewer.kind === 'apiKey') return { kind: 'apiKey', key: `key:${viewer.keyId}` };
  return { kind: 'operator', key: `operator:${viewer.name}` };
}

interface Budget {
  name: string;
  points: number;
  duration: number;
}

const refusal = (res: RateLimiterRes) => rateLimited(Math.max(1, Math.ceil(res.msBeforeNext)));

/**
 * Per-principal budgets (rate-limiter-flexible): on Redis when REDIS_URL is set, so every instance draws
 * from one budget; in memory otherwise. While Redis is unreachable each instance falls back to its own
 * in-memory limiter (the library's insurance limiter): limits hold per instance and nothing fails closed.
 */
export class RateLimiter {
  private readonly byKind: Record<Principal['kind'], RateLimiterAbstract>;
  private readonly authFailures: RateLimiterAbstract;

  private constructor(
    private readonly limits: RateLimits,
    private readonly redis: Redis | null,
    prefix: string,
  ) {
    const make = (budget: Budget): RateLimiterAbstract => {
      const options = {
        keyPrefix: `${prefix}:rl:${budget.name}`,
        points: budget.points,
        duration: budget.duration,
      };
      const memory = new RateLimiterMemory(options);
      if (!redis) return memory;
      return new RateLimiterRedis({
        ...options,
        storeClient: redis,
        rejectIfRedisNotReady: true,
        insuranceLimiter: memory,
      });
    };
    const user = { points: limits.userPerSecond, duration: 1 };
    this.byKind = {
      user: make({ name: 'user', ...user }),
      apiKey: make({ name: 'apikey', ...user }),
      operator: make({ name: 'operator', points: limits.operatorPerSecond, duration: 1 }),
      anonymous: make({ name: 'anon', points: limits.anonymousPerSecond, duration: 1 }),
    };
    this.authFailures = make({ name: 'authfail', points: limits.authFailuresPerMinute, duration: 60 });
  }

  static async create(limits: RateLimits, redisUrl: string | null, prefix: string): Promise<RateLimiter> {
    if (!redisUrl) return new RateLimiter(limits, null, prefix);
    // No offline queue: while Redis is down a command fails at once and the insurance limiter answers.
    const redis = new Redis(redisUrl, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      lazyConnect: true,
    });
    redis.on('error', (err: Error) =>
      logger.warn({ err }, 'rate limiter: Redis error (in-memory limits apply)'),
    );
    await redis.connect().catch(() => undefined);
    return new RateLimiter(limits, redis, prefix);
  }

  /** Points an operation of this cost draws: 1, plus 1 per full `costPerPoint`. */
  pointsFor(cost: number | null): number {
    return 1 + Math.floor((cost ?? 0) / this.limits.costPerPoint);
  }

  /** Draws `points` from the principal's budget; RATE_LIMITED when it is spent. */
  async take(principal: Principal, points = 1): Promise<void> {
    if (points <= 0) return;
    await this.consume(this.byKind[principal.kind], principal.key, points);
  }

  /**
   * Authentication guarded per IP: an IP whose failed attempts used up their budget is refused before its
   * credentials are checked, and each failure draws from that budget.
   */
  async authenticate(ip: string, presented: boolean, check: () => Promise<Auth>): Promise<Auth> {
    if (presented) {
      const seen = await this.authFailures.get(ip).catch(() => null);
      if (seen && seen.remainingPoints <= 0) throw refusal(seen);
    }
    const auth = await check();
    if (auth.error?.code === 'UNAUTHENTICATED') await this.consume(this.authFailures, ip, 1);
    return auth;
  }

  /** Closes the Redis client at once: nothing pending matters, and a down Redis must not hold the stop. */
  close(): void {
    this.redis?.disconnect();
  }

  private async consume(limiter: RateLimiterAbstract, key: string, points: number): Promise<void> {
    try {
      await limiter.consume(key, points);
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) throw refusal(rejection);
      // A store failure with no insurance left: let the operation through rather than fail closed.
      logger.warn({ err: rejection }, 'rate limiter unavailable; operation allowed');
    }
  }
}
