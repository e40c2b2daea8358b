import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Checkpoints no longer carry the transcript: it is rebuilt from the table in this order. */
export class AddMessagePosition1763900400000 implements MigrationInterface {
  name = 'AddMessagePosition1763900400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "debate_messages" ADD "position" integer NOT NULL DEFAULT '0'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "debate_messages" DROP COLUMN "position"`);
  }
}
