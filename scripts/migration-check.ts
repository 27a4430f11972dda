import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import mysql from 'mysql2/promise';
import { openDataSource } from '../src/db/data-source';

/**
 * CI: the MySQL migrations must build exactly the schema the entities describe. Migrates a fresh database,
 * then asks TypeORM's `migration:generate --check` whether anything is still missing.
 */
async function main(): Promise<void> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) throw new Error('migration-check needs DATABASE_URL=mysql://...');
  const url = new URL(serverUrl);
  const name = `pm_migration_check_${process.pid}`;
  const admin = await mysql.createConnection({
    host: url.hostname,
    port: Number(url.port || 3306),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
  });
  await admin.query(`CREATE DATABASE \`${name}\``);
  url.pathname = `/${name}`;
  try {
    const ds = await openDataSource({ databaseUrl: url.toString() });
    console.log(
      `migrations applied to ${name}: ${(await ds.query('SELECT COUNT(*) AS n FROM migrations'))[0].n}`,
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
      { stdio: 'inherit', env: { ...process.env, DATABASE_URL: url.toString() } },
    );
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
    await admin.end();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
