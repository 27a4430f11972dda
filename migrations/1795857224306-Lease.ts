import { MigrationInterface, QueryRunner } from 'typeorm';

export class Lease1795857224306 implements MigrationInterface {
  name = 'Lease1795857224306';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE \`lease\` (\`name\` varchar(100) NOT NULL, \`owner\` varchar(100) NOT NULL, \`expiresAt\` datetime(3) NOT NULL, PRIMARY KEY (\`name\`)) ENGINE=InnoDB`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE \`lease\``);
  }
}
