import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Checkpoint } from '@aragora/debate-engine';
import { isStoredWithoutMessages, withMessages, type StoredMessage } from './checkpoint-storage';
import {
  DebateCheckpointEntity,
  DebateEventEntity,
  DebateMessageEntity,
  DebateVoteEntity,
} from './debate-records.entity';
import type { DebateStatus, StoredParticipant } from './debate.entity';

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

  messages(debateId: string): Promise<DebateMessageEntity[]> {
    return this.dataSource
      .getRepository(DebateMessageEntity)
      .createQueryBuilder('m')
      .where('m.debate_id = :debateId', { debateId })
      .orderBy('m.position', 'ASC')
      .getMany();
  }

  /** One human vote per principal per debate: a second replaces the first. */
  async upsertVote(
    vote: Pick<
      DebateVoteEntity,
      'debateId' | 'tenantId' | 'principal' | 'choice' | 'intensity' | 'reasoning' | 'counted'
    >,
  ): Promise<
    Pick<DebateVoteEntity, 'choice' | 'intensity' | 'reasoning' | 'counted' | 'updatedAt'>
  > {
    const rows = await this.dataSource.query<
      {
        choice: string;
        intensity: number;
        reasoning: string | null;
        counted: boolean;
        updated_at: Date;
      }[]
    >(
      `INSERT INTO debate_votes (debate_id, tenant_id, principal, choice, intensity, reasoning, counted)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (debate_id, principal) DO UPDATE
         SET choice = EXCLUDED.choice, intensity = EXCLUDED.intensity, reasoning = EXCLUDED.reasoning,
             counted = EXCLUDED.counted, updated_at = now()
       RETURNING choice, intensity, reasoning, counted, updated_at`,
      [
        vote.debateId,
        vote.tenantId,
        vote.principal,
        vote.choice,
        vote.intensity,
        vote.reasoning,
        vote.counted,
      ],
    );
    const row = rows[0];
    if (!row) throw new Error('vote upsert returned no row');
    return { ...row, updatedAt: row.updated_at };
  }

  /** Status and participants only: what a vote needs (never the large result document). */
  async ballotOf(
    tenantId: string,
    id: string,
  ): Promise<{ status: DebateStatus; participants: StoredParticipant[] } | undefined> {
    const rows = await this.dataSource.query<
      { status: DebateStatus; participants: StoredParticipant[] }[]
    >('SELECT status, participants FROM debates WHERE id = $1 AND tenant_id = $2', [id, tenantId]);
    return rows[0];
  }

  votes(debateId: string, countedOnly = false): Promise<DebateVoteEntity[]> {
    return this.dataSource.getRepository(DebateVoteEntity).find({
      where: countedOnly ? { debateId, counted: true } : { debateId },
      order: { createdAt: 'ASC' },
    });
  }
}
