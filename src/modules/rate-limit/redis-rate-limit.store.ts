import type { Redis } from 'ioredis';
import type { BucketDecision, BucketSpec, RateLimitStore, TakeResult } from './rate-limit.store';
import { MICRO, TOKEN_BUCKET_LUA } from './redis-token-bucket.script';

export interface RedisRateLimitStoreOptions {
  /** Prepended to every bucket key, e.g. `aragora:ratelimit:`. */
  readonly keyPrefix: string;
  /** TTL of bucket keys, raised per key to the time it takes to refill (expired = full). */
  readonly keyTtlSeconds: number;
}

const COMMAND = 'aragoraRateLimitTake';
type ScriptedRedis = Redis & {
  [COMMAND](numKeys: number, ...args: (string | number)[]): Promise<number[]>;
};

/** ms from micro-tokens; the epsilon absorbs float noise of fractional rates (e.g. 100/60). */
function ceilMs(microTokens: number, refillPerSecond: number): number {
  if (microTokens <= 0) return 0;
  return Math.ceil(microTokens / (refillPerSecond * 1000) - 1e-9);
}

/** `micro` is what the bucket holds after this take (untouched when it was rejected). */
function decide(spec: BucketSpec, micro: number, allowed: boolean): BucketDecision {
  const capacity = Math.floor(spec.capacity * MICRO);
  return {
    remaining: allowed ? Math.floor(micro / MICRO) : 0, // the port's contract: 0 when rejected
    retryAfterMs: ceilMs(MICRO - micro, spec.refillPerSecond),
    resetMs: ceilMs(capacity - micro, spec.refillPerSecond),
  };
}

/** Token buckets in Redis, shared by every pod: one EVALSHA per take, atomic over all buckets. */
export class RedisRateLimitStore implements RateLimitStore {
  private readonly redis: ScriptedRedis;

  /** Takes ownership of the client: `close()` quits it. */
  constructor(
    redis: Redis,
    private readonly options: RedisRateLimitStoreOptions,
  ) {
    redis.defineCommand(COMMAND, { lua: TOKEN_BUCKET_LUA });
    this.redis = redis as ScriptedRedis;
  }

  now(): number {
    return Date.now();
  }

  async take(buckets: readonly BucketSpec[]): Promise<TakeResult> {
    if (buckets.length === 0) return { allowed: true, buckets: [] };
    const keys = buckets.map((b) => this.options.keyPrefix + b.key);
    const args = buckets.flatMap((b) => [b.capacity, b.refillPerSecond]);
    const ttlMs = Math.round(this.options.keyTtlSeconds * 1000);
    const [flag, ...micro] = await this.redis[COMMAND](keys.length, ...keys, ttlMs, ...args);
    const allowed = flag === 1;
    return { allowed, buckets: buckets.map((spec, i) => decide(spec, micro[i] ?? 0, allowed)) };
  }

  async close(): Promise<void> {
    // quit fails at once while Redis is unreachable (no offline queue); then just drop the socket
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
