import type { Counter, Histogram } from 'prom-client';
import { createCounter, createHistogram } from './metric-registry';

/** Latency buckets (seconds) around the 500 ms p99 objective. */
export const REQUEST_BUCKETS = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];

type Labels = 'route' | 'method' | 'status';

interface Series {
  readonly duration: ReturnType<Histogram<Labels>['labels']>;
  readonly total: ReturnType<Counter<Labels>['labels']>;
}

/**
 * `aragora_request_duration_seconds` and `aragora_request_total` by route template, method and
 * status. The labelled children are cached per series: prom-client otherwise validates and
 * hashes the label object on every call, which costs more than a probe's whole handler.
 */
export class HttpMetrics {
  private readonly duration = createHistogram<Labels>({
    name: 'aragora_request_duration_seconds',
    help: 'HTTP request latency by route template, method and status',
    labelNames: ['route', 'method', 'status'],
    buckets: REQUEST_BUCKETS,
  });
  private readonly total = createCounter<Labels>({
    name: 'aragora_request_total',
    help: 'HTTP requests by route template, method and status',
    labelNames: ['route', 'method', 'status'],
  });
  private readonly series = new Map<string, Series>();

  record(route: string, method: string, status: number, seconds: number): void {
    const key = `${status} ${method} ${route}`;
    let entry = this.series.get(key);
    if (entry === undefined) {
      const statusLabel = String(status);
      entry = {
        duration: this.duration.labels(route, method, statusLabel),
        total: this.total.labels(route, method, statusLabel),
      };
      this.series.set(key, entry);
    }
    entry.total.inc();
    entry.duration.observe(seconds);
  }
}
