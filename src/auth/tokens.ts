import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import { unauthenticated } from '../errors';
import type { Viewer } from './viewer';

const ALG = 'HS256';

export type TokenClaims = { role: 'user'; sub: string } | { role: 'operator'; sub: string };

export class TokenService {
  private readonly key: Uint8Array;

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
  async verify(token: string): Promise<Viewer> {
    let payload;
    try {
      ({ payload } = await jwtVerify(token, this.key, { algorithms: [ALG] }));
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) throw unauthenticated('Token expired');
      throw unauthenticated('Invalid token');
    }
    const sub = typeof payload.sub === 'string' ? payload.sub : '';
    if (sub === '') throw unauthenticated('Token has no subject');
    if (payload.role === 'operator') return { kind: 'operator', name: sub };
    if (payload.role === 'user' && /^\d{1,19}$/.test(sub)) return { kind: 'user', accountId: sub };
    throw unauthenticated('Token role must be user (with a numeric account id) or operator');
  }
}
