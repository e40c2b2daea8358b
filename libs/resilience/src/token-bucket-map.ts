import { takeFromAll } from './token-bucket';
import type { MultiTokenDecision, TokenBucketConfig, TokenBucketState } from './token-bucket.types';

export interface TokenBucketMapOptions {
  /** A full bucket untouched for longer than this is dropped (default 120 s). */
  readonly maxIdleMs?: number;
  /** Look for idle buckets once every this many takes (default 10 000). */
  readonly sweepEvery?: number;
}

interface Entry {
  readonly state: TokenBucketState;
  /** When the stored state will have refilled to capacity; Infinity if it never will. */
  readonly fullAtMs: number;
}

/**
 * An in-process store of named buckets, O(1) per take, with idle eviction so memory stays bounded.
 * Only buckets that are full again are evicted, so a dropped key is indistinguishable from a fresh
 * one. Each key is assumed to be used with the same config every time.
 */
export class TokenBucketMap {
  // Kept in order of last charge (re-inserted on every write), so idle entries sit at the front.
  private readonly buckets = new Map<string, Entry>();
  private readonly maxIdleMs: number;
  private readonly sweepEvery: number;
  private takesSinceSweep = 0;

  constructor(options: TokenBucketMapOptions = {}) {
    this.maxIdleMs = options.maxIdleMs ?? 120_000;
    this.sweepEvery = options.sweepEvery ?? 10_000;
    if (!(this.maxIdleMs >= 0)) {
      throw new RangeError(`maxIdleMs must be >= 0, got ${this.maxIdleMs}`);
    }
    if (!Number.isInteger(this.sweepEvery) || this.sweepEvery < 1) {
      throw new RangeError(`sweepEvery must be a positive integer, got ${this.sweepEvery}`);
    }
  }

  take(
    keys: readonly string[],
    configs: readonly TokenBucketConfig[],
    nowMs: number,
    cost = 1,
  ): MultiTokenDecision {
    if (keys.length !== configs.length) {
      throw new RangeError(`got ${keys.length} keys but ${configs.length} configs`);
    }
    // The same key twice would be charged once while both decisions claim a take.
    if (keys.length > 1 && new Set(keys).size !== keys.length) {
      throw new RangeError(`keys must be distinct, got ${keys.join(', ')}`);
    }
    const result = takeFromAll(
      keys.map((key) => this.buckets.get(key)?.state),
      configs,
      nowMs,
      cost,
    );
    // A rejection charges nothing, so there is nothing new to store.
    if (result.allowed) {
      result.decisions.forEach((decision, i) => {
        const key = keys[i];
        if (key === undefined) return;
        this.buckets.delete(key);
        this.buckets.set(key, { state: decision.state, fullAtMs: nowMs + decision.resetMs });
      });
    }
    if (++this.takesSinceSweep >= this.sweepEvery) {
      this.takesSinceSweep = 0;
      this.sweep(nowMs);
    }
    return result;
  }

  get size(): number {
    return this.buckets.size;
  }

  clear(): void {
    this.buckets.clear();
    this.takesSinceSweep = 0;
  }

  /**
   * Walks from the least recently charged entry and stops at the first one still in use, so the
   * cost is the number of idle entries: the evicted ones (each paid for by the take that created
   * it) plus idle ones still refilling, which only exist when a refill takes longer than maxIdleMs.
   */
  private sweep(nowMs: number): void {
    for (const [key, entry] of this.buckets) {
      if (!(nowMs - entry.state.updatedAtMs > this.maxIdleMs)) break;
      if (nowMs >= entry.fullAtMs) this.buckets.delete(key);
    }
  }
}
