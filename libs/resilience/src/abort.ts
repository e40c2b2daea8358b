/** True for the error a fetch/AbortSignal-aware call throws when it is cancelled. */
export function isAbortError(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { name?: unknown }).name === 'AbortError'
  );
}

/** The reason a signal was aborted with, as an Error (a non-Error reason becomes an AbortError). */
export function abortReason(signal: AbortSignal | undefined): Error {
  const reason: unknown = signal?.reason;
  // Duck-typed, not `instanceof Error`: a DOMException from another realm (the VM contexts of a
  // test runner) is still the signal's own reason and must be passed on as is.
  return isErrorLike(reason) ? reason : new DOMException('The operation was aborted', 'AbortError');
}

function isErrorLike(value: unknown): value is Error {
  return (
    value instanceof Error ||
    (typeof value === 'object' && value !== null && 'name' in value && 'message' in value)
  );
}
