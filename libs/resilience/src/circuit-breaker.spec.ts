import { CircuitBreaker, CircuitOpenError, type CircuitState, type Permit } from './index';

function fakeClock(start = 0) {
  const clock = { t: start, now: () => clock.t };
  return clock;
}

function setup(options: Partial<ConstructorParameters<typeof CircuitBreaker>[1]> = {}) {
  const clock = fakeClock(1_000);
  const changes: [CircuitState, CircuitState][] = [];
  const breaker = new CircuitBreaker('llm', {
    clock,
    onStateChange: (from, to) => changes.push([from, to]),
    ...options,
  });
  return { clock, breaker, changes };
}

function acquire(breaker: CircuitBreaker): Permit {
  const permit = breaker.tryAcquire();
  if (permit instanceof CircuitOpenError) throw new Error('expected a permit');
  return permit;
}

function fail(breaker: CircuitBreaker, times: number): void {
  for (let i = 0; i < times; i++) acquire(breaker).failure();
}

/** Opens the breaker at clock time `clock.t`, then waits out the cooldown. */
function toHalfOpen(breaker: CircuitBreaker, clock: { t: number }): void {
  fail(breaker, 3);
  clock.t += 60_000;
  expect(breaker.state).toBe('half_open');
}

const abortError = () => Object.assign(new Error('aborted'), { name: 'AbortError' });

