import type { ApiKeyScope } from '../entities/api-key.entity';
import { forbidden, unauthenticated, type ApiError } from '../errors';

/** Who is asking. */
export type Viewer =
  | { kind: 'user'; accountId: string }
  | { kind: 'apiKey'; accountId: string; keyId: string; scopes: ApiKeyScope[] }
  | { kind: 'operator'; name: string };

/**
 * The outcome of authentication. Wrong credentials do not fail the request: public fields still answer,
 * and whatever needs a viewer throws `error` (e.g. "Token expired").
 */
export interface Auth {
  viewer: Viewer | null;
  error: ApiError | null;
  /** A token's expiry, ms since the epoch (a socket it opened is closed then); null for keys and anonymous. */
  expiresAt?: number | null;
}

export function requireViewer(auth: Auth): Viewer {
  if (auth.error) throw auth.error;
  if (!auth.viewer) throw unauthenticated();
  return auth.viewer;
}

export function requireOperator(auth: Auth): Extract<Viewer, { kind: 'operator' }> {
  const v = requireViewer(auth);
  if (v.kind !== 'operator') throw forbidden('Operator only');
  return v;
}

/** The viewer's own account (users and API keys); operators have none. */
export function ownAccountId(auth: Auth): string {
  const v = requireViewer(auth);
  if (v.kind === 'operator') throw forbidden('Operators have no account of their own: use account(id:)');
  return v.accountId;
}

/** Operators read any account; users and keys only their own. */
export function assertCanRead(auth: Auth, accountId: string): void {
  const v = requireViewer(auth);
  if (v.kind !== 'operator' && v.accountId !== accountId) throw forbidden('Not your account');
}

/** Moving the account's own money needs a user token or a key with the TRANSFER scope. */
export function accountForMoneyMovement(auth: Auth): string {
  const v = requireViewer(auth);
  if (v.kind === 'operator') throw forbidden('Operators have no account of their own');
  if (v.kind === 'apiKey' && !v.scopes.includes('TRANSFER'))
    throw forbidden('This API key lacks the TRANSFER scope');
  return v.accountId;
}
