import type { BucketSpec, RateLimitStore, TakeResult } from './rate-limit.store';

export type FailoverState = 'primary' | 'fallback';

export interface FailoverRateLimitStoreOptions {
  /** Longest a primary call may take before the fallback answers instead. */
  readonly timeoutMs: number;
  /** How long to stay on the fallback before probing the primary again. */
  readonly retryAfterMs: number;
  readonly onStateChange?: (state: FailoverState, error?: unknown) => void;
  readonly now?: () => number;
}

class PrimaryTimeoutError extends Error {}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new PrimaryTimeoutError(`no answer within ${ms} ms`)), ms);
  });
  // race also handles a late rejection of `promise`, so nothing goes unhandled
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Answers from the primary (Redis) and, when it fails or is slow, from the fallback (in-process)
 * — for that same request and for the next `retryAfterMs`; then one request probes the primary.
 * Rate limiting degrades to per-pod limits instead of failing requests.
 */
export class FailoverRateLimitStore implements RateLimitStore {
  private current: FailoverState = 'primary';
  private fallbackUntil = 0;
  private probing = false;
  private readonly clock: () => number;

  constructor(
    private readonly primary: RateLimitStore,
    private readonly fallback: RateLimitStore,
    private readonly options: FailoverRateLimitStoreOptions,
  ) {
    this.clock = options.now ?? Date.now;
  }

  now(): number {
    return this.clock();
  }

  get state(): FailoverState {
    return this.current;
  }

  async take(buckets: readonly BucketSpec[]): Promise<TakeResult> {
    const isProbe = this.current === 'fallback';
    // one probe at a time: the others keep the fallback rather than each waiting out a timeout
    if (isProbe && (this.probing || this.now() < this.fallbackUntil)) {
      return this.fallback.take(buckets);
    }
    if (isProbe) this.probing = true;
    try {
      const result = await withTimeout(this.primary.take(buckets), this.options.timeoutMs);
      if (isProbe) this.switchTo('primary');
      return result;
    } catch (error) {
      this.fallbackUntil = this.now() + this.options.retryAfterMs;
      if (this.current === 'primary') this.switchTo('fallback', error);
      return this.fallback.take(buckets);
    } finally {
      if (isProbe) this.probing = false;
    }
  }

  async close(): Promise<void> {
    const results = await Promise.allSettled([this.primary.close(), this.fallback.close()]);
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  private switchTo(state: FailoverState, error?: unknown): void {
    this.current = state;
    try {
      this.options.onStateChange?.(state, error);
    } catch {
      // a failing listener must not fail the request it was told about
    }
  }
}
