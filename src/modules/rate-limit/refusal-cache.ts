import type { IncomingMessage } from 'node:http';
import { LRUCache } from 'lru-cache';
import { pathOf } from '../../common/http/url-path';
import { toState, type RateLimitState } from './rate-limit.headers';
import type { BucketSpec } from './rate-limit.store';

/** What a refusal said: enough to give the same caller the same answer while it still holds. */
export interface Refusal {
  /** The refusing bucket's policy name and spec (as reported in the 429). */
  readonly policy: string;
  readonly spec: BucketSpec;
  /** The refused principal's tier (for `aragora_rate_limited_total`). */
  readonly tier: string;
  /** The refused key (null when anonymous): its refusals are dropped when it is revoked. */
  readonly keyId: string | null;
  /** Epoch ms at which the refusing bucket holds a token again. */
  readonly retryAt: number;
  /** Epoch ms at which it is full again. */
  readonly resetAt: number;
  /** The route template (metrics label) and the problem's `instance` (the path as routed). */
  readonly route: string;
  readonly instance: string;
}

/** A refusal recalled: the state to report (remaining 0, the waits as of now) and its origin. */
export interface RecalledRefusal {
  readonly state: RateLimitState;
  readonly refusal: Refusal;
}

/**
 * Longest a refusal is answered from memory before the full path (authentication, buckets) runs
 * again for that caller: bounds how long a key revoked on another pod, or a bucket that another
 * pod's fallback refilled, can be answered with a stale 429 instead of its real answer.
 */
export const REFUSAL_RECHECK_MS = 1_000;
const DEFAULT_MAX_ENTRIES = 10_000;
/**
 * Bound on the characters of all keys kept: keys carry headers as sent (an anonymous flood may vary
 * `X-Forwarded-For` up to the header size limit), so the entry count alone does not bound memory.
 */
const DEFAULT_MAX_KEY_CHARS = 4 * 1024 * 1024;
/** What an entry costs besides its key (the refusal and LRU bookkeeping), in key characters. */
const ENTRY_OVERHEAD = 256;

interface Entry {
  readonly refusal: Refusal;
  readonly expiresAt: number;
}

/**
 * Refusals remembered per caller and route, so that a flood is refused before it costs an
 * authentication, a bucket check and an error: a bucket that had no token gets none before its
 * refill time whatever else happens (tokens only come from the refill), so until then the same
 * credential from the same address on the same route would be refused again, by the same bucket.
 * Entries end at the bucket's retry time (at most REFUSAL_RECHECK_MS after they were made), when
 * their key is revoked on this pod, or when the LRU bounds (entries, key characters) push them out.
 */
export class RefusalCache {
  private readonly entries: LRUCache<string, Entry>;

  constructor(
    maxEntries = DEFAULT_MAX_ENTRIES,
    private readonly now: () => number = Date.now,
    maxKeyChars = DEFAULT_MAX_KEY_CHARS,
  ) {
    this.entries = new LRUCache<string, Entry>({
      max: maxEntries,
      maxSize: maxKeyChars,
      sizeCalculation: (_entry, key) => key.length + ENTRY_OVERHEAD,
    });
  }

  /**
   * The cache key of a request, from what it arrived with: method, path (before any rewrite, no
   * query), peer address, X-Forwarded-For and Authorization as sent. Everything the route, the
   * client address and the principal are derived from, so equal keys get equal answers.
   */
  static key(request: IncomingMessage & { originalUrl?: string }): string {
    const path = pathOf(request.originalUrl ?? request.url ?? '');
    const { authorization = '', 'x-forwarded-for': forwardedFor = '' } = request.headers;
    const client = `${request.socket.remoteAddress} ${String(forwardedFor)}`;
    return `${request.method} ${path} ${client} ${authorization}`;
  }

  get size(): number {
    return this.entries.size;
  }

  remember(key: string, refusal: Refusal): void {
    const now = this.now();
    const expiresAt = Math.min(refusal.retryAt, now + REFUSAL_RECHECK_MS);
    if (expiresAt <= now) return;
    this.entries.set(key, { refusal, expiresAt });
  }

  /** The refusal still holding for `key`, as of now; undefined when none does. */
  recall(key: string): RecalledRefusal | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    const now = this.now();
    if (now >= entry.expiresAt) {
      this.entries.delete(key);
      return undefined;
    }
    const { refusal } = entry;
    return {
      refusal,
      state: toState(refusal.policy, refusal.spec, {
        remaining: 0,
        retryAfterMs: refusal.retryAt - now,
        resetMs: refusal.resetAt - now,
      }),
    };
  }

  /** Drops the refusals of a revoked key: its next request gets the 401. */
  forgetKey(keyId: string): void {
    for (const [key, entry] of this.entries.entries()) {
      if (entry.refusal.keyId === keyId) this.entries.delete(key);
    }
  }
}
