import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { InjectLogger } from '../../common/logging/logger.module';
import type { Logger } from '../../common/logging/logger';
import { hashApiKey, looksLikeApiKey } from './api-key-secret';
import { ApiKeysRepository, type ActiveKey } from './api-keys.repository';

/** How long a resolved key is trusted without asking the database again (other pods). */
export const KEY_CACHE_TTL_MS = 5_000;
const CACHE_MAX_ENTRIES = 10_000;
/** `last_used_at` is a hint, written at most this often per key. */
const TOUCH_INTERVAL_MS = 60_000;

interface Cached {
  readonly key: ActiveKey | undefined;
  readonly expiresAt: number;
}

/**
 * Resolves bearer keys to their tenant, role and tier. Results (hits and misses) are cached
 * briefly so that authentication costs no query per request; a revocation on this pod takes
 * effect at once, on other pods within KEY_CACHE_TTL_MS.
 *
 * The cache is indexed by the token as presented, not by its SHA-256: hashing it on every request
 * cost 1–3 µs, several % of a cached request, and the token is in this process's memory with
 * each request anyway. Expired entries are swept every KEY_CACHE_TTL_MS, so a token leaves the
 * cache within twice that of its lookup; the database holds only hashes.
 */
@Injectable()
export class KeyAuthenticator implements OnModuleDestroy {
  private readonly cache = new Map<string, Cached>();
  private readonly lastTouched = new Map<string, number>();
  private readonly revocationListeners = new Set<(keyId: string) => void>();

  private readonly sweeper = setInterval(() => this.sweep(Date.now()), KEY_CACHE_TTL_MS).unref();

  constructor(
    private readonly keys: ApiKeysRepository,
    @InjectLogger() private readonly log: Logger,
  ) {}

  onModuleDestroy(): void {
    clearInterval(this.sweeper);
  }

  async resolve(token: string): Promise<ActiveKey | undefined> {
    if (!looksLikeApiKey(token)) return undefined;
    const now = Date.now();
    const known = this.fromCache(token, now);
    if (known !== null) return known;
    const key = await this.keys.findActiveByHash(hashApiKey(token));
    if (this.cache.size >= CACHE_MAX_ENTRIES) this.cache.clear();
    this.cache.set(token, { key, expiresAt: now + KEY_CACHE_TTL_MS });
    if (key) this.touch(key.id, now);
    return key;
  }

  /**
   * What `resolve` answers when it can answer without the database (a malformed token, or a key
   * resolved within KEY_CACHE_TTL_MS): the key, or undefined for none; null when only the
   * database knows. Synchronous, so that a cached key costs a request no promise.
   */
  resolveCached(token: string): ActiveKey | undefined | null {
    if (!looksLikeApiKey(token)) return undefined;
    return this.fromCache(token, Date.now());
  }

  /** How many tokens the cache holds (expired ones until the next sweep). */
  get cachedTokens(): number {
    return this.cache.size;
  }

  private fromCache(token: string, now: number): ActiveKey | undefined | null {
    const cached = this.cache.get(token);
    if (!cached || cached.expiresAt <= now) return null;
    if (cached.key) this.touch(cached.key.id, now);
    return cached.key;
  }

  /** Drops a revoked key from the cache and tells the listeners (open WebSockets end at once). */
  forget(keyId: string): void {
    for (const [token, entry] of this.cache) {
      if (entry.key?.id === keyId) this.cache.delete(token);
    }
    for (const listener of this.revocationListeners) listener(keyId);
  }

  /** Revocations made on this pod, as they happen. */
  onRevoked(listener: (keyId: string) => void): () => void {
    this.revocationListeners.add(listener);
    return () => this.revocationListeners.delete(listener);
  }

  /**
   * Which of `keyIds` are still active, from the database: what a long-lived session (a WebSocket)
   * checks every KEY_CACHE_TTL_MS to end when its key was revoked on another pod.
   */
  stillActive(keyIds: readonly string[]): Promise<Set<string>> {
    return this.keys.activeIds(keyIds);
  }

  /** Drops expired entries, so that no token stays in memory long after its last use. */
  private sweep(now: number): void {
    for (const [token, entry] of this.cache) {
      if (entry.expiresAt <= now) this.cache.delete(token);
    }
  }

  private touch(keyId: string, now: number): void {
    const last = this.lastTouched.get(keyId) ?? 0;
    if (now - last < TOUCH_INTERVAL_MS) return;
    this.lastTouched.set(keyId, now);
    this.keys.touchLastUsed(keyId).catch((error: unknown) => {
      this.log.warn({ err: error, keyId }, 'could not record the key as used');
    });
  }
}
