import { LRUCache } from 'lru-cache';

export interface InvalidatingCacheOptions {
  /** Upper bound on the sum of `sizeOf` over the kept values. */
  readonly maxSize: number;
  /** A value older than this is loaded again (a bound on staleness when an invalidation is missed). */
  readonly maxAgeMs: number;
  readonly sizeOf: (value: Buffer) => number;
}

/** What a load answers: the value, and whether it may be kept. */
export interface Loaded {
  readonly value: Buffer;
  readonly keep: boolean;
}

interface Flight {
  readonly promise: Promise<Buffer>;
  readonly state: { stale: boolean };
}

/**
 * A per-node cache of rendered answers that the owner drops when what they were rendered from
 * changes (`invalidate`). Bounded in bytes (LRU) and in age. Concurrent misses of one key share one
 * load; a load that an invalidation overtakes still answers its callers (it read a state that was
 * current while they waited) but is not kept, and callers arriving after the invalidation start a
 * new load — so a kept value never predates the latest invalidation of its key.
 */
export class InvalidatingCache {
  private readonly values: LRUCache<string, Buffer>;
  private readonly flights = new Map<string, Flight>();
  private hitCount = 0;
  private missCount = 0;

  constructor(options: InvalidatingCacheOptions) {
    if (!(options.maxAgeMs > 0)) throw new RangeError('maxAgeMs must be positive');
    this.values = new LRUCache<string, Buffer>({
      maxSize: options.maxSize,
      ttl: options.maxAgeMs,
      sizeCalculation: (value) => Math.max(1, options.sizeOf(value)),
    });
  }

  get hits(): number {
    return this.hitCount;
  }

  get misses(): number {
    return this.missCount;
  }

  get size(): number {
    return this.values.size;
  }

  /** The kept value of `key`, or the result of `load` (kept when it says so and nothing changed). */
  getOrLoad(key: string, load: () => Promise<Loaded>): Promise<Buffer> {
    const kept = this.values.get(key);
    if (kept !== undefined) {
      this.hitCount += 1;
      return Promise.resolve(kept);
    }
    this.missCount += 1;
    const joined = this.flights.get(key);
    if (joined) return joined.promise;
    const state = { stale: false };
    const promise = this.fly(key, load, state);
    this.flights.set(key, { promise, state });
    return promise;
  }

  invalidate(key: string): void {
    this.values.delete(key);
    const flight = this.flights.get(key);
    if (flight) {
      flight.state.stale = true;
      this.flights.delete(key);
    }
  }

  /** Drops every key `matches` accepts (kept values and loads under way). */
  invalidateWhere(matches: (key: string) => boolean): void {
    for (const key of [...this.values.keys()]) if (matches(key)) this.values.delete(key);
    for (const [key, flight] of this.flights) {
      if (matches(key)) {
        flight.state.stale = true;
        this.flights.delete(key);
      }
    }
  }

  clear(): void {
    this.invalidateWhere(() => true);
  }

  private async fly(
    key: string,
    load: () => Promise<Loaded>,
    state: { stale: boolean },
  ): Promise<Buffer> {
    try {
      const loaded = await load();
      if (loaded.keep && !state.stale) this.values.set(key, loaded.value);
      return loaded.value;
    } finally {
      if (this.flights.get(key)?.state === state) this.flights.delete(key);
    }
  }
}
