import { MigrationInterface, QueryRunner } from 'typeorm';

export class ApiKeyLastUsed1795857244289 implements MigrationInterface {
  name = 'ApiKeyLastUsed1795857244289';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`api_key\` ADD \`lastUsedAt\` datetime(3) NULL`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`api_key\` DROP COLUMN \`lastUsedAt\``);
  }
}
