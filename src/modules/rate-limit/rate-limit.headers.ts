import type { BucketDecision, BucketSpec } from './rate-limit.store';

export interface RateLimitState {
  /** The policy reported to the client: the most restrictive bucket charged. */
  readonly policy: string;
  readonly limit: number;
  readonly remaining: number;
  /** Seconds until the bucket is full again. */
  readonly resetSeconds: number;
  /** Seconds until a request would be admitted (0 when admitted). */
  readonly retryAfterSeconds: number;
  /** Window in which `limit` requests refill: limit / refill rate. */
  readonly windowSeconds: number;
}

/** A bucket that can never refill answers with a long, finite wait rather than Infinity. */
const MAX_WAIT_SECONDS = 3600;
const seconds = (ms: number): number => Math.min(MAX_WAIT_SECONDS, Math.ceil(ms / 1000));

export function toState(
  policy: string,
  spec: BucketSpec,
  decision: BucketDecision,
): RateLimitState {
  return {
    policy,
    limit: spec.capacity,
    remaining: decision.remaining,
    resetSeconds: seconds(decision.resetMs),
    retryAfterSeconds: seconds(decision.retryAfterMs),
    windowSeconds: Math.round(spec.capacity / spec.refillPerSecond),
  };
}

/**
 * The IETF draft fields (structured `RateLimit-Policy` / `RateLimit`, quota q over window w,
 * remaining r, t seconds to reset) and the de-facto `X-RateLimit-*` trio.
 */
export function rateLimitHeaders(state: RateLimitState): Record<string, string> {
  return {
    'ratelimit-policy': `"${state.policy}";q=${state.limit};w=${state.windowSeconds}`,
    ratelimit: `"${state.policy}";r=${state.remaining};t=${state.resetSeconds}`,
    'x-ratelimit-limit': String(state.limit),
    'x-ratelimit-remaining': String(state.remaining),
    'x-ratelimit-reset': String(state.resetSeconds),
  };
}
