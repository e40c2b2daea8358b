/** Thrown (or returned by `tryAcquire`) when a breaker refuses a call without running it. */
export class CircuitOpenError extends Error {
  override readonly name = 'CircuitOpenError';

  constructor(
    readonly breakerName: string,
    /** Time left in the cooldown; 0 when the breaker is half-open and only its trial slots are full. */
    readonly retryAfterMs: number,
  ) {
    super(`circuit '${breakerName}' is open; retry in ${retryAfterMs} ms`);
  }
}
