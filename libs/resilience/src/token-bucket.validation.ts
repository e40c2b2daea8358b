import type { TokenBucketConfig } from './token-bucket.types';

// Written as !(x > 0) so NaN fails too.
export function assertValidConfig(config: TokenBucketConfig): void {
  if (!(config.capacity > 0)) {
    throw new RangeError(`token bucket capacity must be > 0, got ${config.capacity}`);
  }
  if (!(config.refillPerSecond >= 0)) {
    throw new RangeError(
      `token bucket refillPerSecond must be >= 0, got ${config.refillPerSecond}`,
    );
  }
}

export function assertValidCost(cost: number): void {
  if (!(cost > 0)) throw new RangeError(`token cost must be > 0, got ${cost}`);
}

// A NaN or infinite clock would be stored in the state and poison every later refill.
export function assertValidNow(nowMs: number): void {
  if (!Number.isFinite(nowMs)) throw new RangeError(`nowMs must be a finite number, got ${nowMs}`);
}
