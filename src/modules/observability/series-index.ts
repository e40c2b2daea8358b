export type LabelValue = string | number;

/**
 * The series of a slot metric by label values, in the order of `labelNames`: nested maps walked
 * one value at a time, so finding a series builds and hashes no label object (V8 caches a string's
 * hash). A series is created, with its labels rendered as strings, the first time its values come.
 */
export class SeriesIndex<S> {
  readonly all: S[] = [];
  private readonly root = new Map<LabelValue, unknown>();

  constructor(
    private readonly labelNames: readonly string[],
    private readonly create: (labels: Readonly<Record<string, string>>) => S,
  ) {}

  at(values: readonly LabelValue[]): S {
    if (values.length !== this.labelNames.length) {
      throw new RangeError(`expected ${this.labelNames.length} label values, got ${values.length}`);
    }
    if (values.length === 0) return this.all[0] ?? this.add({});
    let map = this.root;
    const last = values.length - 1;
    for (let i = 0; i < last; i++) {
      const value = values[i] as LabelValue;
      let next = map.get(value) as Map<LabelValue, unknown> | undefined;
      if (next === undefined) {
        next = new Map();
        map.set(value, next);
      }
      map = next;
    }
    const value = values[last] as LabelValue;
    let series = map.get(value) as S | undefined;
    if (series === undefined) {
      series = this.add(
        Object.fromEntries(this.labelNames.map((name, i) => [name, String(values[i])])),
      );
      map.set(value, series);
    }
    return series;
  }

  private add(labels: Readonly<Record<string, string>>): S {
    const series = this.create(labels);
    this.all.push(series);
    return series;
  }
}
