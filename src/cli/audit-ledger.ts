import 'reflect-metadata';
import { ConfigError, loadConfig } from '../config';
import { openDataSource } from '../db/data-source';
import { auditLedger } from '../services/ledger/audit';

/** `npm run audit:ledger`: recomputes every balance from the ledger and every position from its fills; exits 1 on any difference. */
async function main(): Promise<void> {
  const config = loadConfig();
  const ds = await openDataSource({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    const report = await auditLedger(ds);
    for (const d of report.differences) console.log(`DIFFERENCE ${d}`);
    console.log(
      `ledger audit: ${report.entries} entries, ${report.balances} balances, ${report.fills} fills replayed, ${report.differences.length} differences`,
    );
    process.exitCode = report.differences.length === 0 ? 0 : 1;
  } finally {
    await ds.destroy();
  }
}

main().catch((error) => {
  console.error(error instanceof ConfigError ? `Configuration error: ${error.message}` : error);
  process.exit(2);
});
