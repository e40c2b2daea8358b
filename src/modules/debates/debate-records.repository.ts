import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Checkpoint } from '@aragora/debate-engine';
import { preparedQuery } from '../../database/prepared-query';
import { sqlList } from '../../database/sql-list';
import { isStoredWithoutMessages, withMessages, type StoredMessage } from './checkpoint-storage';
import {
  DebateCheckpointEntity,
  DebateEventEntity,
  DebateMessageEntity,
  DebateVoteEntity,
} from './debate-records.entity';
import { TERMINAL_STATUSES, type DebateStatus } from './debate.entity';

/** An event of the log as readers see it (without its hash links). */
export type LoggedEvent = Pick<
  DebateEventEntity,
  'seq' | 'type' | 'ts' | 'round' | 'agent' | 'data'
>;

/** A vote cast in one of these is kept as audience feedback, outside the verdict. */
const TERMINAL = sqlList([...TERMINAL_STATUSES]);

/**
 * What a debate produced: checkpoints, the transcript, the event log and human votes (the
 * debate rows, leases and the per-phase write are in DebatesRepository).
 */
@Injectable()
export class DebateRecordsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * The last checkpoint with its transcript, and the ids of the messages already in the table
   * (a fork's first checkpoint carries its inherited transcript inline: none are stored yet).
   */
  async loadCheckpoint(
    debateId: string,
  ): Promise<{ checkpoint: Checkpoint; storedIds: string[] } | undefined> {
    const row = await this.dataSource.getRepository(DebateCheckpointEntity).findOneBy({ debateId });
    if (!row) return undefined;
    if (!isStoredWithoutMessages(row.checkpoint)) {
      return { checkpoint: row.checkpoint as unknown as Checkpoint, storedIds: [] };
    }
    const messages = await this.messageRows(debateId);
    return {
      checkpoint: withMessages(row.checkpoint, messages),
      storedIds: messages.map((m) => m.messageId),
    };
  }

  private async messageRows(debateId: string): Promise<StoredMessage[]> {
    const rows = await this.dataSource.query<
      {
        message_id: string;
        position: number;
        round: number;
        kind: string;
        participant: string;
        content: string;
        data: Record<string, unknown> | null;
        input_tokens: number;
        output_tokens: number;
      }[]
    >(
      `SELECT message_id, position, round, kind, participant, content, data, input_tokens, output_tokens
         FROM debate_messages WHERE debate_id = $1 ORDER BY position`,
      [debateId],
    );
    return rows.map((r) => ({
      messageId: r.message_id,
      position: r.position,
      round: r.round,
      kind: r.kind,
      participant: r.participant,
      content: r.content,
      data: r.data,
      inputTokens: r.input_tokens,
      outputTokens: r.output_tokens,
    }));
  }

  events(debateId: string, afterSeq: number, limit: number): Promise<DebateEventEntity[]> {
    return this.dataSource
      .getRepository(DebateEventEntity)
      .createQueryBuilder('e')
      .where('e.debate_id = :debateId AND e.seq > :afterSeq', { debateId, afterSeq })
      .orderBy('e.seq', 'ASC')
      .limit(limit)
      .getMany();
  }

  /**
   * A debate's status and a page of its events, scoped by tenant, in one prepared statement (the
   * read clients poll and the WebSocket replay pages through). Undefined when the tenant has no
   * such debate.
   */
  async eventsPage(
    tenantId: string,
    debateId: string,
    afterSeq: number,
    limit: number,
  ): Promise<{ status: DebateStatus; events: LoggedEvent[] } | undefined> {
    const rows = await preparedQuery<
      { status: DebateStatus } & ({ seq: null } | (Omit<LoggedEvent, 'seq'> & { seq: number }))
    >(
      this.dataSource,
      'aragora_events_page',
      `SELECT d.status, e.seq, e.type, e.ts, e.round, e.agent, e.data
         FROM debates d
         LEFT JOIN LATERAL (
           SELECT seq, type, ts, round, agent, data FROM debate_events
            WHERE debate_id = d.id AND seq > $3 ORDER BY seq LIMIT $4
         ) e ON true
        WHERE d.id = $1 AND d.tenant_id = $2`,
      [debateId, tenantId, afterSeq, limit],
    );
    const first = rows[0];
    if (!first) return undefined;
    const events: LoggedEvent[] = [];
    for (const row of rows) {
      if (row.seq === null) continue;
      const { seq, type, ts, round, agent, data } = row;
      events.push({ seq, type, ts, round, agent, data });
    }
    return { status: first.status, events };
  }

  messages(debateId: string): Promise<DebateMessageEntity[]> {
    return this.dataSource
      .getRepository(DebateMessageEntity)
      .createQueryBuilder('m')
      .where('m.debate_id = :debateId', { debateId })
      .orderBy('m.position', 'ASC')
      .getMany();
  }

  /**
   * One statement: finds the debate (scoped by tenant), checks the choice against its
   * participants, and stores the vote (a second one by the same principal replaces the first),
   * counted in the verdict only while the debate has not ended. Undefined when the tenant has no
   * such debate; `participantIds` (and nothing stored) when the choice is not one of them.
   */
  async castVote(
    vote: Pick<
      DebateVoteEntity,
      'debateId' | 'tenantId' | 'principal' | 'choice' | 'intensity' | 'reasoning'
    >,
  ): Promise<
    | { participantIds: string[] }
    | {
        vote: Pick<
          DebateVoteEntity,
          'choice' | 'intensity' | 'reasoning' | 'counted' | 'updatedAt'
        >;
      }
    | undefined
  > {
    const rows = await preparedQuery<
      { participant_ids: string[] } & (
        | { updated_at: null }
        | {
            choice: string;
            intensity: number;
            reasoning: string | null;
            counted: boolean;
            updated_at: Date;
          }
      )
    >(
      this.dataSource,
      'aragora_cast_vote',
      `WITH ballot AS (
         SELECT participants @> jsonb_build_array(jsonb_build_object('id', $4::text)) AS known,
                status NOT IN (${TERMINAL}) AS counted, participants
           FROM debates WHERE id = $1 AND tenant_id = $2
       ),
       cast_vote AS (
         INSERT INTO debate_votes (debate_id, tenant_id, principal, choice, intensity, reasoning, counted)
         SELECT $1, $2, $3::text, $4, $5::int, $6::text, counted FROM ballot WHERE known
         ON CONFLICT (debate_id, principal) DO UPDATE
           SET choice = EXCLUDED.choice, intensity = EXCLUDED.intensity, reasoning = EXCLUDED.reasoning,
               counted = EXCLUDED.counted, updated_at = now()
         RETURNING choice, intensity, reasoning, counted, updated_at
       )
       SELECT jsonb_path_query_array(b.participants, '$[*].id') AS participant_ids,
              v.choice, v.intensity, v.reasoning, v.counted, v.updated_at
         FROM ballot b LEFT JOIN cast_vote v ON true`,
      [vote.debateId, vote.tenantId, vote.principal, vote.choice, vote.intensity, vote.reasoning],
    );
    const row = rows[0];
    if (!row) return undefined;
    if (row.updated_at === null) return { participantIds: row.participant_ids };
    const { choice, intensity, reasoning, counted, updated_at: updatedAt } = row;
    return { vote: { choice, intensity, reasoning, counted, updatedAt } };
  }

  votes(debateId: string, countedOnly = false): Promise<DebateVoteEntity[]> {
    return this.dataSource.getRepository(DebateVoteEntity).find({
      where: countedOnly ? { debateId, counted: true } : { debateId },
      order: { createdAt: 'ASC' },
    });
  }
}
