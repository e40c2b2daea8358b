import { Injectable } from '@nestjs/common';
import { createCounter, createGauge } from '../observability/metric-registry';
import { SlotCounter } from '../observability/slot-counter';

/** `aragora_rate_limited_total{tier,route}`, `aragora_auth_failures_total`, storage state. */
@Injectable()
export class RateLimitMetrics {
  // Counted once per refusal, which a flood makes the hottest path: no label hashing per call.
  private readonly limited = new SlotCounter(
    'aragora_rate_limited_total',
    'Requests refused with 429 by tier and route template',
    ['tier', 'route'],
  );
  private readonly authFailures = createCounter({
    name: 'aragora_auth_failures_total',
    help: 'Requests with a missing operator token or an invalid or revoked API key',
  });
  private readonly fallback = createGauge({
    name: 'aragora_rate_limit_fallback',
    help: '1 while rate limiting runs on in-process buckets because Redis is unreachable',
  });
  private readonly fallbacks = createCounter({
    name: 'aragora_rate_limit_fallbacks_total',
    help: 'Switches from Redis to in-process rate-limit buckets',
  });

  rateLimited(tier: string, route: string): void {
    this.limited.at(tier, route).inc();
  }

  authFailure(): void {
    this.authFailures.inc();
  }

  storageState(state: 'primary' | 'fallback'): void {
    this.fallback.set(state === 'fallback' ? 1 : 0);
    if (state === 'fallback') this.fallbacks.inc();
  }
}
