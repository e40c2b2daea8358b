import {
  Counter,
  Gauge,
  Histogram,
  register,
  type CounterConfiguration,
  type GaugeConfiguration,
  type HistogramConfiguration,
} from 'prom-client';

/**
 * Metrics live in prom-client's default registry (the one /metrics serves). Creating a metric
 * that already exists replaces it, so a second app instance in one process (tests) rebinds
 * collect callbacks to its own objects instead of failing on a duplicate name.
 */
export function unregister(name: string): void {
  if (register.getSingleMetric(name)) register.removeSingleMetric(name);
}

export function createCounter<L extends string>(config: CounterConfiguration<L>): Counter<L> {
  unregister(config.name);
  return new Counter(config);
}

export function createGauge<L extends string>(config: GaugeConfiguration<L>): Gauge<L> {
  unregister(config.name);
  return new Gauge(config);
}

export function createHistogram<L extends string>(config: HistogramConfiguration<L>): Histogram<L> {
  unregister(config.name);
  return new Histogram(config);
}
