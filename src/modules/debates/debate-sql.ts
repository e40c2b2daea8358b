import { QueryFailedError } from 'typeorm';
import type { StoredMessage } from './checkpoint-storage';
import type { LinkedEvent as StoredEvent } from './event-chain';

/** SQL pieces shared by the debate repositories. */

const UNIQUE_VIOLATION = '23505';

/** Rows for jsonb_to_recordset: one JSON parameter instead of ten per row. */
export function eventRecord(e: StoredEvent) {
  return {
    seq: e.seq,
    type: e.type,
    round: e.round,
    agent: e.agent,
    data: e.data,
    ts: e.ts.toISOString(),
    prev_hash: e.prevHash,
    hash: e.hash,
  };
}

export function messageRecord(m: StoredMessage) {
  return {
    message_id: m.messageId,
    position: m.position,
    round: m.round,
    kind: m.kind,
    participant: m.participant,
    content: m.content,
    data: m.data,
    input_tokens: m.inputTokens,
    output_tokens: m.outputTokens,
  };
}

/** Inserts the events of a JSON array parameter, only when the statement's `guard` CTE matched. */
export const EVENTS_INSERT = (
  debateId: string,
  tenantId: string,
  json: string,
  guard = 'fence',
): string => `
  INSERT INTO debate_events (debate_id, seq, tenant_id, type, round, agent, data, ts, prev_hash, hash)
  SELECT ${debateId}, e.seq, ${tenantId}, e.type, e.round, e.agent, e.data, e.ts, e.prev_hash, e.hash
    FROM jsonb_to_recordset(${json}::jsonb) AS e(seq int, type text, round int, agent text,
         data jsonb, ts timestamptz, prev_hash text, hash text)
   WHERE EXISTS (SELECT 1 FROM ${guard})`;

/** Stores the checkpoint of a JSON parameter (none when it is NULL), only when `guard` matched. */
export const CHECKPOINT_UPSERT = (debateId: string, json: string, guard = 'fence'): string => `
  INSERT INTO debate_checkpoints (debate_id, checkpoint, updated_at)
  SELECT ${debateId}, ${json}::jsonb, now()
   WHERE ${json}::jsonb IS NOT NULL AND EXISTS (SELECT 1 FROM ${guard})
  ON CONFLICT (debate_id) DO UPDATE SET checkpoint = EXCLUDED.checkpoint, updated_at = now()`;

/** A phase redone after a crash writes the same message ids again: one row each. */
export const MESSAGES_UPSERT = (debateId: string, tenantId: string, json: string): string => `
  INSERT INTO debate_messages (debate_id, message_id, tenant_id, position, round, kind, participant,
                               content, data, input_tokens, output_tokens)
  SELECT ${debateId}, m.message_id, ${tenantId}, m.position, m.round, m.kind, m.participant,
         m.content, m.data, m.input_tokens, m.output_tokens
    FROM jsonb_to_recordset(${json}::jsonb) AS m(message_id text, position int, round int,
         kind text, participant text, content text, data jsonb, input_tokens int,
         output_tokens int)
   WHERE EXISTS (SELECT 1 FROM fence)
  ON CONFLICT (debate_id, message_id) DO UPDATE
    SET position = EXCLUDED.position, content = EXCLUDED.content, data = EXCLUDED.data,
        input_tokens = EXCLUDED.input_tokens, output_tokens = EXCLUDED.output_tokens`;

/**
 * TypeORM answers a bare UPDATE … RETURNING with `[rows, count]`, not the rows; wrapped in a CTE
 * the statement is a SELECT and the rows come back as rows.
 */
export function returning(update: string): string {
  return `WITH changed AS (${update}) SELECT * FROM changed`;
}

export function isUniqueViolation(error: unknown): boolean {
  return (
    error instanceof QueryFailedError &&
    (error.driverError as { code?: string } | undefined)?.code === UNIQUE_VIOLATION
  );
}
