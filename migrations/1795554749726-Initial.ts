import { MigrationInterface, QueryRunner } from 'typeorm';

export class Initial1795554749726 implements MigrationInterface {
  name = 'Initial1795554749726';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE \`account\` (\`id\` bigint NOT NULL AUTO_INCREMENT, \`vipLevel\` int NOT NULL, \`mode\` varchar(20) NOT NULL, \`createdAt\` datetime(3) NOT NULL, \`activatedAt\` datetime(3) NULL, PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`api_key\` (\`id\` bigint NOT NULL AUTO_INCREMENT, \`accountId\` bigint NOT NULL, \`label\` varchar(100) NOT NULL, \`scopes\` text NOT NULL, \`secretHash\` varchar(64) NOT NULL, \`createdAt\` datetime(3) NOT NULL, \`revokedAt\` datetime(3) NULL, UNIQUE INDEX \`uq_api_key_hash\` (\`secretHash\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`asset\` (\`symbol\` varchar(20) NOT NULL, \`precision\` int NOT NULL, \`collateralTiers\` text NOT NULL, \`loanMMR\` decimal(36,18) NOT NULL, \`marginLeverage\` int NOT NULL, \`hourlyInterestRate\` decimal(36,18) NOT NULL, \`borrowLimit\` decimal(36,18) NOT NULL, \`sortOrder\` int NOT NULL, PRIMARY KEY (\`symbol\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`futures_symbol\` (\`symbol\` varchar(30) NOT NULL, \`contractType\` varchar(2) NOT NULL, \`base\` varchar(20) NOT NULL, \`settle\` varchar(20) NOT NULL, \`faceValueUsd\` decimal(36,18) NULL, \`defaultLeverage\` int NOT NULL, \`brackets\` text NOT NULL, \`sortOrder\` int NOT NULL, PRIMARY KEY (\`symbol\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`idempotency_record\` (\`accountId\` bigint NOT NULL, \`idempotencyKey\` varchar(64) NOT NULL, \`operation\` varchar(30) NOT NULL, \`requestHash\` varchar(64) NOT NULL, \`response\` text NOT NULL, \`createdAt\` datetime(3) NOT NULL, PRIMARY KEY (\`accountId\`, \`idempotencyKey\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`ledger_entry\` (\`id\` bigint NOT NULL AUTO_INCREMENT, \`accountId\` bigint NOT NULL, \`wallet\` varchar(20) NOT NULL, \`asset\` varchar(20) NOT NULL, \`field\` varchar(10) NOT NULL, \`amount\` decimal(36,18) NOT NULL, \`kind\` varchar(30) NOT NULL, \`reference\` varchar(100) NOT NULL, \`createdAt\` datetime(3) NOT NULL, INDEX \`ix_ledger_account\` (\`accountId\`, \`id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`position\` (\`id\` bigint NOT NULL AUTO_INCREMENT, \`accountId\` bigint NOT NULL, \`symbol\` varchar(30) NOT NULL, \`quantity\` decimal(36,18) NOT NULL, \`entryPrice\` decimal(36,18) NOT NULL, \`leverage\` int NOT NULL, \`updatedAt\` datetime(3) NOT NULL, UNIQUE INDEX \`uq_position\` (\`accountId\`, \`symbol\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`price\` (\`symbol\` varchar(30) NOT NULL, \`price\` decimal(36,18) NOT NULL, \`updatedAt\` datetime(3) NOT NULL, PRIMARY KEY (\`symbol\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`transfer\` (\`id\` bigint NOT NULL AUTO_INCREMENT, \`accountId\` bigint NOT NULL, \`idempotencyKey\` varchar(64) NOT NULL, \`asset\` varchar(20) NOT NULL, \`amount\` decimal(36,18) NOT NULL, \`fromWallet\` varchar(20) NOT NULL, \`toWallet\` varchar(20) NOT NULL, \`createdAt\` datetime(3) NOT NULL, INDEX \`ix_transfer_account\` (\`accountId\`, \`id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`wallet_balance\` (\`id\` bigint NOT NULL AUTO_INCREMENT, \`accountId\` bigint NOT NULL, \`wallet\` varchar(20) NOT NULL, \`asset\` varchar(20) NOT NULL, \`free\` decimal(36,18) NOT NULL, \`locked\` decimal(36,18) NOT NULL, \`borrowed\` decimal(36,18) NOT NULL, \`interest\` decimal(36,18) NOT NULL, \`interestChargedUntil\` datetime(3) NULL, \`updatedAt\` datetime(3) NOT NULL, UNIQUE INDEX \`uq_wallet_balance\` (\`accountId\`, \`wallet\`, \`asset\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX \`uq_wallet_balance\` ON \`wallet_balance\``);
    await queryRunner.query(`DROP TABLE \`wallet_balance\``);
    await queryRunner.query(`DROP INDEX \`ix_transfer_account\` ON \`transfer\``);
    await queryRunner.query(`DROP TABLE \`transfer\``);
    await queryRunner.query(`DROP TABLE \`price\``);
    await queryRunner.query(`DROP INDEX \`uq_position\` ON \`position\``);
    await queryRunner.query(`DROP TABLE \`position\``);
    await queryRunner.query(`DROP INDEX \`ix_ledger_account\` ON \`ledger_entry\``);
    await queryRunner.query(`DROP TABLE \`ledger_entry\``);
    await queryRunner.query(`DROP TABLE \`idempotency_record\``);
    await queryRunner.query(`DROP TABLE \`futures_symbol\``);
    await queryRunner.query(`DROP TABLE \`asset\``);
    await queryRunner.query(`DROP INDEX \`uq_api_key_hash\` ON \`api_key\``);
    await queryRunner.query(`DROP TABLE \`api_key\``);
    await queryRunner.query(`DROP TABLE \`account\``);
  }
}
