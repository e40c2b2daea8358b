import { msUntilRefilled, nanoPerMs, refillNano } from './token-arithmetic';

describe('token arithmetic', () => {
  it('adds nothing for no, negative or NaN elapsed time', () => {
    expect(refillNano(0, Infinity)).toBe(0);
    expect(refillNano(-5, 1)).toBe(0);
    expect(refillNano(NaN, 1)).toBe(0);
  });

  it('rounds refills to whole nano-tokens', () => {
    expect(refillNano(200, nanoPerMs(5))).toBe(1e9);
    expect(refillNano(1, nanoPerMs(0.1))).toBe(1e5);
    expect(Number.isInteger(refillNano(7, nanoPerMs(1 / 3)))).toBe(true);
  });

  it('finds the smallest whole ms that covers a deficit', () => {
    for (const rate of [0.1, 1 / 3, 0.7, 3, 5, 7.3, 1_000, 123_456.789]) {
      for (const deficit of [1, 999_999, 1e9, 7e9 + 3]) {
        const ratePerMs = nanoPerMs(rate);
        const t = msUntilRefilled(deficit, ratePerMs, 0);
        expect(refillNano(t, ratePerMs)).toBeGreaterThanOrEqual(deficit);
        if (t > 0) expect(refillNano(t - 1, ratePerMs)).toBeLessThan(deficit);
      }
    }
  });

  it('counts a lead (the clock went backwards) into the wait', () => {
    expect(msUntilRefilled(1e9, nanoPerMs(5), 1_000)).toBe(1_200);
    expect(msUntilRefilled(0, nanoPerMs(5), 1_000)).toBe(0);
  });

  it('never finishes without a refill', () => {
    expect(msUntilRefilled(1, 0, 0)).toBe(Infinity);
    expect(msUntilRefilled(Infinity, 1, 0)).toBe(Infinity);
  });

  it('does not loop or return NaN at extreme rates', () => {
    expect(msUntilRefilled(1e9, nanoPerMs(1e-12), 0)).toBe(999_999_999_500_000);
    expect(msUntilRefilled(1e9, Infinity, 0)).toBe(1);
  });
});
