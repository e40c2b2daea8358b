export interface RetryPolicy {
  /** Retries after the first attempt; total attempts ≤ maxRetries + 1. */
  readonly maxRetries: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** Multiplicative jitter: the delay is scaled by a factor in [1 − jitter, 1 + jitter). */
  readonly jitter: number;
}

export const RETRY_DEFAULT: RetryPolicy = Object.freeze({
  maxRetries: 3,
  baseDelayMs: 100,
  maxDelayMs: 30_000,
  jitter: 0.25,
});
export const RETRY_PROVIDER_DEFAULT: RetryPolicy = Object.freeze({
  ...RETRY_DEFAULT,
  baseDelayMs: 1_000,
  maxDelayMs: 60_000,
});
export const RETRY_OPENAI: RetryPolicy = RETRY_PROVIDER_DEFAULT;
// Anthropic's overload (529) episodes last longer, so its backoff starts and ends later.
export const RETRY_ANTHROPIC: RetryPolicy = Object.freeze({
  ...RETRY_DEFAULT,
  baseDelayMs: 2_000,
  maxDelayMs: 120_000,
});

export function assertValidPolicy(policy: RetryPolicy): void {
  const { maxRetries, baseDelayMs, maxDelayMs, jitter } = policy;
  if (!Number.isInteger(maxRetries) || maxRetries < 0) {
    throw new RangeError(`maxRetries must be an integer >= 0, got ${maxRetries}`);
  }
  if (!(baseDelayMs >= 0 && Number.isFinite(baseDelayMs))) {
    throw new RangeError(`baseDelayMs must be a finite number >= 0, got ${baseDelayMs}`);
  }
  if (!(maxDelayMs >= 0)) throw new RangeError(`maxDelayMs must be >= 0, got ${maxDelayMs}`);
  if (!(jitter >= 0 && jitter <= 1))
    throw new RangeError(`jitter must be in [0, 1], got ${jitter}`);
}

/**
 * Delay before retry `retry` (1-based): min(max, base × 2^(retry−1)) × (1 + jitter × (2r − 1)),
 * capped at maxDelayMs. `random` is a value in [0, 1).
 */
export function backoffDelayMs(policy: RetryPolicy, retry: number, random: number): number {
  const { baseDelayMs, maxDelayMs, jitter } = policy;
  // base 0 would give 0 × Infinity = NaN once 2^n overflows.
  const exponential = baseDelayMs === 0 ? 0 : Math.min(maxDelayMs, baseDelayMs * 2 ** (retry - 1));
  const r = Math.min(1, Math.max(0, random));
  return Math.min(maxDelayMs, exponential * (1 + jitter * (2 * r - 1)));
}
