import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateDebates1763900300000 implements MigrationInterface {
  name = 'CreateDebates1763900300000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "debates" (
        "id" uuid NOT NULL,
        "tenant_id" uuid NOT NULL,
        "status" text NOT NULL,
        "status_reason" text,
        "task" text NOT NULL,
        "context" text,
        "consensus_mode" text NOT NULL,
        "rounds" integer NOT NULL,
        "domain" text,
        "metadata" jsonb NOT NULL DEFAULT '{}',
        "budget" jsonb,
        "participants" jsonb NOT NULL,
        "parent_id" uuid,
        "from_round" integer,
        "idempotency_key" text,
        "request_hash" text,
        "created_by" text,
        "result" jsonb,
        "last_seq" integer NOT NULL DEFAULT '0',
        "last_hash" text,
        "lease_owner" text,
        "lease_expires_at" TIMESTAMP WITH TIME ZONE,
        "cancel_requested" boolean NOT NULL DEFAULT false,
        "resume_count" integer NOT NULL DEFAULT '0',
        "input_tokens" integer NOT NULL DEFAULT '0',
        "output_tokens" integer NOT NULL DEFAULT '0',
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "started_at" TIMESTAMP WITH TIME ZONE,
        "finished_at" TIMESTAMP WITH TIME ZONE,
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "CHK_debates_status" CHECK ("status" IN ('queued', 'running', 'completed', 'no_consensus', 'failed', 'timed_out', 'cancelled')),
        CONSTRAINT "PK_debates" PRIMARY KEY ("id")
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_debates_idempotency" ON "debates" ("tenant_id", "idempotency_key")`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_debates_parent" ON "debates" ("parent_id")`);
    await queryRunner.query(`CREATE INDEX "IDX_debates_status" ON "debates" ("status")`);
    await queryRunner.query(`CREATE INDEX "IDX_debates_created_at" ON "debates" ("created_at")`);
    await queryRunner.query(
      `CREATE INDEX "IDX_debates_tenant_created" ON "debates" ("tenant_id", "created_at", "id")`,
    );
    await queryRunner.query(`
      CREATE TABLE "debate_checkpoints" (
        "debate_id" uuid NOT NULL,
        "checkpoint" jsonb NOT NULL,
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_debate_checkpoints" PRIMARY KEY ("debate_id")
      )`);
    await queryRunner.query(`
      CREATE TABLE "debate_messages" (
        "debate_id" uuid NOT NULL,
        "message_id" text NOT NULL,
        "tenant_id" uuid NOT NULL,
        "round" integer NOT NULL,
        "kind" text NOT NULL,
        "participant" text NOT NULL,
        "content" text NOT NULL,
        "data" jsonb,
        "input_tokens" integer NOT NULL DEFAULT '0',
        "output_tokens" integer NOT NULL DEFAULT '0',
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_debate_messages" PRIMARY KEY ("debate_id", "message_id")
      )`);
    await queryRunner.query(
      `CREATE INDEX "IDX_debate_messages_debate_round" ON "debate_messages" ("debate_id", "round")`,
    );
    await queryRunner.query(`
      CREATE TABLE "debate_events" (
        "debate_id" uuid NOT NULL,
        "seq" integer NOT NULL,
        "tenant_id" uuid NOT NULL,
        "type" text NOT NULL,
        "round" integer,
        "agent" text,
        "data" jsonb NOT NULL,
        "ts" TIMESTAMP WITH TIME ZONE NOT NULL,
        "prev_hash" text NOT NULL,
        "hash" text NOT NULL,
        CONSTRAINT "PK_debate_events" PRIMARY KEY ("debate_id", "seq")
      )`);
    await queryRunner.query(`
      CREATE TABLE "debate_votes" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "debate_id" uuid NOT NULL,
        "tenant_id" uuid NOT NULL,
        "principal" text NOT NULL,
        "choice" text NOT NULL,
        "intensity" integer NOT NULL,
        "reasoning" text,
        "counted" boolean NOT NULL,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_debate_votes" PRIMARY KEY ("id")
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_debate_votes_principal" ON "debate_votes" ("debate_id", "principal")`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_debate_votes_debate" ON "debate_votes" ("debate_id")`,
    );
    await queryRunner.query(`
      CREATE TABLE "agent_ratings" (
        "tenant_id" uuid NOT NULL,
        "agent" text NOT NULL,
        "domain" text NOT NULL,
        "rating" double precision NOT NULL,
        "wins" integer NOT NULL DEFAULT '0',
        "losses" integer NOT NULL DEFAULT '0',
        "draws" integer NOT NULL DEFAULT '0',
        "debates" integer NOT NULL DEFAULT '0',
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_agent_ratings" PRIMARY KEY ("tenant_id", "agent", "domain")
      )`);
    await queryRunner.query(
      `CREATE INDEX "IDX_agent_ratings_board" ON "agent_ratings" ("tenant_id", "domain", "rating")`,
    );
    await queryRunner.query(`
      CREATE TABLE "agent_matches" (
        "debate_id" uuid NOT NULL,
        "agent" text NOT NULL,
        "tenant_id" uuid NOT NULL,
        "domain" text,
        "outcome" text NOT NULL,
        "rating_before" double precision NOT NULL,
        "rating_after" double precision NOT NULL,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_agent_matches" PRIMARY KEY ("debate_id", "agent")
      )`);
    await queryRunner.query(
      `CREATE INDEX "IDX_agent_matches_agent" ON "agent_matches" ("tenant_id", "agent", "created_at")`,
    );
    for (const [table, constraint, column, target] of [
      ['debates', 'FK_debates_tenant', 'tenant_id', 'tenants'],
      ['debate_checkpoints', 'FK_debate_checkpoints_debate', 'debate_id', 'debates'],
      ['debate_messages', 'FK_debate_messages_debate', 'debate_id', 'debates'],
      ['debate_events', 'FK_debate_events_debate', 'debate_id', 'debates'],
      ['debate_votes', 'FK_debate_votes_debate', 'debate_id', 'debates'],
    ] as const) {
      await queryRunner.query(
        `ALTER TABLE "${table}" ADD CONSTRAINT "${constraint}" FOREIGN KEY ("${column}") REFERENCES "${target}"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
      );
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'agent_matches',
      'agent_ratings',
      'debate_votes',
      'debate_events',
      'debate_messages',
      'debate_checkpoints',
      'debates',
    ]) {
      await queryRunner.query(`DROP TABLE "${table}"`);
    }
  }
}
