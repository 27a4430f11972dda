import { MigrationInterface, QueryRunner } from 'typeorm';
import { referenceData } from '../src/reference';
import { walletsOf } from '../src/db/seed';

export class CatalogAsData1795858900000 implements MigrationInterface {
  name = 'CatalogAsData1795858900000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE \`catalog_version\` (\`id\` int NOT NULL, \`version\` int NOT NULL, \`updatedAt\` datetime(3) NOT NULL, PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`risk_parameters\` (\`id\` int NOT NULL, \`bands\` text NOT NULL, \`eligibilityThresholdUsd\` decimal(36,18) NOT NULL, \`maxWithdrawMmMultiple\` decimal(36,18) NOT NULL, PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(`ALTER TABLE \`account\` ADD \`marginCallLevel\` decimal(36,18) NULL`);
    await queryRunner.query(`ALTER TABLE \`account\` ADD \`marginCallFired\` tinyint NOT NULL DEFAULT 0`);
    await queryRunner.query(`ALTER TABLE \`asset\` ADD \`wallets\` text NULL`);
    // Assets seeded before wallets were data keep the wallets the reference data gave them.
    for (const asset of referenceData.assets) {
      await queryRunner.query('UPDATE `asset` SET `wallets` = ? WHERE `symbol` = ? AND `wallets` IS NULL', [
        JSON.stringify(walletsOf(referenceData, asset.symbol)),
        asset.symbol,
      ]);
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`asset\` DROP COLUMN \`wallets\``);
    await queryRunner.query(`ALTER TABLE \`account\` DROP COLUMN \`marginCallFired\``);
    await queryRunner.query(`ALTER TABLE \`account\` DROP COLUMN \`marginCallLevel\``);
    await queryRunner.query(`DROP TABLE \`risk_parameters\``);
    await queryRunner.query(`DROP TABLE \`catalog_version\``);
  }
}
