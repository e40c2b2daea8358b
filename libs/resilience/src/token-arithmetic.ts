/**
 * Token counts are handled as whole nano-tokens (1e-9 token) between reading and writing a state,
 * so takes and comparisons are exact integer arithmetic: 600 takes of 1 from 600 leave exactly 0,
 * and 200 ms at 5/s adds exactly 1e9. Integers stay exact up to ~2e6 tokens of capacity; above
 * that values are still correct to within float rounding, never NaN.
 */
export const NANO_PER_TOKEN = 1e9;

const NANO_PER_MS_PER_TOKEN_PER_SECOND = NANO_PER_TOKEN / 1000;

export function toNano(tokens: number): number {
  return Math.round(tokens * NANO_PER_TOKEN);
}

export function fromNano(nano: number): number {
  return nano / NANO_PER_TOKEN;
}

export function nanoPerMs(refillPerSecond: number): number {
  return refillPerSecond * NANO_PER_MS_PER_TOKEN_PER_SECOND;
}

/**
 * Nano-tokens gained over `elapsedMs`. Rounding (not flooring) to a whole nano-token keeps products
 * like 200 * 5e6 from landing a hair under the true integer. The error is at most half a nano-token
 * per call; it only matters for absurdly slow rates (under ~5e-7 tokens/s polled every ms, where
 * each call would gain less than half a nano-token and so gains nothing).
 */
export function refillNano(elapsedMs: number, ratePerMs: number): number {
  // No time, no tokens: also keeps a backwards clock harmless and 0 * Infinity from becoming NaN.
  if (!(elapsedMs > 0) || ratePerMs === 0) return 0;
  return Math.round(elapsedMs * ratePerMs);
}

/**
 * Smallest whole number of ms `t` after now at which the refill since the state's timestamp
 * (`leadMs` ahead of now when the clock went backwards) covers `deficitNano`.
 */
export function msUntilRefilled(deficitNano: number, ratePerMs: number, leadMs: number): number {
  if (deficitNano <= 0) return 0;
  if (ratePerMs === 0 || deficitNano === Infinity) return Infinity;
  const reached = (t: number): boolean => refillNano(t - leadMs, ratePerMs) >= deficitNano;
  // Math.round(x) >= d exactly when x >= d - 0.5, which gives the estimate in closed form.
  let t = Math.max(0, Math.ceil(leadMs + (deficitNano - 0.5) / ratePerMs));
  // The float division can land a ms either side; settle it against refillNano itself, so waiting
  // exactly `t` ms is always enough. Bounded loops: at huge t, t - 1 === t.
  for (let i = 0; i < 2 && t > 0 && reached(t - 1); i++) t--;
  for (let i = 0; i < 2 && !reached(t); i++) t++;
  return t;
}
