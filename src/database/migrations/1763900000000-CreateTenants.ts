import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateTenants1763900000000 implements MigrationInterface {
  name = 'CreateTenants1763900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "tenants" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "name" text NOT NULL,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "UQ_32731f181236a46182a38c992a8" UNIQUE ("name"),
        CONSTRAINT "PK_53be67a04681c66b87ee27c9321" PRIMARY KEY ("id")
      )`);
    await queryRunner.query(
      `INSERT INTO "tenants" ("id", "name") VALUES ('00000000-0000-4000-8000-000000000001', 'public')`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "tenants"`);
  }
}
