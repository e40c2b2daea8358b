import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { LiveStats } from '../health/live-stats';
import { FailoverRateLimitStore } from './failover-rate-limit.store';
import type { RateLimitStore } from './rate-limit.store';
import { RATE_LIMIT_STORE } from './rate-limit.tokens';

/**
 * Reports Redis as /api/v1/health's `redis` field (connected while the buckets live there, not
 * while the in-process fallback answers) and closes the store's connections on shutdown.
 */
@Injectable()
export class RateLimitStoreLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(RATE_LIMIT_STORE) private readonly store: RateLimitStore,
    private readonly stats: LiveStats,
  ) {}

  onModuleInit(): void {
    const store = this.store;
    if (!(store instanceof FailoverRateLimitStore)) return;
    this.stats.registerDependency('redis', () =>
      store.state === 'primary' ? 'connected' : 'disconnected',
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}
