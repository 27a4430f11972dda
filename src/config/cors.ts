import { ConfigError } from './parse';

/** Origins allowed to call /graphql from a browser: none (same origin only), a list, or every origin. */
export type CorsOrigins = { any: true } | { any: false; origins: readonly string[] };

/** CORS_ORIGINS: `https://app.example,https://admin.example` (each an origin: scheme, host, port), or `*`. */
export function parseCorsOrigins(raw: string | undefined): CorsOrigins {
  const entries = (raw ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  if (entries.includes('*')) {
    if (entries.length > 1) throw new ConfigError('CORS_ORIGINS is either * alone or a list of origins');
    return { any: true };
  }
  const origins = entries.map((entry) => {
    let url: URL | null = null;
    try {
      url = new URL(entry);
    } catch {
      // reported below
    }
    if (!url || !['http:', 'https:'].includes(url.protocol) || url.origin !== entry)
      throw new ConfigError(
        `CORS_ORIGINS must list origins such as https://app.example.com (scheme, host, port; no path or ` +
          `trailing slash), got "${entry}"`,
      );
    return entry;
  });
  return { any: false, origins };
}
