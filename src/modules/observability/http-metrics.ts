import { SlotCounter } from './slot-counter';
import { registerCollector, SlotHistogram } from './slot-histogram';

/** Latency buckets (seconds) around the 500 ms p99 objective. */
export const REQUEST_BUCKETS = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];

const TOTAL = 'aragora_request_total';
const TOTAL_HELP = 'HTTP requests by route template, method and status';

/**
 * `aragora_request_duration_seconds` (histogram) and `aragora_request_total` (counter, the same
 * series' counts) by route template, method and status, for every request, on SlotHistogram: no
 * label object is built or hashed per request; and `aragora_http_client_errors_total` for
 * connections that never became a request.
 */
export class HttpMetrics {
  private readonly duration = new SlotHistogram(
    'aragora_request_duration_seconds',
    'HTTP request latency by route template, method and status',
    REQUEST_BUCKETS,
    ['route', 'method', 'status'],
  );

  constructor() {
    registerCollector(
      { name: TOTAL, help: TOTAL_HELP, type: 'counter' },
      () => ({
        name: TOTAL,
        help: TOTAL_HELP,
        type: 'counter',
        values: this.duration.everySeries.map((s) => ({
          metricName: TOTAL,
          labels: s.labels,
          value: s.count,
        })),
        aggregator: 'sum',
      }),
      () => undefined, // the counts are the histogram's: reset with it
    );
  }

  private readonly clientErrors = new SlotCounter(
    'aragora_http_client_errors_total',
    'Connections answered before any request existed (malformed HTTP, headers over the limit, request timeouts), by problem code',
    ['reason'],
  );

  record(route: string, method: string, status: number, seconds: number): void {
    this.duration.at(route, method, status).observe(seconds);
  }

  clientError(reason: string): void {
    this.clientErrors.at(reason).inc();
  }
}
