import { Injectable } from '@nestjs/common';
import { createCounter } from '../observability/metric-registry';
import type { CacheOp } from './cache.tokens';

/** `aragora_cache_errors_total{op}`: shared-store failures the cache answered around. */
@Injectable()
export class CacheMetrics {
  private readonly errors = createCounter({
    name: 'aragora_cache_errors_total',
    help: 'Cache store operations that failed or timed out (the value was computed instead)',
    labelNames: ['op'] as const,
  });

  error(op: CacheOp): void {
    this.errors.inc({ op });
  }
}
