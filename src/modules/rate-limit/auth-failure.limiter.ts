import { Inject, Injectable } from '@nestjs/common';
import { InjectConfig, type AppConfig } from '../../config';
import { TooManyRequestsError } from '../../common/errors';
import { RateLimitMetrics } from './rate-limit.metrics';
import type { RateLimitStore } from './rate-limit.store';
import { RATE_LIMIT_STORE } from './rate-limit.tokens';

/** Failed authentications per client IP (ARAGORA_AUTH_FAILURE_LIMIT per minute, no burst). */
@Injectable()
export class AuthFailureLimiter {
  constructor(
    @Inject(RATE_LIMIT_STORE) private readonly store: RateLimitStore,
    @InjectConfig() private readonly config: AppConfig,
    private readonly metrics: RateLimitMetrics,
  ) {}

  /** Counts one failure; throws 429 once the IP is over its budget. */
  async recordFailure(ip: string): Promise<void> {
    this.metrics.authFailure();
    const limit = this.config.rateLimit.authFailuresPerMinute;
    const result = await this.store.take([
      { key: `authfail:${ip}`, capacity: limit, refillPerSecond: limit / 60 },
    ]);
    if (!result.allowed) {
      const retryAfterSeconds = Math.max(
        1,
        Math.ceil((result.buckets[0]?.retryAfterMs ?? 1000) / 1000),
      );
      throw new TooManyRequestsError('Too many failed authentications from this address', {
        retryAfterSeconds,
      });
    }
  }
}
