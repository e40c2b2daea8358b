import { takeFromAll, takeTokens, tokensAt, type TokenBucketState } from './index';

const perMinute600 = { capacity: 600, refillPerSecond: 5 };

/** Takes one token `times` times at `nowMs`, starting from `start` (default a fresh bucket). */
function drain(start: TokenBucketState | undefined, nowMs: number, times: number) {
  let state: TokenBucketState = start ?? { tokens: perMinute600.capacity, updatedAtMs: nowMs };
  let allowed = 0;
  for (let i = 0; i < times; i++) {
    const decision = takeTokens(state, perMinute600, nowMs);
    if (decision.allowed) allowed++;
    state = decision.state;
  }
  return { allowed, state };
}

describe('takeTokens', () => {
  it('starts full and reports what is left', () => {
    const decision = takeTokens(undefined, perMinute600, 1_000);
    expect(decision).toEqual({
      allowed: true,
      state: { tokens: 599, updatedAtMs: 1_000 },
      remaining: 599,
      retryAfterMs: 0,
      resetMs: 200,
    });
  });

  it('allows exactly capacity takes at one instant, then rejects with a 200 ms retry', () => {
    const { allowed, state } = drain(undefined, 0, 600);
    expect(allowed).toBe(600);
    expect(state.tokens).toBe(0);
    const rejected = takeTokens(state, perMinute600, 0);
    expect(rejected).toEqual({
      allowed: false,
      state: { tokens: 0, updatedAtMs: 0 },
      remaining: 0,
      retryAfterMs: 200,
      resetMs: 120_000,
    });
    expect(takeTokens(state, perMinute600, 199).allowed).toBe(false);
    const after = takeTokens(state, perMinute600, 200);
    expect(after.allowed).toBe(true);
    expect(after.state.tokens).toBe(0);
  });

  it('refills exactly 5 tokens per second at 5/s', () => {
    const empty = drain(undefined, 0, 600).state;
    const { allowed, state } = drain(empty, 1_000, 10);
    expect(allowed).toBe(5);
    expect(state.tokens).toBe(0);
  });

  it('stays exact with a rate that is not a power-of-ten fraction', () => {
    const config = { capacity: 10, refillPerSecond: 3 };
    let state = takeTokens(undefined, config, 0, 10).state;
    let allowed = 0;
    // Polling every ms adds 3e-3 tokens per call; 10 000 of them must add up to exactly 30.
    for (let now = 1; now <= 10_000; now++) {
      const decision = takeTokens(state, config, now);
      if (decision.allowed) allowed++;
      state = decision.state;
    }
    expect(allowed).toBe(30);
    expect(state.tokens).toBe(0);
  });

  it('gives a retry that is always enough and never more than needed', () => {
    const config = { capacity: 1, refillPerSecond: 3 };
    let state = takeTokens(undefined, config, 0).state;
    let now = 0;
    for (let i = 0; i < 100; i++) {
      const rejected = takeTokens(state, config, now);
      expect(rejected.retryAfterMs).toBe(334);
      expect(takeTokens(state, config, now + 333).allowed).toBe(false);
      now += rejected.retryAfterMs;
      const allowed = takeTokens(rejected.state, config, now);
      expect(allowed.allowed).toBe(true);
      state = allowed.state;
    }
  });

  it('never holds more than capacity', () => {
    const empty = drain(undefined, 0, 600).state;
    expect(tokensAt(empty, perMinute600, 10 * 60_000)).toBe(600);
    const decision = takeTokens(empty, perMinute600, 10 * 60_000);
    expect(decision.remaining).toBe(599);
    expect(decision.resetMs).toBe(200);
  });

  it('clamps a stored count above capacity (the capacity shrank)', () => {
    expect(tokensAt({ tokens: 1_000, updatedAtMs: 0 }, perMinute600, 0)).toBe(600);
  });

  it('adds nothing while the clock runs backwards, and does not refill the same interval twice', () => {
    const empty = drain(undefined, 10_000, 600).state;
    const back = takeTokens(empty, perMinute600, 5_000);
    expect(back.allowed).toBe(false);
    expect(back.state).toEqual({ tokens: 0, updatedAtMs: 10_000 });
    // The bucket's own timestamp is 5 s ahead, so the wait includes getting back there.
    expect(back.retryAfterMs).toBe(5_200);
    expect(tokensAt(back.state, perMinute600, 10_000)).toBe(0);
    expect(takeTokens(back.state, perMinute600, 5_000 + back.retryAfterMs).allowed).toBe(true);
  });

  it('treats Infinity capacity as unlimited', () => {
    const unlimited = { capacity: Infinity, refillPerSecond: 0 };
    let state: TokenBucketState | undefined;
    for (let i = 0; i < 100; i++) {
      const decision = takeTokens(state, unlimited, i, 1_000);
      expect(decision).toEqual({
        allowed: true,
        state: { tokens: Infinity, updatedAtMs: i },
        remaining: Number.MAX_SAFE_INTEGER,
        retryAfterMs: 0,
        resetMs: 0,
      });
      state = decision.state;
    }
    expect(tokensAt(state, unlimited, 100)).toBe(Infinity);
  });

  it('never refills at 0/s without producing NaN', () => {
    const config = { capacity: 2, refillPerSecond: 0 };
    const first = takeTokens(undefined, config, 0);
    expect(first.resetMs).toBe(Infinity);
    const second = takeTokens(first.state, config, 1e12);
    expect(second).toMatchObject({ allowed: true, remaining: 0, resetMs: Infinity });
    const third = takeTokens(second.state, config, 2e12);
    expect(third).toMatchObject({ allowed: false, retryAfterMs: Infinity, resetMs: Infinity });
    expect(third.state.tokens).toBe(0);
  });

  it('refills to full at once at an infinite rate', () => {
    const config = { capacity: 3, refillPerSecond: Infinity };
    const empty = takeTokens(undefined, config, 0, 3);
    expect(empty).toMatchObject({ allowed: true, remaining: 0, resetMs: 1 });
    expect(takeTokens(empty.state, config, 0)).toMatchObject({ allowed: false, retryAfterMs: 1 });
    expect(tokensAt(empty.state, config, 1)).toBe(3);
  });

  it('charges fractional costs and costs above 1', () => {
    const config = { capacity: 10, refillPerSecond: 1 };
    const half = takeTokens(undefined, config, 0, 0.5);
    expect(half.state.tokens).toBe(9.5);
    expect(half.remaining).toBe(9);
    expect(half.resetMs).toBe(500);
    const big = takeTokens(half.state, config, 0, 9);
    expect(big.state.tokens).toBe(0.5);
    expect(big.remaining).toBe(0);
    const rejected = takeTokens(big.state, config, 0, 3);
    expect(rejected).toMatchObject({ allowed: false, retryAfterMs: 2_500, resetMs: 9_500 });
  });

  it('reports a cost above capacity as never payable', () => {
    const decision = takeTokens(undefined, { capacity: 5, refillPerSecond: 1 }, 0, 6);
    expect(decision).toMatchObject({ allowed: false, retryAfterMs: Infinity, resetMs: 0 });
    expect(decision.state.tokens).toBe(5);
  });

  it.each([
    ['capacity 0', { capacity: 0, refillPerSecond: 1 }, 1],
    ['negative capacity', { capacity: -1, refillPerSecond: 1 }, 1],
    ['NaN capacity', { capacity: NaN, refillPerSecond: 1 }, 1],
    ['negative refill', { capacity: 1, refillPerSecond: -1 }, 1],
    ['NaN refill', { capacity: 1, refillPerSecond: NaN }, 1],
    ['cost 0', { capacity: 1, refillPerSecond: 1 }, 0],
    ['negative cost', { capacity: 1, refillPerSecond: 1 }, -1],
    ['NaN cost', { capacity: 1, refillPerSecond: 1 }, NaN],
  ])('rejects %s with a RangeError', (_name, config, cost) => {
    expect(() => takeTokens(undefined, config, 0, cost)).toThrow(RangeError);
    expect(() => takeFromAll([undefined], [config], 0, cost)).toThrow(RangeError);
  });

  it('rejects a clock that is not a finite number', () => {
    expect(() => takeTokens(undefined, perMinute600, NaN)).toThrow(RangeError);
    expect(() => tokensAt(undefined, perMinute600, Infinity)).toThrow(RangeError);
  });
});

