import { MigrationInterface, QueryRunner } from 'typeorm';

/** Every key, code and identifier compared in SQL, as `CodeColumn` declares it: varchar(length) NOT NULL. */
const CODE_COLUMNS: [table: string, column: string, length: number][] = [
  ['account', 'mode', 20],
  ['api_key', 'secretHash', 64],
  ['asset', 'symbol', 20],
  ['futures_symbol', 'symbol', 30],
  ['futures_symbol', 'contractType', 2],
  ['futures_symbol', 'base', 20],
  ['futures_symbol', 'settle', 20],
  ['idempotency_record', 'idempotencyKey', 64],
  ['idempotency_record', 'operation', 30],
  ['idempotency_record', 'requestHash', 64],
  ['interest_charge', 'asset', 20],
  ['lease', 'name', 100],
  ['lease', 'owner', 100],
  ['ledger_entry', 'wallet', 20],
  ['ledger_entry', 'asset', 20],
  ['ledger_entry', 'field', 10],
  ['ledger_entry', 'kind', 30],
  ['ledger_entry', 'reference', 100],
  ['loan_segment', 'asset', 20],
  ['position', 'symbol', 30],
  ['price', 'symbol', 30],
  ['transfer', 'idempotencyKey', 64],
  ['transfer', 'asset', 20],
  ['transfer', 'fromWallet', 20],
  ['transfer', 'toWallet', 20],
  ['wallet_balance', 'wallet', 20],
  ['wallet_balance', 'asset', 20],
];

/**
 * Keys compare exactly (spec 4): the server's default collation (utf8mb4_general_ci on MariaDB) made `Key-a`
 * and `key-A` one idempotency key, and `usdt` the asset `USDT`. Binary collation compares bytes, as SQLite does.
 * TypeORM's schema diff does not compare collations, so the entities' `CodeColumn` declares it and this
 * migration applies it.
 */
export class ExactKeys1795859586796 implements MigrationInterface {
  name = 'ExactKeys1795859586796';

  public async up(queryRunner: QueryRunner): Promise<void> {
    for (const [table, column, length] of CODE_COLUMNS)
      await queryRunner.query(
        `ALTER TABLE \`${table}\` MODIFY \`${column}\` varchar(${length}) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL`,
      );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const [table, column, length] of CODE_COLUMNS)
      await queryRunner.query(`ALTER TABLE \`${table}\` MODIFY \`${column}\` varchar(${length}) NOT NULL`);
  }
}
