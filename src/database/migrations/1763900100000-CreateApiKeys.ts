import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateApiKeys1763900100000 implements MigrationInterface {
  name = 'CreateApiKeys1763900100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "api_keys" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "tenant_id" uuid NOT NULL,
        "name" text NOT NULL,
        "role" text NOT NULL,
        "tier" text NOT NULL,
        "key_hash" text NOT NULL,
        "prefix" text NOT NULL,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "last_used_at" TIMESTAMP WITH TIME ZONE,
        "revoked_at" TIMESTAMP WITH TIME ZONE,
        CONSTRAINT "CHK_api_keys_tier" CHECK ("tier" IN ('authenticated', 'premium', 'internal')),
        CONSTRAINT "CHK_api_keys_role" CHECK ("role" IN ('viewer', 'member', 'admin')),
        CONSTRAINT "PK_5c8a79801b44bd27b79228e1dad" PRIMARY KEY ("id")
      )`);
    await queryRunner.query(`CREATE INDEX "IDX_api_keys_tenant_id" ON "api_keys" ("tenant_id")`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_api_keys_key_hash" ON "api_keys" ("key_hash")`,
    );
    await queryRunner.query(
      `ALTER TABLE "api_keys" ADD CONSTRAINT "FK_3ac18429c8d27858d79432e0dda" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "api_keys"`);
  }
}
