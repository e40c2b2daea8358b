import fc from 'fast-check';
import { backoffDelayMs, retry, type RetryPolicy } from './index';

const RUNS = { numRuns: 300 };

const policyArb: fc.Arbitrary<RetryPolicy> = fc.record({
  maxRetries: fc.integer({ min: 0, max: 6 }),
  baseDelayMs: fc.integer({ min: 0, max: 5_000 }),
  maxDelayMs: fc.integer({ min: 0, max: 120_000 }),
  jitter: fc.constant(0.25),
});
// [0, 1) as Math.random.
const randomArb = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });

const ports = (random: () => number) => ({
  sleep: async () => {},
  random,
  clock: { now: () => 0 },
});

describe('retry properties', () => {
  it('delays stay within ±25 % of the capped exponential and never exceed maxDelayMs', () => {
    fc.assert(
      fc.property(policyArb, fc.integer({ min: 1, max: 40 }), randomArb, (policy, n, random) => {
        const exponential = policy.baseDelayMs * 2 ** (n - 1);
        const capped = Math.min(policy.maxDelayMs, exponential);
        const delay = backoffDelayMs(policy, n, random);
        expect(delay).toBeGreaterThanOrEqual(capped * 0.75 - 1e-9);
        expect(delay).toBeLessThanOrEqual(capped * 1.25 + 1e-9);
        expect(delay).toBeLessThanOrEqual(policy.maxDelayMs);
      }),
      RUNS,
    );
  });

  it('makes at most maxRetries + 1 attempts, sleeping within bounds between them', async () => {
    await fc.assert(
      fc.asyncProperty(
        policyArb,
        fc.array(fc.oneof(fc.constantFrom(429, 500, 502, 503, 529), fc.constant(undefined)), {
          maxLength: 10,
        }),
        fc.infiniteStream(randomArb),
        async (policy, failures, randoms) => {
          const calls: number[] = [];
          const sleeps: number[] = [];
          const fn = async (attempt: number) => {
            calls.push(attempt);
            await Promise.resolve();
            if (attempt > failures.length) return 'ok';
            throw Object.assign(new Error('x'), { status: failures[attempt - 1] });
          };
          const random = () => randoms.next().value as number;
          const p = {
            ...ports(random),
            sleep: (ms: number) => Promise.resolve(void sleeps.push(ms)),
          };
          const result = await retry(fn, policy, p).then(
            () => 'ok',
            () => 'failed',
          );
          expect(calls.length).toBeLessThanOrEqual(policy.maxRetries + 1);
          expect(calls).toEqual(calls.map((_, i) => i + 1));
          expect(result).toBe(failures.length <= policy.maxRetries ? 'ok' : 'failed');
          expect(sleeps).toHaveLength(calls.length - 1);
          for (const ms of sleeps) expect(ms).toBeLessThanOrEqual(policy.maxDelayMs);
        },
      ),
      RUNS,
    );
  });

  it('attempts a non-retryable status exactly once', async () => {
    await fc.assert(
      fc.asyncProperty(
        policyArb,
        fc.constantFrom(400, 401, 403, 404, 422),
        fc.constantFrom('status', 'statusCode'),
        async (policy, status, key) => {
          let calls = 0;
          const fn = async () => {
            calls++;
            await Promise.resolve();
            throw Object.assign(new Error('x'), { [key]: status, headers: { 'retry-after': '1' } });
          };
          await expect(retry(fn, policy, ports(Math.random))).rejects.toThrow('x');
          expect(calls).toBe(1);
        },
      ),
      RUNS,
    );
  });
});
