import fc from 'fast-check';
import { Histogram, Registry, register } from 'prom-client';
import { SlotHistogram } from './slot-histogram';

const NAME = 'test_slot_histogram_seconds';
const BUCKETS = [0.001, 0.01, 0.1, 1];
const lines = (text: string): string => text.split('\n').filter(Boolean).join('\n');

describe('SlotHistogram', () => {
  afterAll(() => register.removeSingleMetric(NAME));

  it("renders an unlabelled histogram exactly as prom-client's Histogram does", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.oneof(fc.constantFrom(...BUCKETS, 0, 5), fc.double({ min: 0, max: 5, noNaN: true })),
          {
            maxLength: 100,
          },
        ),
        async (values) => {
          const ours = new SlotHistogram(NAME, 'help text', BUCKETS).at();
          const registry = new Registry();
          const theirs = new Histogram({
            name: NAME,
            help: 'help text',
            buckets: BUCKETS,
            registers: [registry],
          });
          for (const v of values) {
            ours.observe(v);
            theirs.observe(v);
          }
          expect(lines(await register.getSingleMetricAsString(NAME))).toBe(
            lines(await registry.metrics()),
          );
        },
      ),
      { numRuns: 100 },
    );
  });

  it('zeroes its series on a registry reset, and they keep counting', async () => {
    const series = new SlotHistogram(NAME, 'help text', BUCKETS).at();
    series.observe(0.5);
    register.resetMetrics();
    series.observe(0.05);
    expect(await register.getSingleMetricAsString(NAME)).toMatch(
      /^test_slot_histogram_seconds_count 1$/m,
    );
  });
});
