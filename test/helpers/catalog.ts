import type { TestApp } from './test-app';

/**
 * Asks the instance behind `gql` for its catalogue version until it reaches `version`, request after request
 * (no sleeps), for up to `timeoutMs`; resolves to the version it reported.
 */
export async function untilCatalogVersion(
  gql: TestApp['gql'],
  version: number,
  timeoutMs = 10_000,
): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await gql<{ catalogVersion: number }>('{ catalogVersion }');
    const seen = res.data!.catalogVersion;
    if (seen >= version) return seen;
    if (Date.now() > deadline) throw new Error(`catalogue version still ${seen}, expected ${version}`);
  }
}
