import { Inject, Injectable, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  ThrottlerGuard,
  type ThrottlerModuleOptions,
  type ThrottlerStorage,
} from '@nestjs/throttler';
import type { IncomingMessage } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { InjectConfig, type AppConfig } from '../../config';
import { TooManyRequestsError, withoutStack } from '../../common/errors';
import { PUBLIC_ROUTE } from '../../common/http/public.decorator';
import { pathOf } from '../../common/http/url-path';
import { UNMATCHED_ROUTE } from '../../common/http/request-observer';
import type { Principal, TenantPrincipal } from '../auth/principal';
import { ROUTE_THROTTLERS, type RouteThrottlerName } from './rate-limit.decorators';
import { rateLimitHeaders, toState, type RateLimitState } from './rate-limit.headers';
import { RateLimitMetrics } from './rate-limit.metrics';
import type { BucketDecision, BucketSpec, RateLimitStore } from './rate-limit.store';
import { RATE_LIMIT_STORE } from './rate-limit.tokens';
import { RefusalCache, type RecalledRefusal } from './refusal-cache';

declare module 'fastify' {
  interface FastifyRequest {
    /** The rate-limit state reported for this request (absent when the route is exempt). */
    rateLimit?: RateLimitState;
  }
}

const SKIP_METADATA = 'THROTTLER:SKIPdefault';

export interface RoutePolicy {
  readonly exempt: boolean;
  readonly routeThrottlers: readonly { name: string; limit: number; ttlMs: number }[];
}

/** A route with the tier and IP limits only. */
export const TIER_LIMITS_ONLY: RoutePolicy = { exempt: false, routeThrottlers: [] };

/** A caller buckets apply to: a key or anonymous caller of a tier that is limited. */
export type LimitedPrincipal = TenantPrincipal & {
  readonly tier: Exclude<TenantPrincipal['tier'], 'internal'>;
};

/** False on an exempt route, for the platform operator and for internal keys: no bucket applies. */
export function isLimited(
  principal: Principal,
  policy: RoutePolicy,
): principal is LimitedPrincipal {
  return !policy.exempt && principal.kind !== 'operator' && principal.tier !== 'internal';
}

