import { isDatabaseUnavailable } from '../db/outage';
import { ApiError, serviceUnavailable, unauthenticated } from '../errors';
import type { ApiKeyService } from '../services/api-keys/api-key.service';
import type { TokenService } from './tokens';
import type { Auth, Viewer } from './viewer';

export interface Credentials {
  authorization?: string | null;
  apiKey?: string | null;
}

async function viewerFor(
  credentials: Credentials,
  tokens: TokenService,
  apiKeys: ApiKeyService,
): Promise<{ viewer: Viewer | null; expiresAt: number | null }> {
  const authorization = credentials.authorization?.trim();
  if (authorization) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    if (!match) throw unauthenticated('Authorization must be "Bearer <JWT>"');
    return tokens.verifyToken(match[1]);
  }
  const apiKey = credentials.apiKey?.trim();
  if (apiKey) {
    const viewer = await apiKeys.authenticate(apiKey);
    if (!viewer) throw unauthenticated('Unknown or revoked API key');
    return { viewer, expiresAt: null };
  }
  return { viewer: null, expiresAt: null };
}

/**
 * Credentials from HTTP headers or the graphql-ws connection_init payload. None = anonymous; present but
 * wrong = an Auth whose error is thrown by anything that needs a viewer.
 */
export async function authenticate(
  credentials: Credentials,
  tokens: TokenService,
  apiKeys: ApiKeyService,
): Promise<Auth> {
  try {
    return { ...(await viewerFor(credentials, tokens, apiKeys)), error: null };
  } catch (error) {
    if (error instanceof ApiError) return { viewer: null, error };
    // An API key cannot be checked while the database is down: the request fails retryably, not as a 500.
    if (isDatabaseUnavailable(error))
      return { viewer: null, error: serviceUnavailable('The database is unavailable; retry later') };
    throw error;
  }
}
