/** setTimeout as a promise that rejects with the signal's reason (an AbortError) on abort. */
export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal.aborted) {
      reject(abortReason(signal));
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortReason(signal));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * The signal's own reason, unchanged (`abort()` sets a DOMException AbortError; callers may pass
 * their own). Typed as Error for the rejections; an instanceof check would fail across realms.
 */
export function abortReason(signal: AbortSignal): Error {
  return signal.reason as Error;
}
