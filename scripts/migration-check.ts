import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { openDataSource } from '../src/db/data-source';
import { createScratchDatabase } from '../src/db/scratch-database';

/**
 * CI: the MySQL migrations must build exactly the schema the entities describe. Migrates a fresh database,
 * then asks TypeORM's `migration:generate --check` whether anything is still missing.
 */
async function main(): Promise<void> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) throw new Error('migration-check needs DATABASE_URL=mysql://...');
  const db = await createScratchDatabase(serverUrl, 'pm_migration_check');
  try {
    const ds = await openDataSource({ databaseUrl: db.url });
    console.log(
      `migrations applied to ${new URL(db.url).pathname.slice(1)}: ${(await ds.query('SELECT COUNT(*) AS n FROM migrations'))[0].n}`,
    );
    await ds.destroy();
    execFileSync(
      process.execPath,
      [
        '-r',
        '@swc-node/register',
        require.resolve('typeorm/cli.js'),
        'migration:generate',
        'migrations/Pending',
        '--check',
        '-d',
        'ormconfig.ts',
      ],
      { stdio: 'inherit', env: { ...process.env, DATABASE_URL: db.url } },
    );
  } finally {
    await db.drop();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
