import fc from 'fast-check';
import { Counter, Registry, register } from 'prom-client';
import { SlotCounter } from './slot-counter';

const NAME = 'test_slot_counter_total';
const lines = (text: string): string => text.split('\n').filter(Boolean).join('\n');

describe('SlotCounter', () => {
  afterAll(() => register.removeSingleMetric(NAME));

  it("renders exactly what prom-client's Counter renders for the same increments", async () => {
    const increment = fc.tuple(
      fc.constantFrom('anonymous', 'authenticated', 'premium'),
      fc.constantFrom('/api/v1/me', '/api/v1/debates', 'unmatched'),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(increment, { minLength: 1, maxLength: 100 }), async (incs) => {
        const ours = new SlotCounter(NAME, 'help text', ['tier', 'route']);
        const registry = new Registry();
        const theirs = new Counter({
          name: NAME,
          help: 'help text',
          labelNames: ['tier', 'route'],
          registers: [registry],
        });
        for (const [tier, route] of incs) {
          ours.at(tier, route).inc();
          theirs.inc({ tier, route });
        }
        expect(lines(await register.getSingleMetricAsString(NAME))).toBe(
          lines(await registry.metrics()),
        );
      }),
      { numRuns: 100 },
    );
  });
});
