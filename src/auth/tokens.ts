import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import { unauthenticated } from '../errors';
import type { Viewer } from './viewer';
import { isRowId } from '../lib/row-id';

const ALG = 'HS256';

export type TokenClaims = { role: 'user'; sub: string } | { role: 'operator'; sub: string };

/** A verified token is trusted again, without the HMAC, until its `exp` or for at most this long. */
const VERIFIED_CACHE_MS = 60_000;
const VERIFIED_CACHE_SIZE = 10_000;

export class TokenService {
  private readonly key: Uint8Array;
  private readonly verified = new Map<string, { viewer: Viewer; until: number }>();

  constructor(secret: string) {
    this.key = new TextEncoder().encode(secret);
  }

  async sign(claims: TokenClaims, expiresIn: string | number = '30d'): Promise<string> {
    return new SignJWT({ role: claims.role })
      .setProtectedHeader({ alg: ALG })
      .setSubject(claims.sub)
      .setIssuedAt()
      .setExpirationTime(expiresIn)
      .sign(this.key);
  }

  /** A valid HS256 token with `role` user (sub = account id) or operator; anything else is UNAUTHENTICATED. */
  async verify(token: string, now: number = Date.now()): Promise<Viewer> {
    const cached = this.verified.get(token);
    if (cached && cached.until > now) return cached.viewer;
    const { viewer, exp } = await this.check(token);
    if (this.verified.size >= VERIFIED_CACHE_SIZE) this.verified.delete(this.verified.keys().next().value!);
    this.verified.set(token, {
      viewer,
      until: Math.min(exp === undefined ? Infinity : exp * 1000, now + VERIFIED_CACHE_MS),
    });
    return viewer;
  }

  private async check(token: string): Promise<{ viewer: Viewer; exp: number | undefined }> {
    let payload;
    try {
      ({ payload } = await jwtVerify(token, this.key, { algorithms: [ALG] }));
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) throw unauthenticated('Token expired');
      throw unauthenticated('Invalid token');
    }
    const sub = typeof payload.sub === 'string' ? payload.sub : '';
    if (sub === '') throw unauthenticated('Token has no subject');
    if (payload.role === 'operator') return { viewer: { kind: 'operator', name: sub }, exp: payload.exp };
    if (payload.role === 'user' && isRowId(sub))
      return { viewer: { kind: 'user', accountId: sub }, exp: payload.exp };
    throw unauthenticated('Token role must be user (with a numeric account id) or operator');
  }
}
