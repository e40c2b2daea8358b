import { SeriesIndex, type LabelValue } from './series-index';
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
 * A Prometheus counter for hot paths (a flood of refused requests): the series of a
 * label set is found through a SeriesIndex, so an increment is one addition instead of prom-client's label
 * validation and hashing. Rendered in prom-client's default registry at scrape time.
 */
export class SlotCounter {
  private readonly index: SeriesIndex<CounterSeries>;

  constructor(
    readonly name: string,
    readonly help: string,
    labelNames: readonly string[] = [],
  ) {
    const index = new SeriesIndex(labelNames, (labels) => new CounterSeries(labels));
    this.index = index;
    registerCollector(
      { name, help, type: 'counter' },
      () => ({
        name,
        help,
        type: 'counter',
        values: index.all.map((s) => ({ metricName: name, labels: s.labels, value: s.value })),
        aggregator: 'sum',
      }),
      () => index.all.forEach((s) => (s.value = 0)),
    );
  }

  /** The series of these label values (in the order of `labelNames`), created on first use. */
  at(...values: LabelValue[]): CounterSeries {
    return this.index.at(values);
  }
}
