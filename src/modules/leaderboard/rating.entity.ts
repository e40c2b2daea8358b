import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** Global (`domain` = '') and per-domain ELO of one agent of one tenant. */
@Entity({ name: 'agent_ratings' })
@Index('IDX_agent_ratings_board', ['tenantId', 'domain', 'rating'])
export class AgentRatingEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'uuid', primaryKeyConstraintName: 'PK_agent_ratings' })
  tenantId!: string;

  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'PK_agent_ratings' })
  agent!: string;

  /** '' for the global rating. */
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'PK_agent_ratings' })
  domain!: string;

  @Column({ type: 'double precision' })
  rating!: number;

  @Column({ type: 'integer', default: 0 })
  wins!: number;

  @Column({ type: 'integer', default: 0 })
  losses!: number;

  @Column({ type: 'integer', default: 0 })
  draws!: number;

  @Column({ type: 'integer', default: 0 })
  debates!: number;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

/** One agent's result in one rated debate; the primary key makes each debate count once. */
@Entity({ name: 'agent_matches' })
@Index('IDX_agent_matches_agent', ['tenantId', 'agent', 'createdAt'])
export class AgentMatchEntity {
  @PrimaryColumn({ name: 'debate_id', type: 'uuid', primaryKeyConstraintName: 'PK_agent_matches' })
  debateId!: string;

  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'PK_agent_matches' })
  agent!: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId!: string;

  @Column({ type: 'text', nullable: true })
  domain!: string | null;

  /** win | loss | draw */
  @Column({ type: 'text' })
  outcome!: string;

  @Column({ name: 'rating_before', type: 'double precision' })
  ratingBefore!: number;

  @Column({ name: 'rating_after', type: 'double precision' })
  ratingAfter!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
