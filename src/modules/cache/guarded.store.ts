import type { KeyvStoreAdapter, StoredData } from 'keyv';
import type { CacheOp } from './cache.tokens';

export interface GuardedStoreOptions {
  /** Longest one operation may take; a slower one is abandoned and counted as an error. */
  readonly timeoutMs: number;
  readonly onError: (op: CacheOp, error: unknown) => void;
}

export class StoreTimeoutError extends Error {}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StoreTimeoutError(`no answer within ${ms} ms`)), ms);
  });
  // race also handles a late rejection of `promise`, so nothing goes unhandled
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Wraps a shared store (Redis) so that it can neither fail nor hang a request: every operation
 * is bounded by a timeout, and a failure is reported and answered as a miss / a no-op. The
 * cache then computes the value instead, which is the whole point of a cache being optional.
 */
export class GuardedStore implements KeyvStoreAdapter {
  /** Keyv writes its namespace here; the inner store keeps its own key prefix. */
  namespace?: string;

  constructor(
    private readonly inner: KeyvStoreAdapter,
    private readonly options: GuardedStoreOptions,
  ) {}

  readonly opts: Record<string, unknown> = { dialect: 'guarded' };

  get<Value>(key: string): Promise<StoredData<Value> | undefined> {
    return this.guard('get', () => this.inner.get<Value>(key), undefined);
  }

  /** False tells Keyv (and so the caller) that nothing was stored. */
  set(key: string, value: unknown, ttl?: number): Promise<boolean> {
    return this.guard(
      'set',
      async () => {
        await this.inner.set(key, value, ttl);
        return true;
      },
      false,
    );
  }

  delete(key: string): Promise<boolean> {
    return this.guard('delete', () => this.inner.delete(key), false);
  }

  clear(): Promise<void> {
    return this.guard('clear', () => this.inner.clear(), undefined);
  }

  async disconnect(): Promise<void> {
    await this.inner.disconnect?.();
  }

  /** Errors never leave this store, so there is nothing to listen to. */
  on(): this {
    return this;
  }

  private async guard<T>(op: CacheOp, work: () => Promise<T>, fallback: T): Promise<T> {
    try {
      return await withTimeout(work(), this.options.timeoutMs);
    } catch (error) {
      this.options.onError(op, error);
      return fallback;
    }
  }
}
