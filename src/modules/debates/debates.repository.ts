import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, QueryDeepPartialEntity } from 'typeorm';
import { preparedQuery } from '../../database/prepared-query';
import type { StoredMessage } from './checkpoint-storage';
import { DebateEntity, type DebateStatus, type StoredParticipant } from './debate.entity';
import {
  CHECKPOINT_UPSERT,
  EVENTS_INSERT,
  eventRecord,
  isUniqueViolation,
  MESSAGES_UPSERT,
  messageRecord,
  returning,
} from './debate-sql';
import type { LinkedEvent as StoredEvent } from './event-chain';

export type { StoredMessage } from './checkpoint-storage';
export type { LinkedEvent as StoredEvent } from './event-chain';

/** What one phase wrote, made durable in one transaction before the next phase starts. */
export interface PhaseBatch {
  readonly events: readonly StoredEvent[];
  readonly messages: readonly StoredMessage[];
  readonly checkpoint: Record<string, unknown> | null;
  readonly usage: { readonly inputTokens: number; readonly outputTokens: number };
}

export interface ListQuery {
  readonly limit: number;
  readonly status?: DebateStatus;
  /** Keyset: strictly older than this (created_at as ISO text with microseconds, id). */
  readonly before?: { readonly createdAt: string; readonly id: string };
}

export type NewDebateRow = Omit<
  DebateEntity,
  | 'tenant'
  | 'createdAt'
  | 'updatedAt'
  | 'lastSeq'
  | 'lastHash'
  | 'result'
  | 'consensusReached'
  | 'consensusWinner'
  | 'consensusConfidence'
  | 'statusReason'
  | 'leaseOwner'
  | 'leaseExpiresAt'
  | 'resumeCount'
  | 'cancelRequested'
  | 'inputTokens'
  | 'outputTokens'
  | 'startedAt'
  | 'finishedAt'
>;

export interface DebateSummaryRow {
  id: string;
  status: DebateStatus;
  status_reason: string | null;
  task: string;
  consensus_mode: string;
  rounds: number;
  domain: string | null;
  participants: StoredParticipant[];
  parent_id: string | null;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  cursor_at: string;
  consensus_reached: boolean | null;
  consensus_winner: string | null;
  consensus_confidence: number | null;
}

/** The runner lost its lease (another node took the debate over): it must stop writing. */
export class LeaseLostError extends Error {
  override readonly name = 'LeaseLostError';
}

