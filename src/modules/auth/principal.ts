import type { Role, Tier } from './api-key.entity';
import type { ActiveKey } from './api-keys.repository';

/** Who is calling: resolved once per request by the authentication guard. */
export type Principal =
  | {
      readonly kind: 'key' | 'anonymous';
      readonly tenantId: string;
      readonly tenantName: string;
      readonly role: Role;
      /** `anonymous` for requests without a key. */
      readonly tier: Tier | 'anonymous';
      readonly keyId: string | null;
    }
  | { readonly kind: 'operator' };

export type TenantPrincipal = Extract<Principal, { kind: 'key' | 'anonymous' }>;

/** The principal of a request made with an active key. */
export function keyPrincipal(key: ActiveKey): TenantPrincipal {
  return {
    kind: 'key',
    tenantId: key.tenantId,
    tenantName: key.tenantName,
    role: key.role,
    tier: key.tier,
    keyId: key.id,
  };
}

const ROLE_RANK: Record<Role, number> = { viewer: 0, member: 1, admin: 2 };

export function hasRole(principal: Principal, needed: Role): boolean {
  return principal.kind !== 'operator' && ROLE_RANK[principal.role] >= ROLE_RANK[needed];
}

const TIER_RANK: Record<Tier, number> = { authenticated: 0, premium: 1, internal: 2 };

/** A tenant admin may hand out keys up to its own tier, never above it. */
export function mayGrantTier(principal: TenantPrincipal, tier: Tier): boolean {
  return principal.tier !== 'anonymous' && TIER_RANK[tier] <= TIER_RANK[principal.tier];
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the authentication guard. */
    principal?: Principal;
  }
}
