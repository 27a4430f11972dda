import { formatTable, isSmoke, type BenchRow } from './lib';
import { suites } from './suites';

/**
 * `npm run bench` (`node -r @swc-node/register bench/run.ts`); `--smoke` or BENCH_SMOKE=1 runs tiny sizes for
 * CI. Progress goes to stderr, the markdown table to stdout.
 */
async function main(): Promise<void> {
  const smoke = isSmoke(process.argv, process.env);
  const results: { suite: string; row: BenchRow }[] = [];
  // BENCH_SUITE=<text>: only the suites whose name contains it (e.g. while profiling one).
  const only = process.env.BENCH_SUITE;
  for (const suite of suites.filter((s) => !only || s.name.includes(only))) {
    process.stderr.write(`bench: ${suite.name}${smoke ? ' (smoke)' : ''}...\n`);
    for (const row of await suite.run({ smoke })) results.push({ suite: suite.name, row });
  }
  process.stdout.write(`${formatTable(results)}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