/** Debates and their records; every read a client can reach is scoped by tenant. */
@Injectable()
export class DebatesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private get debates() {
    return this.dataSource.getRepository(DebateEntity);
  }

  /**
   * Inserts a queued debate with its first event (and a fork's inherited checkpoint) in one
   * statement, and returns it. Undefined when the tenant already used this Idempotency-Key.
   */
  async create(
    row: NewDebateRow,
    firstEvent: StoredEvent,
    checkpoint?: Record<string, unknown>,
  ): Promise<DebateEntity | undefined> {
    // TypeORM writes the debate's INSERT (column names, defaults, jsonb); the statement adds the rest.
    const [insertDebate, params]: [string, unknown[]] = this.debates
      .createQueryBuilder()
      .insert()
      // jsonb columns typed as plain records trip TypeORM's deep-partial type
      .values({
        ...row,
        lastSeq: firstEvent.seq,
        lastHash: firstEvent.hash,
      } as QueryDeepPartialEntity<DebateEntity>)
      .returning('*')
      .getQueryAndParameters();
    // This statement's own parameters follow TypeORM's.
    const at = (k: number): string => `$${params.length + k}`;
    let rows: Record<string, unknown>[];
    try {
      rows = await this.dataSource.query(
        `WITH debate AS (${insertDebate}),
         events AS (${EVENTS_INSERT(at(1), at(2), at(3), 'debate')}),
         checkpoint AS (${CHECKPOINT_UPSERT(at(1), at(4), 'debate')})
         SELECT * FROM debate`,
        [
          ...params,
          row.id,
          row.tenantId,
          JSON.stringify([eventRecord(firstEvent)]),
          checkpoint === undefined ? null : JSON.stringify(checkpoint),
        ],
      );
    } catch (error) {
      if (isUniqueViolation(error)) return undefined;
      throw error;
    }
    const created = rows[0];
    return created && this.toEntity(created);
  }

  /** A raw `debates` row as TypeORM would load it: names and types from the entity's metadata. */
  private toEntity(raw: Record<string, unknown>): DebateEntity {
    const { metadata } = this.debates;
    const entity = metadata.create() as DebateEntity;
    for (const column of metadata.columns) {
      const value = raw[column.databaseName];
      if (value === undefined) continue;
      column.setEntityValue(entity, this.dataSource.driver.prepareHydratedValue(value, column));
    }
    return entity;
  }

  async findForTenant(tenantId: string, id: string): Promise<DebateEntity | undefined> {
    return (await this.debates.findOneBy({ tenantId, id })) ?? undefined;
  }

  async findByIdempotencyKey(tenantId: string, key: string): Promise<DebateEntity | undefined> {
    return (await this.debates.findOneBy({ tenantId, idempotencyKey: key })) ?? undefined;
  }

  /** Newest first; keyset on (created_at, id) with microsecond created_at in the cursor. */
  async list(tenantId: string, query: ListQuery): Promise<DebateSummaryRow[]> {
    const params: unknown[] = [tenantId, query.limit];
    let where = 'tenant_id = $1';
    if (query.status) {
      params.push(query.status);
      where += ` AND status = $${params.length}`;
    }
    if (query.before) {
      params.push(query.before.createdAt, query.before.id);
      where += ` AND (created_at, id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`;
    }
    return this.dataSource.query<DebateSummaryRow[]>(
      `SELECT id, status, status_reason, task, consensus_mode, rounds, domain, participants,
              parent_id, created_at, started_at, finished_at,
              to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS cursor_at,
              consensus_reached, consensus_winner, consensus_confidence
         FROM debates WHERE ${where}
        ORDER BY created_at DESC, id DESC LIMIT $2`,
      params,
    );
  }

  countRunningChildren(parentId: string): Promise<number> {
    return this.debates.count({
      where: [
        { parentId, status: 'running' },
        { parentId, status: 'queued' },
      ],
    });
  }

  /**
   * Takes the lease of a queued debate, or of a running one whose lease expired (its worker died).
   * Returns the row when this node now owns it.
   */
  async claim(id: string, owner: string, leaseMs: number): Promise<DebateEntity | undefined> {
    const rows = await this.dataSource.query<Record<string, unknown>[]>(
      returning(`UPDATE debates
          SET status = 'running', lease_owner = $2,
              lease_expires_at = now() + make_interval(secs => $3::double precision / 1000),
              started_at = COALESCE(started_at, now()),
              resume_count = resume_count + CASE WHEN status = 'running' THEN 1 ELSE 0 END,
              updated_at = now()
        WHERE id = $1
          AND (status = 'queued'
               OR (status = 'running' AND (lease_expires_at IS NULL OR lease_expires_at < now())))
      RETURNING *`),
      [id, owner, leaseMs],
    );
    const claimed = rows[0];
    return claimed && this.toEntity(claimed);
  }

  /** Extends this node's leases; returns the ids it still holds, and whether a cancel was asked. */
  async renewLeases(
    ids: readonly string[],
    owner: string,
    leaseMs: number,
  ): Promise<Map<string, { cancelRequested: boolean }>> {
    if (ids.length === 0) return new Map();
    const rows = await this.dataSource.query<{ id: string; cancel_requested: boolean }[]>(
      returning(`UPDATE debates
          SET lease_expires_at = now() + make_interval(secs => $3::double precision / 1000)
        WHERE id = ANY($1::uuid[]) AND lease_owner = $2 AND status = 'running'
      RETURNING id, cancel_requested`),
      [ids, owner, leaseMs],
    );
    return new Map(rows.map((r) => [r.id, { cancelRequested: r.cancel_requested }]));
  }

  /** Asks the node running a debate to cancel it (seen at its next lease renewal). */
  async requestCancel(tenantId: string, id: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE debates SET cancel_requested = true
        WHERE id = $1 AND tenant_id = $2 AND status IN ('queued', 'running')`,
      [id, tenantId],
    );
  }

  /** Running debates whose worker stopped renewing: any node may resume them. */
  async findExpired(limit: number): Promise<string[]> {
    const rows = await this.dataSource.query<{ id: string }[]>(
      `SELECT id FROM debates
        WHERE status = 'running' AND lease_expires_at < now()
        ORDER BY lease_expires_at LIMIT $1`,
      [limit],
    );
    return rows.map((r) => r.id);
  }

  /** Queued debates created before `olderThanMs` ago, oldest first. */
  async findQueued(limit: number, olderThanMs = 0): Promise<string[]> {
    const rows = await this.dataSource.query<{ id: string }[]>(
      `SELECT id FROM debates
        WHERE status = 'queued'
          AND created_at < now() - make_interval(secs => $2::double precision / 1000)
        ORDER BY created_at, id LIMIT $1`,
      [limit, olderThanMs],
    );
    return rows.map((r) => r.id);
  }

  /** Removes a debate that never reached the queue (the queue was unavailable). */
  async deleteUnqueued(id: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM debates WHERE id = $1 AND status = 'queued'`, [id]);
  }

  /**
   * One phase's events, messages and checkpoint in ONE statement (atomic, one round trip), fenced
   * by the lease: a node that lost the debate to another cannot write into it any more.
   */
  async writePhase(
    debateId: string,
    tenantId: string,
    owner: string,
    batch: PhaseBatch,
  ): Promise<void> {
    const last = batch.events.at(-1);
    const rows = await preparedQuery<{ fenced: number }>(
      this.dataSource,
      'aragora_write_phase',
      `WITH fence AS (
         UPDATE debates
            SET last_seq = COALESCE($3, last_seq), last_hash = COALESCE($4, last_hash),
                input_tokens = input_tokens + $5, output_tokens = output_tokens + $6,
                updated_at = now()
          WHERE id = $1 AND lease_owner = $2 AND status = 'running'
        RETURNING id
       ),
       events AS (${EVENTS_INSERT('$1', '$7', '$8')}),
       messages AS (${MESSAGES_UPSERT('$1', '$7', '$9')}),
       checkpoint AS (${CHECKPOINT_UPSERT('$1', '$10')})
       SELECT count(*)::int AS fenced FROM fence`,
      [
        debateId,
        owner,
        last?.seq ?? null,
        last?.hash ?? null,
        batch.usage.inputTokens,
        batch.usage.outputTokens,
        tenantId,
        JSON.stringify(batch.events.map(eventRecord)),
        JSON.stringify(batch.messages.map(messageRecord)),
        batch.checkpoint === null ? null : JSON.stringify(batch.checkpoint),
      ],
    );
    if (rows[0]?.fenced !== 1) throw new LeaseLostError(`lease of debate ${debateId} lost`);
  }

  /**
   * Ends a debate (fenced by the lease when `owner` is given) with its result and final events,
   * in one statement. False when it had already ended or another node holds it.
   */
  async finish(
    debateId: string,
    tenantId: string,
    owner: string | null,
    end: {
      status: DebateStatus;
      reason: string | null;
      result: Record<string, unknown> | null;
      events: readonly StoredEvent[];
    },
  ): Promise<boolean> {
    const last = end.events.at(-1);
    const rows = await preparedQuery<{ fenced: number }>(
      this.dataSource,
      'aragora_finish_debate',
      `WITH fence AS (
         UPDATE debates
            SET status = $3, status_reason = $4, result = COALESCE($5::jsonb, result),
                consensus_reached = ($5::jsonb -> 'consensus' ->> 'reached')::boolean,
                consensus_winner = $5::jsonb -> 'consensus' ->> 'winner',
                consensus_confidence = ($5::jsonb -> 'consensus' ->> 'confidence')::double precision,
                last_seq = COALESCE($6, last_seq), last_hash = COALESCE($7, last_hash),
                finished_at = now(), lease_owner = NULL, lease_expires_at = NULL, updated_at = now()
          WHERE id = $1 AND status IN ('queued', 'running')
            AND ($2::text IS NULL OR lease_owner = $2 OR status = 'queued')
        RETURNING id
       ),
       events AS (${EVENTS_INSERT('$1', '$8', '$9')})
       SELECT count(*)::int AS fenced FROM fence`,
      [
        debateId,
        owner,
        end.status,
        end.reason,
        end.result === null ? null : JSON.stringify(end.result),
        last?.seq ?? null,
        last?.hash ?? null,
        tenantId,
        JSON.stringify(end.events.map(eventRecord)),
      ],
    );
    return rows[0]?.fenced === 1;
  }

  /** Gives the lease back (shutdown): another node, or this one on restart, resumes the debate. */
  async release(debateId: string, owner: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE debates SET lease_expires_at = now() - interval '1 second'
        WHERE id = $1 AND lease_owner = $2 AND status = 'running'`,
      [debateId, owner],
    );
  }
}
