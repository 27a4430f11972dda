import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The fill journal (spec 4). Positions opened before it have no fills: each gets one opening row
 * (`migrated/<position id>`, its quantity at its entry price, no fee, no PnL), so the position audit, which
 * rebuilds every position from its fills, holds from the start.
 */
export class FillJournal1795862100690 implements MigrationInterface {
  name = 'FillJournal1795862100690';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE \`fill\` (\`id\` bigint NOT NULL AUTO_INCREMENT, \`accountId\` bigint NOT NULL, \`fillId\` varchar(64) COLLATE "utf8mb4_bin" NOT NULL, \`symbol\` varchar(30) COLLATE "utf8mb4_bin" NOT NULL, \`side\` varchar(4) COLLATE "utf8mb4_bin" NOT NULL, \`quantity\` decimal(36,18) NOT NULL, \`price\` decimal(36,18) NOT NULL, \`fee\` decimal(36,18) NOT NULL, \`realizedPnl\` decimal(36,18) NOT NULL, \`positionQuantity\` decimal(36,18) NOT NULL, \`positionEntryPrice\` decimal(36,18) NOT NULL, \`createdAt\` datetime(3) NOT NULL, INDEX \`ix_fill_position\` (\`accountId\`, \`symbol\`, \`id\`), UNIQUE INDEX \`uq_fill\` (\`accountId\`, \`fillId\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `INSERT INTO \`fill\` (\`accountId\`, \`fillId\`, \`symbol\`, \`side\`, \`quantity\`, \`price\`, \`fee\`, \`realizedPnl\`, \`positionQuantity\`, \`positionEntryPrice\`, \`createdAt\`) ` +
        `SELECT \`accountId\`, CONCAT('migrated/', \`id\`), \`symbol\`, IF(\`quantity\` > 0, 'BUY', 'SELL'), ABS(\`quantity\`), \`entryPrice\`, 0, 0, \`quantity\`, \`entryPrice\`, \`updatedAt\` FROM \`position\``,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX \`uq_fill\` ON \`fill\``);
    await queryRunner.query(`DROP INDEX \`ix_fill_position\` ON \`fill\``);
    await queryRunner.query(`DROP TABLE \`fill\``);
  }
}
