import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, IsNull } from 'typeorm';
import { ApiKeyEntity, type Role, type Tier } from './api-key.entity';

export interface ActiveKey {
  readonly id: string;
  readonly tenantId: string;
  readonly tenantName: string;
  readonly role: Role;
  readonly tier: Tier;
}

/** Every query is scoped by tenant, except the lookup by hash that finds the tenant. */
@Injectable()
export class ApiKeysRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private get repo() {
    return this.dataSource.getRepository(ApiKeyEntity);
  }

  insert(
    key: Pick<ApiKeyEntity, 'tenantId' | 'name' | 'role' | 'tier' | 'keyHash' | 'prefix'>,
  ): Promise<ApiKeyEntity> {
    return this.repo.save(this.repo.create({ ...key, lastUsedAt: null, revokedAt: null }));
  }

  async findActiveByHash(keyHash: string): Promise<ActiveKey | undefined> {
    const rows = await this.dataSource.query<
      { id: string; tenant_id: string; tenant_name: string; role: Role; tier: Tier }[]
    >(
      `SELECT k.id, k.tenant_id, t.name AS tenant_name, k.role, k.tier
         FROM api_keys k JOIN tenants t ON t.id = k.tenant_id
        WHERE k.key_hash = $1 AND k.revoked_at IS NULL`,
      [keyHash],
    );
    const row = rows[0];
    return (
      row && {
        id: row.id,
        tenantId: row.tenant_id,
        tenantName: row.tenant_name,
        role: row.role,
        tier: row.tier,
      }
    );
  }

  /** Which of `ids` are still active keys (not revoked, their tenant still there). */
  async activeIds(ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await this.dataSource.query<{ id: string }[]>(
      `SELECT k.id FROM api_keys k JOIN tenants t ON t.id = k.tenant_id
        WHERE k.id = ANY($1::uuid[]) AND k.revoked_at IS NULL`,
      [ids],
    );
    return new Set(rows.map((r) => r.id));
  }

  listForTenant(tenantId: string): Promise<ApiKeyEntity[]> {
    return this.repo.find({ where: { tenantId }, order: { createdAt: 'DESC' } });
  }

  /** Revokes a key of this tenant; false when the tenant has no such (active) key. */
  async revoke(tenantId: string, id: string): Promise<boolean> {
    const result = await this.repo.update(
      { tenantId, id, revokedAt: IsNull() },
      { revokedAt: () => 'now()' },
    );
    return (result.affected ?? 0) > 0;
  }

  async touchLastUsed(id: string): Promise<void> {
    await this.repo.update({ id }, { lastUsedAt: () => 'now()' });
  }
}
