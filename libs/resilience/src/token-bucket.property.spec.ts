import fc from 'fast-check';
import {
  takeFromAll,
  takeTokens,
  tokensAt,
  TokenBucketMap,
  type TokenBucketConfig,
  type TokenBucketState,
  type TokenDecision,
} from './index';

// Room for float error in the test's own sums, far below one nano-token per step.
const SLACK = 1e-6;
const RUNS = { numRuns: 300 };

const capacityArb = fc.oneof(
  fc.integer({ min: 1, max: 1_000 }),
  fc.double({ min: 0.5, max: 1_000, noNaN: true, noDefaultInfinity: true }),
);
const positiveRateArb = fc.oneof(
  fc.integer({ min: 1, max: 100 }),
  fc.double({ min: 0.01, max: 1_000, noNaN: true, noDefaultInfinity: true }),
);
const rateArb = fc.oneof(fc.constant(0), positiveRateArb);
const configArb = fc.record({ capacity: capacityArb, refillPerSecond: rateArb });
const costArb = fc.oneof(
  fc.constant(1),
  fc.integer({ min: 1, max: 5 }),
  fc.double({ min: 0.01, max: 5, noNaN: true, noDefaultInfinity: true }),
);
const startArb = fc.integer({ min: 0, max: 2e12 });
const stepsArb = fc.array(fc.record({ dt: fc.integer({ min: 0, max: 3_000 }), cost: costArb }), {
  minLength: 1,
  maxLength: 60,
});

interface Step {
  readonly nowMs: number;
  readonly cost: number;
  readonly before: number;
  readonly decision: TokenDecision;
}

/** Runs the steps against one bucket, starting fresh at `start`. */
function run(
  config: TokenBucketConfig,
  start: number,
  steps: readonly { dt: number; cost: number }[],
): Step[] {
  let state: TokenBucketState | undefined;
  let nowMs = start;
  return steps.map(({ dt, cost }) => {
    nowMs += dt;
    const before = tokensAt(state, config, nowMs);
    const decision = takeTokens(state, config, nowMs, cost);
    state = decision.state;
    return { nowMs, cost, before, decision };
  });
}

