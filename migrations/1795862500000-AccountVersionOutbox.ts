import { MigrationInterface, QueryRunner } from 'typeorm';

export class AccountVersionOutbox1795862500000 implements MigrationInterface {
  name = 'AccountVersionOutbox1795862500000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE \`account_outbox\` (\`id\` bigint NOT NULL AUTO_INCREMENT, \`accountId\` bigint NOT NULL, \`version\` bigint NOT NULL, \`kind\` varchar(30) NOT NULL, \`payload\` varchar(255) NOT NULL, \`createdAt\` datetime(3) NOT NULL, PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(`ALTER TABLE \`account\` ADD \`version\` bigint NOT NULL DEFAULT '0'`);
    await queryRunner.query(`ALTER TABLE \`account\` ADD \`riskStatus\` varchar(20) NULL`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`account\` DROP COLUMN \`riskStatus\``);
    await queryRunner.query(`ALTER TABLE \`account\` DROP COLUMN \`version\``);
    await queryRunner.query(`DROP TABLE \`account_outbox\``);
  }
}
