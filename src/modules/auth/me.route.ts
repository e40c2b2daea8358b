import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from '../../common/logging/logger';
import { sendProblem } from '../../common/problem-details/problem-details.filter';
import type { RateLimitState } from '../rate-limit/rate-limit.headers';
import { isLimited, RateLimitGuard, TIER_LIMITS_ONLY } from '../rate-limit/rate-limit.guard';
import { AuthGuard, TENANT_ROUTE } from './auth.guard';
import type { Principal, TenantPrincipal } from './principal';

export const ME_ROUTE = '/api/v1/me';

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

/** The caller's tenant, role, tier and rate-limit state after this request. */
export function meView(principal: TenantPrincipal, limit: RateLimitState | undefined): MeView {
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

/**
 * `GET /api/v1/me` as a plain Fastify route. Clients poll it for their rate-limit state, and a
 * flood of it must be refused cheaply, so it skips Nest's router pipeline (about a third of a
 * request's cost here) but not its rules: the same authentication and the same buckets as the
 * global guards (their `authenticate` / `admit`), the same problem documents as the exception
 * filter. The request observer still gives it a request id, metrics and the access log.
 */
export function registerMeRoute(app: NestFastifyApplication, log: Logger): void {
  const auth = app.get(AuthGuard);
  const limits = app.get(RateLimitGuard);
  const answer = async (
    request: FastifyRequest,
    reply: FastifyReply,
    authenticated: Principal | Promise<Principal>,
  ): Promise<FastifyReply> => {
    try {
      const principal = await authenticated;
      if (principal.kind === 'operator') throw new Error('operator principal on a tenant route');
      const state = await limits.admit(request, reply, TIER_LIMITS_ONLY);
      return await reply.send(meView(principal, state));
    } catch (error) {
      sendProblem(log, request, reply, error);
      return reply;
    }
  };
  app
    .getHttpAdapter()
    .getInstance()
    .get(ME_ROUTE, (request, reply) => {
      let principal: Principal | Promise<Principal>;
      try {
        principal = auth.authenticate(request, TENANT_ROUTE);
      } catch (error) {
        // A 403 is known at once, too.
        sendProblem(log, request, reply, error);
        return undefined;
      }
      // Known at once (a cached key) and no bucket applies (internal tier): no promise at all.
      if (
        !(principal instanceof Promise) &&
        principal.kind !== 'operator' &&
        !isLimited(principal, TIER_LIMITS_ONLY)
      ) {
        // Sent here and nothing returned: Fastify sends whatever a synchronous handler returns.
        void reply.send(meView(principal, undefined));
        return undefined;
      }
      return answer(request, reply, principal);
    });
}
