import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** The built-in tenant that anonymous requests belong to. */
export const PUBLIC_TENANT_ID = '00000000-0000-4000-8000-000000000001';
export const PUBLIC_TENANT_NAME = 'public';

@Entity({ name: 'tenants' })
export class TenantEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text', unique: true })
  name!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
