import fc from 'fast-check';
import {
  CircuitBreaker,
  CircuitOpenError,
  type CircuitBreakerOptions,
  type CircuitState,
  type Permit,
} from './index';

const RUNS = { numRuns: 300 };

type Step =
  | { readonly kind: 'acquire' }
  | {
      readonly kind: 'settle';
      readonly index: number;
      readonly outcome: 'success' | 'failure' | 'neutral';
    }
  | { readonly kind: 'advance'; readonly ms: number }
  | { readonly kind: 'reset' };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 4, arbitrary: fc.constant({ kind: 'acquire' as const }) },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('settle' as const),
      index: fc.nat(),
      outcome: fc.constantFrom('success' as const, 'failure' as const, 'neutral' as const),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('advance' as const),
      ms: fc.oneof(fc.integer({ min: 0, max: 100 }), fc.constantFrom(59_999, 60_000, 60_001)),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'reset' as const }) },
);

const optionsArb = fc.record({
  failureThreshold: fc.integer({ min: 1, max: 4 }),
  cooldownMs: fc.constantFrom(0, 50, 60_000),
  halfOpenMaxCalls: fc.integer({ min: 1, max: 4 }),
  halfOpenSuccessThreshold: fc.integer({ min: 1, max: 4 }),
});

/** The spec's state machine, written independently of the implementation. */
class Model {
  state: CircuitState = 'closed';
  failures = 0;
  successes = 0;
  inFlight = 0;
  openedAt: number | undefined;
  phase = 0;

  constructor(
    private readonly o: Required<Omit<CircuitBreakerOptions, 'clock' | 'onStateChange'>>,
  ) {}

  private go(to: CircuitState, now: number): void {
    this.state = to;
    this.phase++;
    this.failures = 0;
    this.successes = 0;
    this.inFlight = 0;
    this.openedAt = to === 'open' ? now : to === 'closed' ? undefined : this.openedAt;
  }

  tick(now: number): void {
    if (this.state !== 'open' || this.openedAt === undefined) return;
    if (now - this.openedAt >= this.o.cooldownMs) this.go('half_open', now);
  }

  acquire(now: number): { phase: number; admittedIn: CircuitState } | 'rejected' {
    this.tick(now);
    if (this.state === 'open') return 'rejected';
    if (this.state === 'half_open') {
      if (this.inFlight >= this.o.halfOpenMaxCalls) return 'rejected';
      this.inFlight++;
    }
    return { phase: this.phase, admittedIn: this.state };
  }

  settle(p: { phase: number; admittedIn: CircuitState }, outcome: string, now: number): void {
    if (p.phase !== this.phase) return;
    if (p.admittedIn === 'closed') {
      if (outcome === 'success') this.failures = 0;
      if (outcome === 'failure' && ++this.failures >= this.o.failureThreshold) this.go('open', now);
      return;
    }
    this.inFlight--;
    if (outcome === 'failure') this.go('open', now);
    if (outcome === 'success' && ++this.successes >= this.o.halfOpenSuccessThreshold)
      this.go('closed', now);
  }

  reset(now: number): void {
    this.go('closed', now);
  }
}

interface Outstanding {
  readonly permit: Permit;
  readonly model: { phase: number; admittedIn: CircuitState };
}

