/** One token bucket to charge: capacity = limit × burst multiplier, refilled continuously. */
export interface BucketSpec {
  /** Full storage key (already prefixed/namespaced by the caller), e.g. `key:3f2a…` or `ip:10.0.0.7`. */
  readonly key: string;
  /** Most tokens the bucket holds (a fresh bucket starts full). */
  readonly capacity: number;
  /** Tokens added per second (limit per minute / 60). */
  readonly refillPerSecond: number;
}

export interface BucketDecision {
  /** Whole tokens left after this request (0 when rejected). */
  readonly remaining: number;
  /** Milliseconds until one token is available again (0 when the bucket still has one). */
  readonly retryAfterMs: number;
  /** Milliseconds until the bucket is full again. */
  readonly resetMs: number;
}

export interface TakeResult {
  /** True when every bucket had a token; then one token was taken from each. */
  readonly allowed: boolean;
  /** One decision per bucket, in the order given. */
  readonly buckets: readonly BucketDecision[];
}

/**
 * Where token buckets live: in-process (embedded default) or in Redis (shared by every pod).
 * `take` is atomic over all the buckets given: either one token is taken from each, or — when
 * any of them is empty — none is taken from any (a rejected request costs nothing).
 */
export interface RateLimitStore {
  take(buckets: readonly BucketSpec[]): Promise<TakeResult>;
  /**
   * The clock the decisions' waits count from (epoch ms): what a remembered refusal is timed on
   * (a test's controlled clock for the in-process buckets; this host's for Redis, whose waits are
   * relative).
   */
  now(): number;
  close(): Promise<void>;
}
