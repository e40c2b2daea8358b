import { Injectable } from '@nestjs/common';
import { ForbiddenError, NotFoundError } from '../../common/errors';
import type { ApiKeyEntity, Role, Tier } from './api-key.entity';
import { generateApiKey } from './api-key-secret';
import { ApiKeysRepository } from './api-keys.repository';
import { KeyAuthenticator } from './key-authenticator';
import { mayGrantTier, type TenantPrincipal } from './principal';

export interface NewKeyRequest {
  readonly name: string;
  readonly role: Role;
  readonly tier: Tier;
}

export interface KeyView {
  id: string;
  name: string;
  role: Role;
  tier: Tier;
  prefix: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

/** A created key: the only time the secret itself is returned. */
export type CreatedKey = KeyView & { key: string; tenant_id: string };

@Injectable()
export class ApiKeysService {
  constructor(
    private readonly keys: ApiKeysRepository,
    private readonly authenticator: KeyAuthenticator,
  ) {}

  /** Operator or CLI: any tier. */
  async create(tenantId: string, request: NewKeyRequest): Promise<CreatedKey> {
    const { key, hash, prefix } = generateApiKey();
    const row = await this.keys.insert({ tenantId, ...request, keyHash: hash, prefix });
    return { ...toView(row), key, tenant_id: tenantId };
  }

  /** A tenant admin creates a key for its own tenant, never above its own tier. */
  async createForTenant(principal: TenantPrincipal, request: NewKeyRequest): Promise<CreatedKey> {
    if (!mayGrantTier(principal, request.tier)) {
      throw new ForbiddenError(`A ${principal.tier} key cannot create ${request.tier} keys`);
    }
    return this.create(principal.tenantId, request);
  }

  async list(tenantId: string): Promise<KeyView[]> {
    return (await this.keys.listForTenant(tenantId)).map(toView);
  }

  async revoke(tenantId: string, id: string): Promise<void> {
    if (!(await this.keys.revoke(tenantId, id))) throw new NotFoundError(`No active key ${id}`);
    this.authenticator.forget(id);
  }
}

function toView(row: ApiKeyEntity): KeyView {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    tier: row.tier,
    prefix: row.prefix,
    created_at: row.createdAt.toISOString(),
    last_used_at: row.lastUsedAt?.toISOString() ?? null,
    revoked_at: row.revokedAt?.toISOString() ?? null,
  };
}