/**
 * Tiered token buckets on @nestjs/throttler's guard: its module, options and `@SkipThrottle()`
 * stay, its counting is replaced (STACK trap 5). Each request takes one token, all or nothing,
 * from its tier bucket (per key, or per IP when anonymous), the per-IP bucket (anonymous and
 * authenticated only) and any route bucket; internal keys are never limited.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  private readonly policies = new WeakMap<object, RoutePolicy>();
  private readonly refusals: RefusalCache;

  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    reflector: Reflector,
    @Inject(RATE_LIMIT_STORE) private readonly store: RateLimitStore,
    @InjectConfig() private readonly config: AppConfig,
    private readonly metrics: RateLimitMetrics,
  ) {
    super(options, storage, reflector);
    this.refusals = new RefusalCache(undefined, () => store.now());
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    await this.admit(
      http.getRequest<FastifyRequest>(),
      http.getResponse<FastifyReply>(),
      this.policyFor(context),
    );
    return true;
  }

  /**
   * Charges the request's buckets, sets the rate-limit headers on `reply` and returns the state
   * reported (also kept as `request.rateLimit`), undefined when nothing limits the request; throws
   * the 429 problem when a bucket is empty. What the guard does for Nest routes, and what plain
   * Fastify routes call directly.
   */
  async admit(
    request: FastifyRequest,
    reply: FastifyReply,
    policy: RoutePolicy,
  ): Promise<RateLimitState | undefined> {
    const principal = request.principal;
    if (!principal || !isLimited(principal, policy)) return undefined;
    const buckets = this.bucketsFor(principal, principal.tier, request.ip, policy);
    const result = await this.store.take(buckets.map((b) => b.spec));
    const reported = mostRestrictive(result.buckets);
    const chosen = buckets[reported];
    const decision = result.buckets[reported];
    if (!chosen || !decision) return undefined;
    const state = toState(chosen.policy, chosen.spec, decision);
    request.rateLimit = state;
    const headers = rateLimitHeaders(state);
    if (!result.allowed) {
      const route = request.routeOptions.url;
      if (route !== undefined) {
        const now = this.store.now();
        this.refusals.remember(RefusalCache.key(request.raw), {
          policy: chosen.policy,
          spec: chosen.spec,
          tier: principal.tier,
          keyId: principal.keyId,
          retryAt: now + decision.retryAfterMs,
          resetAt: now + decision.resetMs,
          route,
          instance: pathOf(request.url),
        });
      }
      this.metrics.rateLimited(principal.tier, route ?? UNMATCHED_ROUTE);
      throw refusalError(state, headers);
    }
    void reply.headers(headers);
    return state;
  }

  /**
   * The refusal holding for a request, as it arrived, whose caller (same credential, addresses,
   * method and path) was refused by a bucket that cannot have refilled yet — what authentication
   * and `admit` would answer, found without running them (see RefusalCache) — counted as a
   * refusal; undefined when none holds. `refusalError(state)` is the 429 to answer.
   */
  recallRefusal(request: IncomingMessage): RecalledRefusal | undefined {
    if (this.refusals.size === 0) return undefined;
    const recalled = this.refusals.recall(RefusalCache.key(request));
    if (recalled) this.metrics.rateLimited(recalled.refusal.tier, recalled.refusal.route);
    return recalled;
  }

  /** A revoked key's remembered refusals end at once: its next request gets its 401. */
  forgetRefusals(keyId: string): void {
    this.refusals.forgetKey(keyId);
  }

  private bucketsFor(
    principal: TenantPrincipal,
    tier: Exclude<TenantPrincipal['tier'], 'internal'>,
    ip: string,
    policy: RoutePolicy,
  ): { policy: string; spec: BucketSpec }[] {
    const limits = this.config.rateLimit;
    const perMinute = (key: string, limit: number): BucketSpec => ({
      key,
      capacity: limit * limits.burstMultiplier,
      refillPerSecond: limit / 60,
    });
    const subject = principal.keyId === null ? `ip:${ip}` : `key:${principal.keyId}`;
    const tierLimit = {
      anonymous: limits.anonymousPerMinute,
      authenticated: limits.authenticatedPerMinute,
      premium: limits.premiumPerMinute,
    }[tier];
    const buckets: { policy: string; spec: BucketSpec }[] = [
      {
        policy: tier,
        spec: perMinute(tier === 'anonymous' ? `anon:${ip}` : subject, tierLimit),
      },
    ];
    if (tier === 'anonymous' || tier === 'authenticated') {
      buckets.push({ policy: 'ip', spec: perMinute(`ip:${ip}`, limits.ipPerMinute) });
    }
    for (const route of policy.routeThrottlers) {
      buckets.push({
        policy: route.name,
        spec: {
          key: `route:${route.name}:${subject}`,
          capacity: route.limit,
          refillPerSecond: route.limit / (route.ttlMs / 1000),
        },
      });
    }
    return buckets;
  }

  /** Route metadata read once per handler, not per request. */
  private policyFor(context: ExecutionContext): RoutePolicy {
    const handler = context.getHandler();
    const cached = this.policies.get(handler);
    if (cached) return cached;
    const targets = [handler, context.getClass()];
    const names =
      this.reflector.getAllAndOverride<RouteThrottlerName[] | undefined>(
        ROUTE_THROTTLERS,
        targets,
      ) ?? [];
    const policy: RoutePolicy = {
      exempt:
        this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets) === true ||
        this.reflector.getAllAndOverride<boolean>(SKIP_METADATA, targets) === true,
      routeThrottlers: names.map((name) => {
        const throttler = this.throttlers.find((t) => t.name === name);
        if (
          !throttler ||
          typeof throttler.limit !== 'number' ||
          typeof throttler.ttl !== 'number'
        ) {
          throw new Error(`route throttler "${name}" is not configured`);
        }
        return { name, limit: throttler.limit, ttlMs: throttler.ttl };
      }),
    };
    this.policies.set(handler, policy);
    return policy;
  }
}

/** The 429 problem for a request refused in `state` (`headers`: its rate-limit headers). */
export function refusalError(
  state: RateLimitState,
  headers: Record<string, string> = rateLimitHeaders(state),
): TooManyRequestsError {
  return withoutStack(
    () =>
      new TooManyRequestsError(`Rate limit of the ${state.policy} policy exceeded`, {
        retryAfterSeconds: Math.max(1, state.retryAfterSeconds),
        headers,
        extensions: { policy: state.policy, limit: state.limit },
      }),
  );
}

/** The bucket that refused (if any refused), else the one with the fewest tokens left. */
function mostRestrictive(decisions: readonly BucketDecision[]): number {
  let chosen = 0;
  decisions.forEach((decision, i) => {
    const best = decisions[chosen] as BucketDecision;
    const refuses = decision.retryAfterMs > 0;
    const bestRefuses = best.retryAfterMs > 0;
    if (refuses !== bestRefuses ? refuses : decision.remaining < best.remaining) chosen = i;
  });
  return chosen;
}
