import { Global, Module } from '@nestjs/common';
import { LOGGER } from '../../common/logging/logger.module';
import { APP_CONFIG } from '../../config';
import { AppCache } from './app-cache';
import { createAppCache } from './app-cache.factory';
import { CacheMetrics } from './cache.metrics';
import { APP_CACHE_MANAGER } from './cache.tokens';

/** One cache for the app (in-process, plus Redis with REDIS_URL): inject `AppCache`. */
@Global()
@Module({
  providers: [
    CacheMetrics,
    {
      provide: AppCache,
      inject: [APP_CONFIG, LOGGER, CacheMetrics],
      useFactory: createAppCache,
    },
    {
      provide: APP_CACHE_MANAGER,
      inject: [AppCache],
      useFactory: (cache: AppCache) => cache.manager,
    },
  ],
  exports: [AppCache, APP_CACHE_MANAGER],
})
export class AppCacheModule {}
