import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { LiveStats } from '../health/live-stats';
import { FailoverRateLimitStore } from './failover-rate-limit.store';
import type { BucketSpec, RateLimitStore } from './rate-limit.store';
import { RATE_LIMIT_STORE } from './rate-limit.tokens';

/** A bucket that never runs dry: taking from it only tells whether Redis answers. */
const PROBE: BucketSpec = { key: 'probe', capacity: 1_000_000, refillPerSecond: 1_000_000 };
const PROBE_INTERVAL_MS = 2_000;

/**
 * Reports Redis as /api/v1/health's `redis` field (connected while the buckets live there, not
 * while the in-process fallback answers), probing it in the background so that the field is
 * true without traffic too; closes the store's connections on shutdown.
 */
@Injectable()
export class RateLimitStoreLifecycle implements OnModuleInit, OnApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(RATE_LIMIT_STORE) private readonly store: RateLimitStore,
    private readonly stats: LiveStats,
  ) {}

  async onModuleInit(): Promise<void> {
    const store = this.store;
    if (!(store instanceof FailoverRateLimitStore)) return;
    this.stats.registerDependency('redis', () =>
      store.state === 'primary' ? 'connected' : 'disconnected',
    );
    const probe = (): Promise<unknown> => store.take([PROBE]).catch(() => undefined);
    await probe();
    this.timer = setInterval(() => void probe(), PROBE_INTERVAL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.store.close();
  }
}
