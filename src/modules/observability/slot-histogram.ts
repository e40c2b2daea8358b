import { register } from 'prom-client';
import { unregister } from './metric-registry';
import { SeriesIndex, type LabelValue } from './series-index';

/** One sample line of the exposition, as prom-client's registry reads it from `get()`. */
export interface Sample {
  readonly metricName: string;
  readonly labels: Readonly<Record<string, string | number>>;
  readonly value: number;
}

/** What prom-client's registry reads from a metric at scrape time. */
export interface Rendered {
  readonly name: string;
  readonly help: string;
  readonly type: 'histogram' | 'counter';
  readonly values: Sample[];
  readonly aggregator: 'sum';
}

/** One label set of a histogram: observe into it as often as needed, nothing is hashed. */
export class HistogramSeries {
  /** Per bucket (not cumulative); the last slot counts observations above the highest bound. */
  readonly buckets: Float64Array;
  count = 0;
  sum = 0;

  constructor(
    readonly labels: Readonly<Record<string, string>>,
    private readonly bounds: readonly number[],
  ) {
    this.buckets = new Float64Array(bounds.length + 1);
  }

  observe(value: number): void {
    const { bounds, buckets } = this;
    let i = 0;
    while (i < bounds.length && value > (bounds[i] as number)) i++;
    buckets[i] = (buckets[i] as number) + 1;
    this.count += 1;
    this.sum += value;
  }
}

/**
 * A Prometheus histogram for hot paths. prom-client's own (children included) re-validates and
 * re-hashes its labels on every observation, about 1 µs each; here the series of a label set is
 * found through a SeriesIndex and an observation is a bucket scan and three additions. It
 * is registered in prom-client's default registry as a collector rendered at scrape time, with the
 * exposition of prom-client's Histogram (property-tested against it).
 */
export class SlotHistogram {
  private readonly index: SeriesIndex<HistogramSeries>;

  constructor(
    readonly name: string,
    readonly help: string,
    private readonly bounds: readonly number[],
    labelNames: readonly string[] = [],
  ) {
    this.index = new SeriesIndex(labelNames, (labels) => new HistogramSeries(labels, bounds));
    registerCollector(
      { name, help, type: 'histogram' },
      () => this.render(),
      () => this.reset(),
    );
  }

  /** The series of these label values (in the order of `labelNames`), created on first use. */
  at(...values: LabelValue[]): HistogramSeries {
    return this.index.at(values);
  }

  get everySeries(): readonly HistogramSeries[] {
    return this.index.all;
  }

  private render(): Rendered {
    const { name } = this;
    const values: Sample[] = [];
    for (const s of this.index.all) {
      let cumulative = 0;
      this.bounds.forEach((le, i) => {
        cumulative += s.buckets[i] as number;
        values.push({
          metricName: `${name}_bucket`,
          labels: { le, ...s.labels },
          value: cumulative,
        });
      });
      values.push(
        { metricName: `${name}_bucket`, labels: { le: '+Inf', ...s.labels }, value: s.count },
        { metricName: `${name}_sum`, labels: s.labels, value: s.sum },
        { metricName: `${name}_count`, labels: s.labels, value: s.count },
      );
    }
    return { name, help: this.help, type: 'histogram', values, aggregator: 'sum' };
  }

  /** Zeroes every series (callers keep their handles). */
  private reset(): void {
    for (const s of this.index.all) {
      s.buckets.fill(0);
      s.count = 0;
      s.sum = 0;
    }
  }
}

/**
 * Registers a metric rendered by `render` in prom-client's default registry (the one /metrics
 * serves), replacing one of the same name (a second app instance in one process: tests).
 */
export function registerCollector(
  meta: Pick<Rendered, 'name' | 'help' | 'type'>,
  render: () => Rendered,
  reset: () => void,
): void {
  unregister(meta.name);
  const collector = { ...meta, aggregator: 'sum', get: () => Promise.resolve(render()), reset };
  register.registerMetric(collector as never);
}
