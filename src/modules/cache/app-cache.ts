import { randomBytes } from 'node:crypto';
import type { OnApplicationShutdown } from '@nestjs/common';
import type { Cache } from 'cache-manager';
import type { Keyv } from 'keyv';

/** How long a namespace version lives; when it lapses a fresh one starts (a harmless miss). */
const VERSION_TTL_MS = 24 * 60 * 60 * 1000;

export interface AppCacheOptions {
  /**
   * Where namespace versions live: the tier all pods share (Redis), or the only tier. Never the
   * in-process tier in front of Redis, or a pod would keep reading its own old version.
   */
  readonly versions: Keyv;
  /** Releases connections on shutdown. */
  readonly close?: () => Promise<void>;
}

/**
 * A fresh, never-reused version token. Not an incremented integer: `get` + `set` of a counter
 * from two pods can write an older number back and bring stale entries to life again; a unique
 * token can only ever make entries unreachable.
 */
function newVersion(): string {
  return `${Date.now().toString(36)}.${randomBytes(4).toString('hex')}`;
}

/**
 * The app's cache: cache-manager over an in-process tier (and Redis when configured), typed and
 * safe to lose. Stores never fail a call here: the shared tier is guarded (GuardedStore), so a
 * Redis outage turns into misses and the value is computed.
 *
 * Invalidation across pods goes through namespaces: keys are `<ns>:<version>:<key>`, and
 * `bump(ns)` replaces the version in the shared store, so every pod's next read misses.
 */
export class AppCache implements OnApplicationShutdown {
  /** Namespaces whose bump did not reach the shared store; retried before they are read. */
  private readonly pendingBumps = new Set<string>();

  constructor(
    readonly manager: Cache,
    private readonly options: AppCacheOptions,
  ) {}

  /** The cached value of `key`, or `compute()`'s (stored for `ttlMs`); concurrent misses compute once. */
  wrap<T>(key: string, ttlMs: number, compute: () => Promise<T>): Promise<T> {
    return this.manager.wrap(key, compute, ttlMs);
  }

  /** Drops `key` from this pod's tier and the shared one (other pods' in-process copies expire). */
  async del(key: string): Promise<void> {
    await this.manager.del(key);
  }

  /** The current version of `ns`, or null when the shared store cannot tell (do not cache then). */
  async namespaceVersion(ns: string): Promise<string | null> {
    if (this.pendingBumps.has(ns)) return (await this.bump(ns)) ? this.namespaceVersion(ns) : null;
    const key = versionKey(ns);
    const current = await this.options.versions.get<string>(key);
    if (typeof current === 'string') return current;
    const fresh = newVersion();
    return (await this.options.versions.set(key, fresh, VERSION_TTL_MS)) ? fresh : null;
  }

  /**
   * Invalidates everything cached under `ns` on every pod. False when the shared store was
   * unreachable: the bump is retried before this pod reads `ns` again.
   */
  async bump(ns: string): Promise<boolean> {
    const stored = await this.options.versions.set(versionKey(ns), newVersion(), VERSION_TTL_MS);
    if (stored) this.pendingBumps.delete(ns);
    else this.pendingBumps.add(ns);
    return stored;
  }

  /** `wrap` under a versioned namespace; computes without caching when the version is unknown. */
  async wrapIn<T>(ns: string, key: string, ttlMs: number, compute: () => Promise<T>): Promise<T> {
    const version = await this.namespaceVersion(ns);
    if (version === null) return compute();
    return this.wrap(`${ns}:${version}:${key}`, ttlMs, compute);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.options.close?.();
  }
}

function versionKey(ns: string): string {
  return `v:${ns}`;
}
