import { MigrationInterface, QueryRunner } from 'typeorm';

export class LoanSegments1795858271854 implements MigrationInterface {
  name = 'LoanSegments1795858271854';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE \`interest_charge\` (\`id\` bigint NOT NULL AUTO_INCREMENT, \`accountId\` bigint NOT NULL, \`asset\` varchar(20) NOT NULL, \`segmentId\` bigint NOT NULL, \`principal\` decimal(36,18) NOT NULL, \`interest\` decimal(36,18) NOT NULL, \`periodStart\` datetime(3) NOT NULL, \`periodEnd\` datetime(3) NOT NULL, \`chargedAt\` datetime(3) NOT NULL, INDEX \`ix_interest_charge_account\` (\`accountId\`, \`id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`loan_segment\` (\`id\` bigint NOT NULL AUTO_INCREMENT, \`accountId\` bigint NOT NULL, \`asset\` varchar(20) NOT NULL, \`principal\` decimal(36,18) NOT NULL, \`startedAt\` datetime(3) NOT NULL, \`chargedHours\` int NOT NULL, \`nextChargeAt\` datetime(3) NOT NULL, INDEX \`ix_loan_segment_due\` (\`nextChargeAt\`, \`accountId\`), INDEX \`ix_loan_segment_account\` (\`accountId\`, \`asset\`, \`startedAt\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    // Each open loan becomes one segment whose charged hours end where its old clock stood.
    await queryRunner.query(
      `INSERT INTO \`loan_segment\` (\`accountId\`, \`asset\`, \`principal\`, \`startedAt\`, \`chargedHours\`, \`nextChargeAt\`) ` +
        `SELECT \`accountId\`, \`asset\`, \`borrowed\`, \`interestChargedUntil\` - INTERVAL 1 HOUR, 1, \`interestChargedUntil\` ` +
        `FROM \`wallet_balance\` WHERE \`wallet\` = 'PORTFOLIO_MARGIN' AND \`borrowed\` > 0 AND \`interestChargedUntil\` IS NOT NULL`,
    );
    await queryRunner.query(`ALTER TABLE \`wallet_balance\` DROP COLUMN \`interestChargedUntil\``);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`wallet_balance\` ADD \`interestChargedUntil\` datetime(3) NULL`);
    await queryRunner.query(`DROP INDEX \`ix_loan_segment_account\` ON \`loan_segment\``);
    await queryRunner.query(`DROP INDEX \`ix_loan_segment_due\` ON \`loan_segment\``);
    await queryRunner.query(`DROP TABLE \`loan_segment\``);
    await queryRunner.query(`DROP INDEX \`ix_interest_charge_account\` ON \`interest_charge\``);
    await queryRunner.query(`DROP TABLE \`interest_charge\``);
  }
}
