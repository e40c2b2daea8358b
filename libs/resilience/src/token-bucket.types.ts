export interface TokenBucketConfig {
  /** Most tokens the bucket can hold; `Infinity` means unlimited. */
  readonly capacity: number;
  /** Tokens added per second, continuously; 0 means the bucket never refills. */
  readonly refillPerSecond: number;
}

export interface TokenBucketState {
  readonly tokens: number;
  readonly updatedAtMs: number;
}

export interface TokenDecision {
  readonly allowed: boolean;
  /** The state to store after this call: refilled up to now, and charged only when allowed. */
  readonly state: TokenBucketState;
  /** Whole tokens left after the take; 0 when rejected. */
  readonly remaining: number;
  /** Whole ms until this bucket could pay the cost; 0 when it already can, Infinity when it never will. */
  readonly retryAfterMs: number;
  /** Whole ms until the bucket is full again; 0 when full, Infinity when it never refills. */
  readonly resetMs: number;
}

export interface MultiTokenDecision {
  allowed: boolean;
  /** One per bucket, in the order given. */
  decisions: TokenDecision[];
}
