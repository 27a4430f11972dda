import type { DataSource } from 'typeorm';

export interface CheckResult {
  ok: boolean;
  /** Why not, when not ok. */
  error?: string;
}

export interface Readiness {
  ready: boolean;
  checks: Record<string, CheckResult>;
}

/** A dependency probe: resolves when the dependency answered. */
export type Probe = () => Promise<unknown>;

async function within(probe: Probe, timeoutMs: number): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([probe(), timeout]);
    return { ok: true };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}

/** Runs every probe at once, each within timeoutMs; ready when all answered. */
export async function checkReadiness(probes: Record<string, Probe>, timeoutMs: number): Promise<Readiness> {
  const names = Object.keys(probes);
  const results = await Promise.all(names.map((name) => within(probes[name], timeoutMs)));
  const checks = Object.fromEntries(names.map((name, i) => [name, results[i]]));
  return { ready: results.every((r) => r.ok), checks };
}

export const databaseProbe =
  (ds: DataSource): Probe =>
  () =>
    ds.query('SELECT 1');
