import { Global, Module, type DynamicModule } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import type { AppConfig } from '../../config';
import type { Logger } from '../../common/logging/logger';
import { HealthModule } from '../health/health.module';
import { AuthFailureLimiter } from './auth-failure.limiter';
import { RateLimitStoreLifecycle } from './rate-limit-store.lifecycle';
import { FailoverRateLimitStore } from './failover-rate-limit.store';
import { MemoryRateLimitStore } from './memory-rate-limit.store';
import { RateLimitGuard } from './rate-limit.guard';
import { RateLimitMetrics } from './rate-limit.metrics';
import { createRedisClient } from './redis-client';
import { RedisRateLimitStore } from './redis-rate-limit.store';
import type { RateLimitStore } from './rate-limit.store';
import { RATE_LIMIT_STORE } from './rate-limit.tokens';

/** How long a Redis check may take before the in-process buckets answer instead. */
const REDIS_TIMEOUT_MS = 250;
/** How long to stay on the in-process buckets before trying Redis again. */
const REDIS_RETRY_MS = 1_000;

function createStore(config: AppConfig, log: Logger, metrics: RateLimitMetrics): RateLimitStore {
  const memory = new MemoryRateLimitStore();
  if (!config.redis.url) return memory;
  const redis = createRedisClient(config.redis.url, {
    connectionName: 'aragora-rate-limit',
    commandTimeoutMs: REDIS_TIMEOUT_MS,
    onError: (error) => log.debug({ err: error }, 'rate-limit Redis connection error'),
  });
  const primary = new RedisRateLimitStore(redis, {
    keyPrefix: config.redis.keyPrefix,
    keyTtlSeconds: config.redis.keyTtlSeconds,
  });
  return new FailoverRateLimitStore(primary, memory, {
    timeoutMs: REDIS_TIMEOUT_MS,
    retryAfterMs: REDIS_RETRY_MS,
    onStateChange: (state, error) => {
      metrics.storageState(state);
      if (state === 'fallback') {
        log.warn(
          { err: error },
          'Redis unreachable: rate limiting falls back to in-process buckets',
        );
      } else {
        log.info('Redis is back: rate limiting is shared again');
      }
    },
  });
}

@Global()
@Module({})
export class RateLimitModule {
  static forRoot(config: AppConfig, log: Logger, store?: RateLimitStore): DynamicModule {
    const minute = 60_000;
    return {
      module: RateLimitModule,
      imports: [
        HealthModule,
        // Named route limits; the tier limits come from config in RateLimitGuard.
        ThrottlerModule.forRoot([
          { name: 'debates', limit: config.rateLimit.debatesPerMinute, ttl: minute },
          { name: 'uploads-minute', limit: config.rateLimit.uploadsPerMinute, ttl: minute },
          { name: 'uploads-hour', limit: config.rateLimit.uploadsPerHour, ttl: 60 * minute },
        ]),
      ],
      providers: [
        RateLimitMetrics,
        {
          provide: RATE_LIMIT_STORE,
          inject: [RateLimitMetrics],
          useFactory: (metrics: RateLimitMetrics) => store ?? createStore(config, log, metrics),
        },
        AuthFailureLimiter,
        RateLimitGuard,
        RateLimitStoreLifecycle,
      ],
      exports: [RATE_LIMIT_STORE, AuthFailureLimiter, RateLimitGuard, RateLimitMetrics],
    };
  }
}
