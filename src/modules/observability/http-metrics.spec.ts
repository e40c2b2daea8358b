import fc from 'fast-check';
import { Counter, Histogram, Registry, register } from 'prom-client';
import { HttpMetrics, REQUEST_BUCKETS } from './http-metrics';

const NAMES = ['aragora_request_duration_seconds', 'aragora_request_total'];

/** The same observations through prom-client's own Histogram and Counter, in a registry of their own. */
async function reference(
  observations: readonly [string, string, number, number][],
): Promise<string> {
  const registry = new Registry();
  const labelNames = ['route', 'method', 'status'] as const;
  const histogram = new Histogram({
    name: NAMES[0] as string,
    help: 'HTTP request latency by route template, method and status',
    labelNames,
    buckets: REQUEST_BUCKETS,
    registers: [registry],
  });
  const counter = new Counter({
    name: NAMES[1] as string,
    help: 'HTTP requests by route template, method and status',
    labelNames,
    registers: [registry],
  });
  for (const [route, method, status, seconds] of observations) {
    histogram.labels(route, method, String(status)).observe(seconds);
    counter.labels(route, method, String(status)).inc();
  }
  return lines(await registry.metrics());
}

/** The exposition's lines, blank ones dropped (they separate metrics and mean nothing). */
const lines = (text: string): string => text.split('\n').filter(Boolean).join('\n');

async function ours(): Promise<string> {
  const parts = await Promise.all(NAMES.map((name) => register.getSingleMetricAsString(name)));
  return lines(parts.join('\n'));
}

describe('HttpMetrics', () => {
  afterAll(() => NAMES.forEach((name) => register.removeSingleMetric(name)));

  it("renders exactly what prom-client's Histogram and Counter render for the same requests", async () => {
    const observation = fc.tuple(
      fc.constantFrom('/api/v1/health', '/api/v1/debates/:id', 'unmatched'),
      fc.constantFrom('GET', 'POST'),
      fc.constantFrom(200, 201, 404, 429, 500),
      fc.oneof(
        fc.constantFrom(...REQUEST_BUCKETS, 0, 20),
        fc.double({ min: 0, max: 30, noNaN: true }),
      ),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(observation, { maxLength: 200 }), async (observations) => {
        const metrics = new HttpMetrics();
        for (const [route, method, status, seconds] of observations) {
          metrics.record(route, method, status, seconds);
        }
        expect(await ours()).toBe(await reference(observations));
      }),
      { numRuns: 150 },
    );
  });

  it('counts a value on a bucket bound in that bucket (le is inclusive)', async () => {
    const metrics = new HttpMetrics();
    metrics.record('/x', 'GET', 200, 0.005);
    const text = await ours();
    expect(text).toContain(
      'aragora_request_duration_seconds_bucket{le="0.0025",route="/x",method="GET",status="200"} 0',
    );
    expect(text).toContain(
      'aragora_request_duration_seconds_bucket{le="0.005",route="/x",method="GET",status="200"} 1',
    );
  });
});