describe('tokensAt', () => {
  it('is full for a fresh bucket and refills continuously', () => {
    expect(tokensAt(undefined, perMinute600, 0)).toBe(600);
    expect(tokensAt({ tokens: 0, updatedAtMs: 0 }, perMinute600, 100)).toBe(0.5);
  });
});

describe('takeFromAll', () => {
  const perSecond = { capacity: 1, refillPerSecond: 1 };

  it('charges every bucket when all can pay', () => {
    const { allowed, decisions } = takeFromAll(
      [undefined, undefined],
      [perMinute600, perSecond],
      0,
    );
    expect(allowed).toBe(true);
    expect(decisions.map((d) => d.remaining)).toEqual([599, 0]);
  });

  it('charges none when one is empty, leaving the other untouched', () => {
    const empty = { tokens: 0, updatedAtMs: 0 };
    const full = { tokens: 600, updatedAtMs: 0 };
    const { allowed, decisions } = takeFromAll([full, empty], [perMinute600, perSecond], 500);
    expect(allowed).toBe(false);
    expect(decisions).toEqual([
      {
        allowed: false,
        state: { tokens: 600, updatedAtMs: 500 },
        remaining: 0,
        retryAfterMs: 0,
        resetMs: 0,
      },
      {
        allowed: false,
        state: { tokens: 0.5, updatedAtMs: 500 },
        remaining: 0,
        retryAfterMs: 500,
        resetMs: 500,
      },
    ]);
  });

  it('allows an empty set of buckets', () => {
    expect(takeFromAll([], [], 0)).toEqual({ allowed: true, decisions: [] });
  });

  it('needs one config per state', () => {
    expect(() => takeFromAll([undefined], [], 0)).toThrow(RangeError);
  });
});
