import { SignJWT, jwtVerify, errors as joseErrors, type JWTPayload } from 'jose';
import { unauthenticated } from '../errors';
import type { Viewer } from './viewer';
import { isRowId } from '../lib/row-id';

const ALG = 'HS256';

export type TokenClaims = { role: 'user'; sub: string } | { role: 'operator'; sub: string };

export interface TokenRules {
  /** Longest accepted lifetime, seconds: `exp` must be set and at most this far after `iat` (and now). */
  maxLifetimeSec: number;
  /** When set, `iss` must equal it (and signed tokens carry it). */
  issuer: string | null;
  /** When set, `aud` must name it (and signed tokens carry it). */
  audience: string | null;
}

/** 30 days: the demo tokens' lifetime. */
export const DEFAULT_TOKEN_RULES: TokenRules = { maxLifetimeSec: 30 * 86_400, issuer: null, audience: null };

/** A clock difference between the signer and this instance that `iat`/`exp` checks tolerate, seconds. */
const CLOCK_TOLERANCE_SEC = 60;

/** A verified token is trusted again, without the HMAC, until its `exp` or for at most this long. */
const VERIFIED_CACHE_MS = 60_000;
const VERIFIED_CACHE_SIZE = 10_000;

export interface VerifiedToken {
  viewer: Viewer;
  /** ms since the epoch: the token is refused from then on (a socket it opened is closed then). */
  expiresAt: number;
}

export class TokenService {
  private readonly key: Uint8Array;
  private readonly verified = new Map<string, VerifiedToken & { until: number }>();

  constructor(
    secret: string,
    private readonly rules: TokenRules = DEFAULT_TOKEN_RULES,
  ) {
    this.key = new TextEncoder().encode(secret);
  }

  /**
   * A token for `claims`, expiring as jose's `setExpirationTime` reads `expiresIn` (a span such as "2h", or
   * epoch seconds); by default after the longest lifetime allowed.
   */
  async sign(
    claims: TokenClaims,
    expiresIn: string | number = `${this.rules.maxLifetimeSec}s`,
  ): Promise<string> {
    const jwt = new SignJWT({ role: claims.role })
      .setProtectedHeader({ alg: ALG })
      .setSubject(claims.sub)
      .setIssuedAt();
    if (this.rules.issuer) jwt.setIssuer(this.rules.issuer);
    if (this.rules.audience) jwt.setAudience(this.rules.audience);
    return jwt.setExpirationTime(expiresIn).sign(this.key);
  }

  /** A valid HS256 token with `role` user (sub = account id) or operator; anything else is UNAUTHENTICATED. */
  async verify(token: string, now: number = Date.now()): Promise<Viewer> {
    return (await this.verifyToken(token, now)).viewer;
  }

  /** As `verify`, with the instant the token expires. */
  async verifyToken(token: string, now: number = Date.now()): Promise<VerifiedToken> {
    const cached = this.verified.get(token);
    if (cached && cached.until > now) return cached;
    const verified = await this.check(token, now);
    if (this.verified.size >= VERIFIED_CACHE_SIZE) this.verified.delete(this.verified.keys().next().value!);
    this.verified.set(token, { ...verified, until: Math.min(verified.expiresAt, now + VERIFIED_CACHE_MS) });
    return verified;
  }

  private async check(token: string, now: number): Promise<VerifiedToken> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.key, {
        algorithms: [ALG],
        requiredClaims: ['exp'],
        issuer: this.rules.issuer ?? undefined,
        audience: this.rules.audience ?? undefined,
        currentDate: new Date(now),
      }));
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) throw unauthenticated('Token expired');
      if (error instanceof joseErrors.JWTClaimValidationFailed)
        throw unauthenticated(`Invalid token: ${error.claim === 'exp' ? 'no exp' : `wrong ${error.claim}`}`);
      throw unauthenticated('Invalid token');
    }
    const exp = payload.exp!;
    const issuedAt = payload.iat ?? Math.floor(now / 1000);
    const max = this.rules.maxLifetimeSec + CLOCK_TOLERANCE_SEC;
    if (exp - issuedAt > max || exp - now / 1000 > max)
      throw unauthenticated(`Invalid token: lifetime over ${this.rules.maxLifetimeSec} s (JWT_MAX_LIFETIME)`);
    return { viewer: this.viewerOf(payload), expiresAt: exp * 1000 };
  }

  private viewerOf(payload: JWTPayload): Viewer {
    const sub = typeof payload.sub === 'string' ? payload.sub : '';
    if (sub === '') throw unauthenticated('Token has no subject');
    if (payload.role === 'operator') return { kind: 'operator', name: sub };
    if (payload.role === 'user' && isRowId(sub)) return { kind: 'user', accountId: sub };
    throw unauthenticated('Token role must be user (with a numeric account id) or operator');
  }
}