describe('CircuitBreaker', () => {
  it('starts closed with an empty snapshot', () => {
    const { breaker } = setup();
    expect(breaker.snapshot()).toEqual({
      state: 'closed',
      consecutiveFailures: 0,
      openedAt: undefined,
      lastChangeAt: 1_000,
      halfOpenInFlight: 0,
      halfOpenSuccesses: 0,
    });
  });

  it('opens after 3 consecutive failures, not before', () => {
    const { breaker, changes } = setup();
    fail(breaker, 2);
    expect(breaker.snapshot()).toMatchObject({ state: 'closed', consecutiveFailures: 2 });
    fail(breaker, 1);
    expect(breaker.state).toBe('open');
    expect(breaker.snapshot()).toMatchObject({ openedAt: 1_000, consecutiveFailures: 0 });
    expect(changes).toEqual([['closed', 'open']]);
  });

  it('a success in closed resets the consecutive-failure count', () => {
    const { breaker } = setup();
    fail(breaker, 2);
    acquire(breaker).success();
    fail(breaker, 2);
    expect(breaker.snapshot()).toMatchObject({ state: 'closed', consecutiveFailures: 2 });
  });

  it('neutral releases in closed neither count nor reset', () => {
    const { breaker } = setup();
    fail(breaker, 2);
    acquire(breaker).release();
    expect(breaker.snapshot().consecutiveFailures).toBe(2);
    fail(breaker, 1);
    expect(breaker.state).toBe('open');
  });

  it('rejects at once while open with the time left in the cooldown', () => {
    const { breaker, clock } = setup();
    fail(breaker, 3);
    clock.t += 45_000;
    const refused = breaker.tryAcquire();
    expect(refused).toBeInstanceOf(CircuitOpenError);
    expect(refused).toMatchObject({ breakerName: 'llm', retryAfterMs: 15_000 });
    clock.t += 14_999;
    expect(breaker.tryAcquire()).toMatchObject({ retryAfterMs: 1 });
  });

  it('moves to half-open lazily once the cooldown has passed', () => {
    const { breaker, clock, changes } = setup();
    fail(breaker, 3);
    clock.t += 60_000;
    expect(changes).toEqual([['closed', 'open']]);
    expect(breaker.state).toBe('half_open');
    expect(changes).toEqual([
      ['closed', 'open'],
      ['open', 'half_open'],
    ]);
    expect(breaker.snapshot()).toMatchObject({ lastChangeAt: 61_000, openedAt: 1_000 });
  });

  it('admits at most 3 trial calls at once in half-open and rejects the 4th at once', () => {
    const { breaker, clock } = setup();
    toHalfOpen(breaker, clock);
    const trials = [acquire(breaker), acquire(breaker), acquire(breaker)];
    expect(breaker.snapshot().halfOpenInFlight).toBe(3);
    expect(breaker.tryAcquire()).toMatchObject({ name: 'CircuitOpenError', retryAfterMs: 0 });
    trials[0]?.release();
    expect(breaker.snapshot().halfOpenInFlight).toBe(2);
    expect(breaker.tryAcquire()).not.toBeInstanceOf(CircuitOpenError);
  });

  it('closes after 2 half-open successes and resets the counts', () => {
    const { breaker, clock, changes } = setup();
    toHalfOpen(breaker, clock);
    const [a, b, c] = [acquire(breaker), acquire(breaker), acquire(breaker)];
    a.success();
    expect(breaker.snapshot()).toMatchObject({ state: 'half_open', halfOpenSuccesses: 1 });
    b.success();
    expect(breaker.snapshot()).toEqual({
      state: 'closed',
      consecutiveFailures: 0,
      openedAt: undefined,
      lastChangeAt: 61_000,
      halfOpenInFlight: 0,
      halfOpenSuccesses: 0,
    });
    // The third trial belongs to the finished half-open phase: its failure does not count.
    c.failure();
    expect(breaker.snapshot()).toMatchObject({ state: 'closed', consecutiveFailures: 0 });
    expect(changes.at(-1)).toEqual(['half_open', 'closed']);
  });

  it('reopens on any half-open failure and restarts the cooldown', () => {
    const { breaker, clock, changes } = setup();
    toHalfOpen(breaker, clock);
    const [a, b] = [acquire(breaker), acquire(breaker)];
    a.success();
    clock.t += 500;
    b.failure();
    expect(breaker.snapshot()).toMatchObject({ state: 'open', openedAt: 61_500 });
    expect(breaker.tryAcquire()).toMatchObject({ retryAfterMs: 60_000 });
    expect(changes.at(-1)).toEqual(['half_open', 'open']);
  });

  it('settles each permit once', () => {
    const { breaker } = setup();
    const permit = acquire(breaker);
    permit.failure();
    permit.failure();
    permit.success();
    expect(breaker.snapshot().consecutiveFailures).toBe(1);
  });

  it('ignores closed-phase permits that settle after the breaker opened', () => {
    const { breaker, clock } = setup();
    const late = acquire(breaker);
    fail(breaker, 3);
    clock.t += 60_000;
    expect(breaker.state).toBe('half_open');
    late.success();
    expect(breaker.snapshot()).toMatchObject({ halfOpenSuccesses: 0, halfOpenInFlight: 0 });
  });

  it('reset() closes and clears everything', () => {
    const { breaker, changes } = setup();
    fail(breaker, 3);
    breaker.reset();
    expect(breaker.snapshot()).toMatchObject({ state: 'closed', openedAt: undefined });
    expect(changes.at(-1)).toEqual(['open', 'closed']);
  });

  it('a clock stepping back cannot stretch the cooldown past cooldownMs', () => {
    const { breaker, clock } = setup();
    fail(breaker, 3);
    clock.t = 0;
    expect(breaker.tryAcquire()).toMatchObject({ retryAfterMs: 60_000 });
    clock.t = 60_000;
    expect(breaker.state).toBe('half_open');
  });

  it('honours custom thresholds', () => {
    const { breaker, clock } = setup({
      failureThreshold: 1,
      cooldownMs: 10,
      halfOpenMaxCalls: 1,
      halfOpenSuccessThreshold: 1,
    });
    fail(breaker, 1);
    expect(breaker.state).toBe('open');
    clock.t += 10;
    const trial = acquire(breaker);
    expect(breaker.tryAcquire()).toBeInstanceOf(CircuitOpenError);
    trial.success();
    expect(breaker.state).toBe('closed');
  });

  it.each([
    { failureThreshold: 0 },
    { halfOpenMaxCalls: 1.5 },
    { halfOpenSuccessThreshold: -1 },
    { cooldownMs: -1 },
    { cooldownMs: Number.NaN },
  ])('rejects invalid options %p', (options) => {
    expect(() => setup(options)).toThrow(RangeError);
  });

  describe('execute', () => {
    it('passes the result through and counts a success', async () => {
      const { breaker } = setup();
      fail(breaker, 2);
      await expect(breaker.execute(() => Promise.resolve(42))).resolves.toBe(42);
      expect(breaker.snapshot().consecutiveFailures).toBe(0);
    });

    it('rethrows and counts a failure', async () => {
      const { breaker } = setup();
      const boom = new Error('boom');
      for (let i = 0; i < 3; i++)
        await expect(breaker.execute(() => Promise.reject(boom))).rejects.toBe(boom);
      expect(breaker.state).toBe('open');
    });

    it('throws CircuitOpenError without calling fn when open', async () => {
      const { breaker } = setup();
      fail(breaker, 3);
      const fn = jest.fn(() => Promise.resolve(1));
      await expect(breaker.execute(fn)).rejects.toBeInstanceOf(CircuitOpenError);
      expect(fn).not.toHaveBeenCalled();
    });

    it('treats an AbortError as neutral and frees the half-open slot', async () => {
      const { breaker, clock } = setup({ halfOpenMaxCalls: 1 });
      toHalfOpen(breaker, clock);
      await expect(breaker.execute(() => Promise.reject(abortError()))).rejects.toThrow('aborted');
      expect(breaker.snapshot()).toMatchObject({
        state: 'half_open',
        halfOpenInFlight: 0,
        halfOpenSuccesses: 0,
      });
    });

    it('treats any error after the signal fired as neutral, and passes the signal to fn', async () => {
      const { breaker } = setup({ failureThreshold: 1 });
      const controller = new AbortController();
      const seen: (AbortSignal | undefined)[] = [];
      const call = breaker.execute(
        async (signal) => {
          seen.push(signal);
          await Promise.resolve();
          controller.abort();
          throw new Error('socket closed');
        },
        { signal: controller.signal },
      );
      await expect(call).rejects.toThrow('socket closed');
      expect(seen).toEqual([controller.signal]);
      expect(breaker.state).toBe('closed');
    });

    it('lets isFailure mark an error as neutral', async () => {
      const { breaker } = setup({ failureThreshold: 1 });
      const notFound = Object.assign(new Error('404'), { status: 404 });
      const isFailure = (error: unknown) => (error as { status?: number }).status !== 404;
      await expect(breaker.execute(() => Promise.reject(notFound), { isFailure })).rejects.toBe(
        notFound,
      );
      expect(breaker.state).toBe('closed');
      await expect(
        breaker.execute(() => Promise.reject(new Error('500')), { isFailure }),
      ).rejects.toThrow();
      expect(breaker.state).toBe('open');
    });

    it('counts a synchronous throw from fn as a failure', async () => {
      const { breaker } = setup({ failureThreshold: 1 });
      const fn = (): Promise<never> => {
        throw new Error('sync');
      };
      await expect(breaker.execute(fn)).rejects.toThrow('sync');
      expect(breaker.state).toBe('open');
    });
  });
});
