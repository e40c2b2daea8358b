import {
  backoffDelayMs,
  RETRY_ANTHROPIC,
  RETRY_DEFAULT,
  RETRY_OPENAI,
  RETRY_PROVIDER_DEFAULT,
} from './index';

describe('retry presets', () => {
  it('match the reference defaults', () => {
    expect(RETRY_DEFAULT).toEqual({
      maxRetries: 3,
      baseDelayMs: 100,
      maxDelayMs: 30_000,
      jitter: 0.25,
    });
    expect(RETRY_ANTHROPIC).toMatchObject({
      maxRetries: 3,
      baseDelayMs: 2_000,
      maxDelayMs: 120_000,
    });
    expect(RETRY_OPENAI).toMatchObject({ maxRetries: 3, baseDelayMs: 1_000, maxDelayMs: 60_000 });
    expect(RETRY_PROVIDER_DEFAULT).toEqual(RETRY_OPENAI);
    expect(Object.isFrozen(RETRY_DEFAULT)).toBe(true);
  });
});

describe('backoffDelayMs', () => {
  it('doubles from the base with no jitter at random = 0.5', () => {
    expect([1, 2, 3, 4].map((n) => backoffDelayMs(RETRY_DEFAULT, n, 0.5))).toEqual([
      100, 200, 400, 800,
    ]);
  });

  it('applies ±25 % multiplicative jitter', () => {
    expect(backoffDelayMs(RETRY_DEFAULT, 1, 0)).toBe(75);
    expect(backoffDelayMs(RETRY_DEFAULT, 1, 0.75)).toBe(112.5);
  });

  it('caps at maxDelayMs after jitter', () => {
    expect(backoffDelayMs(RETRY_DEFAULT, 20, 0.5)).toBe(30_000);
    expect(backoffDelayMs(RETRY_DEFAULT, 20, 0.999)).toBe(30_000);
    expect(backoffDelayMs(RETRY_DEFAULT, 20, 0)).toBe(22_500);
  });

  it('stays finite for huge attempt numbers and a zero base', () => {
    expect(backoffDelayMs(RETRY_DEFAULT, 5_000, 0.5)).toBe(30_000);
    expect(backoffDelayMs({ ...RETRY_DEFAULT, baseDelayMs: 0 }, 5_000, 0.5)).toBe(0);
  });
});
