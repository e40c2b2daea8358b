import { createCache } from 'cache-manager';
import { Keyv } from 'keyv';
import type { Logger } from '../../common/logging/logger';
import type { AppConfig } from '../../config';
import { AppCache } from './app-cache';
import type { CacheMetrics } from './cache.metrics';
import { GuardedStore } from './guarded.store';
import { LruMap } from '../../common/lru-map';

/** Bound of the in-process tier; least recently used entries go first. */
export const MEMORY_MAX_ENTRIES = 10_000;
/** Every cache key in Redis starts with this. */
export const REDIS_KEY_PREFIX = 'aragora:cache:';
/** How long a Redis operation may take before the cache answers without it. */
const REDIS_TIMEOUT_MS = 250;

/**
 * The in-process tier. Values go through Keyv's JSON serialization, as in Redis: a caller that
 * mutates what it got cannot change the cached copy, and both modes behave alike.
 */
export function createMemoryTier(maxEntries = MEMORY_MAX_ENTRIES): Keyv {
  return new Keyv({ store: new LruMap<unknown>(maxEntries) });
}

interface RedisTier {
  readonly keyv: Keyv;
  close(): Promise<void>;
}

/**
 * The shared tier on @keyv/redis. Its client never queues commands while disconnected (they
 * fail at once) and keeps reconnecting in the background; GuardedStore turns failures and
 * slow answers into misses, counted in `aragora_cache_errors_total`.
 */
function createRedisTier(url: string, log: Logger, metrics: CacheMetrics): RedisTier {
  // Loaded only in the distributed mode: the embedded default never pays for the Redis client.
  /* eslint-disable-next-line @typescript-eslint/no-require-imports */
  const redisStore = require('@keyv/redis') as typeof import('@keyv/redis');
  const { default: KeyvRedis, createClient } = redisStore;
  const client = createClient({
    url,
    name: 'aragora-cache',
    disableOfflineQueue: true,
    // a hung Redis must not pile up pending commands without bound
    commandsQueueMaxLength: 1_000,
    socket: {
      connectTimeout: 1_000,
      reconnectStrategy: (attempt: number) => Math.min(attempt * 100, 1_000),
    },
  });
  client.on('error', (error: unknown) => log.debug({ err: error }, 'cache Redis connection error'));
  // resolves once connected (retrying meanwhile); the cache works without it until then
  client
    .connect()
    .catch((error: unknown) => log.debug({ err: error }, 'cache Redis not connected'));
  const redis = new KeyvRedis(client, {
    namespace: REDIS_KEY_PREFIX.slice(0, -1),
    keyPrefixSeparator: ':',
    throwOnConnectError: true,
    throwOnErrors: true,
  });
  redis.on('error', () => undefined); // reported once, by GuardedStore or the client listener
  const store = new GuardedStore(redis, {
    timeoutMs: REDIS_TIMEOUT_MS,
    onError: (op, error) => {
      metrics.error(op);
      log.debug({ err: error, op }, 'cache Redis operation failed; computing instead');
    },
  });
  return {
    keyv: new Keyv({ store, useKeyPrefix: false }),
    close: () => {
      if (client.isOpen) client.destroy();
      return Promise.resolve();
    },
  };
}

/** In-process only by default; with Redis, in-process first (per pod) and Redis second (shared). */
export function createAppCache(config: AppConfig, log: Logger, metrics: CacheMetrics): AppCache {
  const ttl = config.caches.defaultTtlSeconds * 1000;
  const memory = createMemoryTier();
  if (!config.redis.url) {
    return new AppCache(createCache({ stores: [memory], ttl }), { versions: memory });
  }
  const redis = createRedisTier(config.redis.url, log, metrics);
  return new AppCache(createCache({ stores: [memory, redis.keyv], ttl }), {
    versions: redis.keyv,
    close: () => redis.close(),
  });
}