describe('token bucket properties', () => {
  it('keeps tokens within [0, capacity]', () => {
    fc.assert(
      fc.property(configArb, startArb, stepsArb, (config, start, steps) => {
        for (const { before, decision, nowMs } of run(config, start, steps)) {
          for (const tokens of [
            before,
            decision.state.tokens,
            tokensAt(decision.state, config, nowMs),
          ]) {
            expect(tokens).toBeGreaterThanOrEqual(0);
            expect(tokens).toBeLessThanOrEqual(config.capacity);
          }
        }
      }),
      RUNS,
    );
  });

  it('never lets through more than capacity plus the refill over any window', () => {
    fc.assert(
      fc.property(configArb, startArb, stepsArb, (config, start, steps) => {
        const trace = run(config, start, steps);
        trace.forEach((first, i) => {
          let taken = 0;
          for (const step of trace.slice(i)) {
            if (step.decision.allowed) taken += step.cost;
            const elapsedSeconds = (step.nowMs - first.nowMs) / 1000;
            expect(taken).toBeLessThanOrEqual(
              config.capacity + config.refillPerSecond * elapsedSeconds + SLACK,
            );
          }
        });
      }),
      RUNS,
    );
  });

  it('never rejects requests that arrive no faster than the refill', () => {
    const arb = fc
      .record({ capacity: capacityArb, refillPerSecond: positiveRateArb, cost: costArb })
      .filter(({ capacity, cost }) => cost <= capacity);
    fc.assert(
      fc.property(arb, startArb, fc.array(fc.nat(1_000), { maxLength: 60 }), (c, start, extra) => {
        const config = { capacity: c.capacity, refillPerSecond: c.refillPerSecond };
        const gap = Math.ceil((c.cost * 1000) / c.refillPerSecond);
        const steps = extra.map((ms) => ({ dt: gap + ms, cost: c.cost }));
        for (const { decision } of run(config, start, steps)) expect(decision.allowed).toBe(true);
      }),
      RUNS,
    );
  });

  it('charges exactly the cost when allowed and only refills when rejected', () => {
    fc.assert(
      fc.property(configArb, startArb, stepsArb, (config, start, steps) => {
        for (const { before, cost, decision } of run(config, start, steps)) {
          if (decision.allowed) {
            expect(before).toBeGreaterThanOrEqual(cost - SLACK);
            expect(decision.state.tokens).toBeCloseTo(before - cost, 8);
            expect(decision.remaining).toBe(Math.floor(decision.state.tokens));
          } else {
            expect(before).toBeLessThan(cost);
            expect(decision.state.tokens).toBe(before);
            expect(decision.remaining).toBe(0);
          }
        }
      }),
      RUNS,
    );
  });

  it('gives a retryAfterMs and resetMs that are exactly long enough', () => {
    fc.assert(
      fc.property(configArb, startArb, stepsArb, (config, start, steps) => {
        for (const { nowMs, cost, decision } of run(config, start, steps)) {
          const { state, retryAfterMs, resetMs } = decision;
          if (Number.isFinite(resetMs)) {
            expect(tokensAt(state, config, nowMs + resetMs)).toBe(config.capacity);
            if (resetMs > 0) {
              expect(tokensAt(state, config, nowMs + resetMs - 1)).toBeLessThan(config.capacity);
            }
          }
          if (decision.allowed || !Number.isFinite(retryAfterMs)) continue;
          expect(retryAfterMs).toBeGreaterThan(0);
          expect(takeTokens(state, config, nowMs + retryAfterMs, cost).allowed).toBe(true);
          expect(takeTokens(state, config, nowMs + retryAfterMs - 1, cost).allowed).toBe(false);
        }
      }),
      RUNS,
    );
  });

  it('takeFromAll charges every bucket or none', () => {
    const bucketArb = configArb.chain((config) =>
      fc.record({
        config: fc.constant(config),
        state: fc.option(
          fc.record({
            tokens: fc.double({ min: 0, max: config.capacity, noNaN: true }),
            updatedAtMs: fc.integer({ min: 0, max: 10_000 }),
          }),
          { nil: undefined },
        ),
      }),
    );
    fc.assert(
      fc.property(
        fc.array(bucketArb, { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 0, max: 20_000 }),
        costArb,
        (buckets, nowMs, cost) => {
          const states = buckets.map((b) => b.state);
          const configs = buckets.map((b) => b.config);
          const before = buckets.map((b) => tokensAt(b.state, b.config, nowMs));
          const { allowed, decisions } = takeFromAll(states, configs, nowMs, cost);
          expect(allowed).toBe(before.every((tokens) => tokens >= cost));
          decisions.forEach((decision, i) => {
            expect(decision.allowed).toBe(allowed);
            const expected = (before[i] ?? NaN) - (allowed ? cost : 0);
            expect(decision.state.tokens).toBeCloseTo(expected, 8);
          });
        },
      ),
      RUNS,
    );
  });

  it('TokenBucketMap decides exactly like buckets that are never evicted', () => {
    const config = { capacity: 5, refillPerSecond: 2 };
    const opsArb = fc.array(
      fc.record({
        dt: fc.integer({ min: 0, max: 4_000 }),
        keys: fc.uniqueArray(fc.constantFrom('a', 'b', 'c', 'd'), { minLength: 1, maxLength: 2 }),
        cost: fc.integer({ min: 1, max: 3 }),
      }),
      { maxLength: 80 },
    );
    fc.assert(
      fc.property(opsArb, (ops) => {
        const map = new TokenBucketMap({ maxIdleMs: 500, sweepEvery: 1 });
        const kept = new Map<string, TokenBucketState>();
        let nowMs = 0;
        for (const { dt, keys, cost } of ops) {
          nowMs += dt;
          const configs = keys.map(() => config);
          const actual = map.take(keys, configs, nowMs, cost);
          const expected = takeFromAll(
            keys.map((key) => kept.get(key)),
            configs,
            nowMs,
            cost,
          );
          expect(actual).toEqual(expected);
          if (expected.allowed) {
            keys.forEach((key, i) => {
              const state = expected.decisions[i]?.state;
              if (state) kept.set(key, state);
            });
          }
        }
      }),
      RUNS,
    );
  });
});
