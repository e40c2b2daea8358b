import { Redis } from 'ioredis';

export interface RedisClientOptions {
  /** CLIENT SETNAME, to tell our connections apart in `CLIENT LIST`. */
  readonly connectionName: string;
  /** Upper bound for any one command; default 500 ms. */
  readonly commandTimeoutMs?: number;
  /** Connection errors (refused, reset, …) while ioredis keeps reconnecting. */
  readonly onError?: (error: Error) => void;
}

/**
 * An ioredis client that never makes a caller wait on a down Redis: commands fail at once while
 * disconnected (no offline queue, no per-request retries) and time out when Redis hangs, while the
 * connection itself keeps being re-established in the background.
 */
export function createRedisClient(url: string, options: RedisClientOptions): Redis {
  const redis = new Redis(url, {
    connectionName: options.connectionName,
    lazyConnect: false,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: options.commandTimeoutMs ?? 500,
    connectTimeout: 1000,
    retryStrategy: (attempt: number) => Math.min(attempt * 100, 1000),
  });
  // without a listener, ioredis reports every failed reconnect as an unhandled error event
  redis.on('error', (error: Error) => options.onError?.(error));
  return redis;
}
