import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { DebateEntity } from './debate.entity';

/** The engine's last checkpoint of a debate (one row, replaced after each phase). */
@Entity({ name: 'debate_checkpoints' })
export class DebateCheckpointEntity {
  @PrimaryColumn({
    name: 'debate_id',
    type: 'uuid',
    primaryKeyConstraintName: 'PK_debate_checkpoints',
  })
  debateId!: string;

  @ManyToOne(() => DebateEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'debate_id', foreignKeyConstraintName: 'FK_debate_checkpoints_debate' })
  debate?: DebateEntity;

  @Column({ type: 'jsonb' })
  checkpoint!: Record<string, unknown>;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

/** Every agent output: proposals, critiques, revisions, votes, judge verdicts, syntheses. */
@Entity({ name: 'debate_messages' })
@Index('IDX_debate_messages_debate_round', ['debateId', 'round'])
export class DebateMessageEntity {
  @PrimaryColumn({
    name: 'debate_id',
    type: 'uuid',
    primaryKeyConstraintName: 'PK_debate_messages',
  })
  debateId!: string;

  /** The engine's deterministic id (`r2:revision:demo#2`): a redone phase cannot duplicate it. */
  @PrimaryColumn({
    name: 'message_id',
    type: 'text',
    primaryKeyConstraintName: 'PK_debate_messages',
  })
  messageId!: string;

  @ManyToOne(() => DebateEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'debate_id', foreignKeyConstraintName: 'FK_debate_messages_debate' })
  debate?: DebateEntity;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId!: string;

  /** Index in the engine's transcript: the order a checkpoint is rebuilt in. */
  @Column({ type: 'integer', default: 0 })
  position!: number;

  @Column({ type: 'integer' })
  round!: number;

  @Column({ type: 'text' })
  kind!: string;

  @Column({ type: 'text' })
  participant!: string;

  @Column({ type: 'text' })
  content!: string;

  /** Structured part: the critique, vote or verdict object. */
  @Column({ type: 'jsonb', nullable: true })
  data!: Record<string, unknown> | null;

  @Column({ name: 'input_tokens', type: 'integer', default: 0 })
  inputTokens!: number;

  @Column({ name: 'output_tokens', type: 'integer', default: 0 })
  outputTokens!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

/** The event log: gap-free seq per debate, each event chained to the previous by SHA-256. */
@Entity({ name: 'debate_events' })
export class DebateEventEntity {
  @PrimaryColumn({ name: 'debate_id', type: 'uuid', primaryKeyConstraintName: 'PK_debate_events' })
  debateId!: string;

  @PrimaryColumn({ type: 'integer', primaryKeyConstraintName: 'PK_debate_events' })
  seq!: number;

  @ManyToOne(() => DebateEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'debate_id', foreignKeyConstraintName: 'FK_debate_events_debate' })
  debate?: DebateEntity;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId!: string;

  @Column({ type: 'text' })
  type!: string;

  @Column({ type: 'integer', nullable: true })
  round!: number | null;

  @Column({ type: 'text', nullable: true })
  agent!: string | null;

  @Column({ type: 'jsonb' })
  data!: Record<string, unknown>;

  @Column({ type: 'timestamptz' })
  ts!: Date;

  @Column({ name: 'prev_hash', type: 'text' })
  prevHash!: string;

  @Column({ type: 'text' })
  hash!: string;
}

/** Human votes: one per principal per debate (a second replaces the first). */
@Entity({ name: 'debate_votes' })
@Index('IDX_debate_votes_debate', ['debateId'])
@Index('UQ_debate_votes_principal', ['debateId', 'principal'], { unique: true })
export class DebateVoteEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_debate_votes' })
  id!: string;

  @Column({ name: 'debate_id', type: 'uuid' })
  debateId!: string;

  @ManyToOne(() => DebateEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'debate_id', foreignKeyConstraintName: 'FK_debate_votes_debate' })
  debate?: DebateEntity;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId!: string;

  /** Key id, or `anonymous:<ip>` for anonymous callers. */
  @Column({ type: 'text' })
  principal!: string;

  @Column({ type: 'text' })
  choice!: string;

  @Column({ type: 'integer' })
  intensity!: number;

  @Column({ type: 'text', nullable: true })
  reasoning!: string | null;

  /** False when cast after the debate ended: audience feedback, never part of the verdict. */
  @Column({ type: 'boolean' })
  counted!: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
