import { Controller, Get, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { CurrentPrincipal } from './auth.decorators';
import type { TenantPrincipal } from './principal';

export interface MeView {
  tenant: { id: string; name: string };
  role: string;
  tier: string;
  key_id: string | null;
  /** null for internal keys: they are never limited. */
  rate_limit: {
    policy: string;
    limit: number;
    remaining: number;
    reset_seconds: number;
    window_seconds: number;
  } | null;
}

@Controller('api/v1/me')
export class MeController {
  /** The caller's tenant, role, tier and rate-limit state after this request. */
  @Get()
  me(@CurrentPrincipal() principal: TenantPrincipal, @Req() request: FastifyRequest): MeView {
    const limit = request.rateLimit;
    return {
      tenant: { id: principal.tenantId, name: principal.tenantName },
      role: principal.role,
      tier: principal.tier,
      key_id: principal.keyId,
      rate_limit: limit
        ? {
            policy: limit.policy,
            limit: limit.limit,
            remaining: limit.remaining,
            reset_seconds: limit.resetSeconds,
            window_seconds: limit.windowSeconds,
          }
        : null,
    };
  }
}
