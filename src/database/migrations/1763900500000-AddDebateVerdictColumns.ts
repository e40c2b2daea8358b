import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The verdict's summary as columns, so a listing never reads (and detoasts) the result document. */
export class AddDebateVerdictColumns1763900500000 implements MigrationInterface {
  name = 'AddDebateVerdictColumns1763900500000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE "debates"
        ADD "consensus_reached" boolean,
        ADD "consensus_winner" text,
        ADD "consensus_confidence" double precision`);
    await queryRunner.query(`
      UPDATE "debates"
         SET "consensus_reached" = ("result" -> 'consensus' ->> 'reached')::boolean,
             "consensus_winner" = "result" -> 'consensus' ->> 'winner',
             "consensus_confidence" = ("result" -> 'consensus' ->> 'confidence')::double precision
       WHERE "result" IS NOT NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE "debates"
        DROP COLUMN "consensus_confidence",
        DROP COLUMN "consensus_winner",
        DROP COLUMN "consensus_reached"`);
  }
}
