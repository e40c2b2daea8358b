import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { sqlList } from '../../database/sql-list';
import { TenantEntity } from '../tenants/tenant.entity';
import { PROVIDER_IDS, type ProviderId } from './providers/provider.types';

/** A tenant's own agent configuration (the built-in presets are not stored). */
@Entity({ name: 'agents' })
@Index('UQ_agents_tenant_name', ['tenantId', 'name'], { unique: true })
@Check('CHK_agents_provider', `"provider" IN (${sqlList(PROVIDER_IDS)})`)
@Check(
  'CHK_agents_fallback_provider',
  `"fallback_provider" IS NULL OR "fallback_provider" IN (${sqlList(PROVIDER_IDS)})`,
)
export class AgentEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_agents' })
  id!: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId!: string;

  @ManyToOne(() => TenantEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'tenant_id', foreignKeyConstraintName: 'FK_agents_tenant' })
  tenant?: TenantEntity;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  provider!: ProviderId;

  @Column({ type: 'text' })
  model!: string;

  @Column({ type: 'text', default: 'default' })
  persona!: string;

  @Column({ name: 'system_prompt', type: 'text', nullable: true })
  systemPrompt!: string | null;

  @Column({ type: 'double precision', nullable: true })
  temperature!: number | null;

  @Column({ name: 'max_tokens', type: 'integer', nullable: true })
  maxTokens!: number | null;

  @Column({ name: 'fallback_provider', type: 'text', nullable: true })
  fallbackProvider!: ProviderId | null;

  @Column({ name: 'fallback_model', type: 'text', nullable: true })
  fallbackModel!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
