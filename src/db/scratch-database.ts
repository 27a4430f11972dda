import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';

export interface ScratchDatabase {
  /** DATABASE_URL of the new, empty database. */
  url: string;
  drop(): Promise<void>;
}

/**
 * A database of its own on the MySQL/MariaDB server of `serverUrl`, for a test run, a benchmark or CI's
 * migration check; `drop()` removes it.
 */
export async function createScratchDatabase(serverUrl: string, prefix: string): Promise<ScratchDatabase> {
  const url = new URL(serverUrl.replace(/^mariadb:/, 'mysql:'));
  const name = `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = await mysql.createConnection({
    host: url.hostname,
    port: Number(url.port || 3306),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
  });
  await admin.query(`CREATE DATABASE \`${name}\``);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await admin.end();
    },
  };
}
