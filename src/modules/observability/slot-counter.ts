import { registerCollector } from './slot-histogram';

/** One label set of a counter: increment it as often as needed, nothing is hashed. */
export class CounterSeries {
  value = 0;

  constructor(readonly labels: Readonly<Record<string, string>>) {}

  inc(by = 1): void {
    this.value += by;
  }
}

/**
 * A Prometheus counter for hot paths (a flood of refused requests): callers keep the
 * `CounterSeries` of a label set, so an increment is one addition instead of prom-client's label
 * validation and hashing. Rendered in prom-client's default registry at scrape time.
 */
export class SlotCounter {
  private readonly all: CounterSeries[] = [];

  constructor(
    readonly name: string,
    readonly help: string,
  ) {
    registerCollector(
      { name, help, type: 'counter' },
      () => ({
        name,
        help,
        type: 'counter',
        values: this.all.map((s) => ({ metricName: name, labels: s.labels, value: s.value })),
        aggregator: 'sum',
      }),
      () => this.all.forEach((s) => (s.value = 0)),
    );
  }

  /** A new series for `labels`; callers keep it (one per label set). */
  series(labels: Readonly<Record<string, string>> = {}): CounterSeries {
    const series = new CounterSeries(labels);
    this.all.push(series);
    return series;
  }
}
