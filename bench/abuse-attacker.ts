import { attacks, FLOOD, type Target } from './abuse-attacks';

/**
 * One attack of bench/abuse-attacks.ts in a process of its own, so that the attacker's work (building and
 * masking 50 MiB frames, parsing answers) does not stall the probe's clock in the bench process. Input:
 * ABUSE_ATTACK (an index into attacks(ABUSE_SCALE), or `flood`), ABUSE_TARGET (a Target as JSON),
 * ABUSE_DURATION_MS. Prints `attacking` when it starts, and at the end one JSON line: outcome -> count.
 */
async function main(): Promise<void> {
  const env = process.env;
  const target = JSON.parse(env.ABUSE_TARGET!) as Target;
  const attack =
    env.ABUSE_ATTACK === 'flood' ? FLOOD : attacks(Number(env.ABUSE_SCALE))[Number(env.ABUSE_ATTACK)];
  const until = Date.now() + Number(env.ABUSE_DURATION_MS);
  const outcomes: Record<string, number> = {};
  process.stdout.write('attacking\n');
  await Promise.all(
    Array.from({ length: attack.workers }, async () => {
      while (Date.now() < until) {
        const outcome = await attack.step(target).catch((error: Error) => `failed: ${error.message}`);
        outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
      }
    }),
  );
  process.stdout.write(`${JSON.stringify(outcomes)}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exit(1);
  },
);
