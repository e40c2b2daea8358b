import { TokenBucketMap } from '@aragora/resilience';
import type { RateLimitStore, TakeResult, BucketSpec } from './rate-limit.store';

/** Buckets in this process: the embedded default, and the fallback while Redis is down. */
export class MemoryRateLimitStore implements RateLimitStore {
  private readonly buckets = new TokenBucketMap({ maxIdleMs: 120_000 });

  constructor(private readonly clock: () => number = Date.now) {}

  now(): number {
    return this.clock();
  }

  take(specs: readonly BucketSpec[]): Promise<TakeResult> {
    const { allowed, decisions } = this.buckets.take(
      specs.map((spec) => spec.key),
      specs,
      this.clock(),
    );
    return Promise.resolve({
      allowed,
      buckets: decisions.map((d) => ({
        remaining: d.remaining,
        retryAfterMs: d.retryAfterMs,
        resetMs: d.resetMs,
      })),
    });
  }

  close(): Promise<void> {
    this.buckets.clear();
    return Promise.resolve();
  }
}
