import { register } from 'prom-client';

/** Latency buckets (seconds) around the 500 ms p99 objective. */
export const REQUEST_BUCKETS = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];

const DURATION = 'aragora_request_duration_seconds';
const DURATION_HELP = 'HTTP request latency by route template, method and status';
const TOTAL = 'aragora_request_total';
const TOTAL_HELP = 'HTTP requests by route template, method and status';

type Labels = { route: string; method: string; status: string };

interface Sample {
  readonly metricName: string;
  readonly labels: Record<string, string | number>;
  readonly value: number;
}

/** What prom-client's registry reads from a metric at scrape time (`get()`). */
interface Rendered {
  readonly name: string;
  readonly help: string;
  readonly type: 'histogram' | 'counter';
  readonly values: Sample[];
  readonly aggregator: 'sum';
}

/** One route × method × status: what both metrics report. */
interface Series {
  readonly labels: Labels;
  /** Per bucket (not cumulative); the last slot counts observations above the highest bound. */
  readonly buckets: Float64Array;
  count: number;
  sum: number;
}

/**
 * `aragora_request_duration_seconds` (histogram) and `aragora_request_total` (counter) by route
 * template, method and status, for every request. prom-client's own children validate and hash
 * their labels on every observation (~1 µs a request, measured as 10–15 % of a health probe's
 * cost), so observations go into plain per-series slots found through nested maps of the
 * (interned) route and method strings, and the two metrics are registered in prom-client's
 * registry as collectors that render those slots in its format at scrape time.
 */
export class HttpMetrics {
  private readonly byRoute = new Map<string, Map<string, Map<number, Series>>>();
  private readonly all: Series[] = [];

  constructor(private readonly bounds: readonly number[] = REQUEST_BUCKETS) {
    replace(DURATION, {
      name: DURATION,
      help: DURATION_HELP,
      type: 'histogram',
      aggregator: 'sum',
      get: () => Promise.resolve(this.histogram()),
      reset: () => this.reset(),
    });
    replace(TOTAL, {
      name: TOTAL,
      help: TOTAL_HELP,
      type: 'counter',
      aggregator: 'sum',
      get: () => Promise.resolve(this.counter()),
      reset: () => this.reset(),
    });
  }

  record(route: string, method: string, status: number, seconds: number): void {
    const series = this.seriesOf(route, method, status);
    const { bounds } = this;
    const { buckets } = series;
    let i = 0;
    while (i < bounds.length && seconds > (bounds[i] as number)) i++;
    buckets[i] = (buckets[i] as number) + 1;
    series.count += 1;
    series.sum += seconds;
  }

  private seriesOf(route: string, method: string, status: number): Series {
    let byMethod = this.byRoute.get(route);
    if (byMethod === undefined) {
      byMethod = new Map();
      this.byRoute.set(route, byMethod);
    }
    let byStatus = byMethod.get(method);
    if (byStatus === undefined) {
      byStatus = new Map();
      byMethod.set(method, byStatus);
    }
    let series = byStatus.get(status);
    if (series === undefined) {
      series = {
        labels: { route, method, status: String(status) },
        buckets: new Float64Array(this.bounds.length + 1),
        count: 0,
        sum: 0,
      };
      byStatus.set(status, series);
      this.all.push(series);
    }
    return series;
  }

  private histogram(): Rendered {
    const values: Sample[] = [];
    for (const s of this.all) {
      let cumulative = 0;
      this.bounds.forEach((le, i) => {
        cumulative += s.buckets[i] as number;
        values.push({
          metricName: `${DURATION}_bucket`,
          labels: { le, ...s.labels },
          value: cumulative,
        });
      });
      values.push(
        { metricName: `${DURATION}_bucket`, labels: { le: '+Inf', ...s.labels }, value: s.count },
        { metricName: `${DURATION}_sum`, labels: s.labels, value: s.sum },
        { metricName: `${DURATION}_count`, labels: s.labels, value: s.count },
      );
    }
    return {
      name: DURATION,
      help: DURATION_HELP,
      type: 'histogram',
      values,
      aggregator: 'sum',
    };
  }

  private counter(): Rendered {
    return {
      name: TOTAL,
      help: TOTAL_HELP,
      type: 'counter',
      values: this.all.map((s) => ({ metricName: TOTAL, labels: s.labels, value: s.count })),
      aggregator: 'sum',
    };
  }

  private reset(): void {
    this.byRoute.clear();
    this.all.length = 0;
  }
}

/** A collector in prom-client's default registry (the one /metrics serves), replacing an older one. */
function replace(name: string, collector: Record<string, unknown>): void {
  if (register.getSingleMetric(name)) register.removeSingleMetric(name);
  register.registerMetric(collector as never);
}