describe('CircuitBreaker properties', () => {
  it('keeps its invariants and matches the reference model for any step sequence', () => {
    fc.assert(
      fc.property(optionsArb, fc.array(stepArb, { maxLength: 120 }), (options, steps) => {
        const clock = { t: 0, now: () => clock.t };
        const changes: [CircuitState, CircuitState][] = [];
        const breaker = new CircuitBreaker('p', {
          ...options,
          clock,
          onStateChange: (from, to) => changes.push([from, to]),
        });
        const model = new Model(options);
        const outstanding: Outstanding[] = [];
        // The test's own tallies for the current phase, from the outcomes it delivered.
        let closedRun = 0;
        let halfOpenWins = 0;

        for (const step of steps) {
          const before = breaker.snapshot();
          const changesBefore = changes.length;
          let settledNow:
            { outcome: string; admittedIn: CircuitState; current: boolean } | undefined;

          if (step.kind === 'acquire') {
            const result = breaker.tryAcquire();
            const expected = model.acquire(clock.t);
            if (
              before.state === 'open' &&
              before.openedAt !== undefined &&
              clock.t - before.openedAt < options.cooldownMs
            ) {
              // Open and within the cooldown: always refused, with the time left.
              expect(result).toBeInstanceOf(CircuitOpenError);
              expect((result as CircuitOpenError).retryAfterMs).toBe(
                before.openedAt + options.cooldownMs - clock.t,
              );
            }
            expect(result instanceof CircuitOpenError).toBe(expected === 'rejected');
            if (!(result instanceof CircuitOpenError) && expected !== 'rejected') {
              outstanding.push({ permit: result, model: expected });
            }
          } else if (step.kind === 'settle' && outstanding.length > 0) {
            const [entry] = outstanding.splice(step.index % outstanding.length, 1);
            if (entry === undefined) throw new Error('unreachable');
            const current = entry.model.phase === model.phase;
            settledNow = { outcome: step.outcome, admittedIn: entry.model.admittedIn, current };
            if (current && entry.model.admittedIn === 'closed') {
              if (step.outcome === 'success') closedRun = 0;
              if (step.outcome === 'failure') closedRun++;
            }
            if (current && entry.model.admittedIn === 'half_open' && step.outcome === 'success')
              halfOpenWins++;
            const settle = { success: 'success', failure: 'failure', neutral: 'release' } as const;
            entry.permit[settle[step.outcome]]();
            model.settle(entry.model, step.outcome, clock.t);
            // Settling twice is ignored.
            entry.permit.failure();
          } else if (step.kind === 'advance') {
            clock.t += step.ms;
          } else if (step.kind === 'reset') {
            breaker.reset();
            model.reset(clock.t);
          }

          model.tick(clock.t);
          const snap = breaker.snapshot();
          const fresh = changes.slice(changesBefore);
          // With cooldownMs 0 a breaker can open and go half-open within one step.
          let openedAt = before.openedAt;
          for (const [from, to] of fresh) {
            if (to === 'open' && from === 'closed') {
              expect(settledNow).toMatchObject({
                outcome: 'failure',
                admittedIn: 'closed',
                current: true,
              });
              expect(closedRun).toBe(options.failureThreshold);
            }
            if (to === 'open' && from === 'half_open') {
              expect(settledNow).toMatchObject({
                outcome: 'failure',
                admittedIn: 'half_open',
                current: true,
              });
            }
            if (from === 'half_open' && to === 'closed' && step.kind !== 'reset') {
              expect(settledNow).toMatchObject({
                outcome: 'success',
                admittedIn: 'half_open',
                current: true,
              });
              expect(halfOpenWins).toBe(options.halfOpenSuccessThreshold);
            }
            if (to === 'open') openedAt = clock.t;
            if (from === 'open' && to === 'half_open') {
              expect(openedAt).toBeDefined();
              expect(clock.t - (openedAt ?? Infinity)).toBeGreaterThanOrEqual(options.cooldownMs);
            }
            // A new phase starts every tally afresh.
            closedRun = 0;
            halfOpenWins = 0;
          }
          if (step.kind === 'reset') {
            closedRun = 0;
            halfOpenWins = 0;
          }

          // Snapshot consistent with state and with the model.
          expect(breaker.state).toBe(snap.state);
          expect(snap.halfOpenInFlight).toBeLessThanOrEqual(options.halfOpenMaxCalls);
          expect(snap).toMatchObject({
            state: model.state,
            consecutiveFailures: model.failures,
            halfOpenInFlight: model.inFlight,
            halfOpenSuccesses: model.successes,
            openedAt: model.openedAt,
          });
          if (snap.state === 'closed') {
            expect(snap).toMatchObject({
              openedAt: undefined,
              halfOpenInFlight: 0,
              halfOpenSuccesses: 0,
            });
            expect(snap.consecutiveFailures).toBeLessThan(options.failureThreshold);
          } else {
            expect(snap.consecutiveFailures).toBe(0);
            expect(snap.openedAt).toBeDefined();
          }
          if (snap.state === 'open') {
            expect(snap).toMatchObject({ halfOpenInFlight: 0, halfOpenSuccesses: 0 });
            expect(clock.t - (snap.openedAt ?? 0)).toBeLessThan(options.cooldownMs);
          }
          if (snap.state === 'half_open') {
            expect(snap.halfOpenSuccesses).toBeLessThan(options.halfOpenSuccessThreshold);
          }
        }
      }),
      RUNS,
    );
  });
});
