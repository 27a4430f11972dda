import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { detectMysqlFlavor, mysqlOptions } from './src/db/data-source';

/**
 * The MySQL/MariaDB DataSource for the TypeORM CLI (migration:generate, migration:run, and CI's check
 * that the migrations match the entities). Needs DATABASE_URL.
 */
async function cliDataSource(): Promise<DataSource> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('ormconfig: set DATABASE_URL=mysql://... for the TypeORM CLI');
  return new DataSource(mysqlOptions(url, await detectMysqlFlavor(url)));
}

export default cliDataSource();
