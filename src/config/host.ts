import { isIP } from 'node:net';
import { ConfigError } from './parse';

/** HOST: an IP address or a host name to bind; default loopback, so a dev server is not on the network. */
export function parseHost(raw: string | undefined): string {
  if (raw === undefined || raw === '') return '127.0.0.1';
  if (isIP(raw) === 0 && !/^[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*$/.test(raw))
    throw new ConfigError(`HOST must be an IP address or a host name, got "${raw}"`);
  return raw;
}

/** Reachable only from this machine: 127.0.0.0/8, ::1 (also IPv4-mapped) or `localhost`. */
export function isLoopback(host: string): boolean {
  const h = host.toLowerCase();
  return h === 'localhost' || h === '::1' || /^(::ffff:)?127\.\d+\.\d+\.\d+$/.test(h);
}

/**
 * The built-in development secret is in the source: anyone who can reach the port could mint an operator
 * token with it, so it is only served on loopback.
 */
export function assertDevSecretOnLoopback(host: string, devSecret: boolean): void {
  if (devSecret && !isLoopback(host))
    throw new ConfigError(
      `HOST=${host} is not a loopback address, and JWT_SECRET is not set: the built-in development secret ` +
        'is public, so anyone on the network could mint an operator token. Set JWT_SECRET (32+ characters) ' +
        'or bind HOST=127.0.0.1.',
    );
}
