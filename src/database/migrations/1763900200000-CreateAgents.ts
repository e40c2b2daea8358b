import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateAgents1763900200000 implements MigrationInterface {
  name = 'CreateAgents1763900200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "agents" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "tenant_id" uuid NOT NULL,
        "name" text NOT NULL,
        "provider" text NOT NULL,
        "model" text NOT NULL,
        "persona" text NOT NULL DEFAULT 'default',
        "system_prompt" text,
        "temperature" double precision,
        "max_tokens" integer,
        "fallback_provider" text,
        "fallback_model" text,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "CHK_agents_provider" CHECK ("provider" IN ('anthropic', 'openai', 'gemini', 'mistral', 'deepseek', 'grok', 'openrouter', 'openai-compatible', 'demo')),
        CONSTRAINT "CHK_agents_fallback_provider" CHECK ("fallback_provider" IS NULL OR "fallback_provider" IN ('anthropic', 'openai', 'gemini', 'mistral', 'deepseek', 'grok', 'openrouter', 'openai-compatible', 'demo')),
        CONSTRAINT "PK_agents" PRIMARY KEY ("id")
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_agents_tenant_name" ON "agents" ("tenant_id", "name")`,
    );
    await queryRunner.query(
      `ALTER TABLE "agents" ADD CONSTRAINT "FK_agents_tenant" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "agents"`);
  }
}
