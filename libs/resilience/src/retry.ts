import { isAbortError } from './abort';
import { CircuitOpenError } from './circuit-open-error';
import type { Clock } from './clock';
import { classifyHttpError, type RetryClassifier } from './retry-classify';
import { assertValidPolicy, backoffDelayMs, RETRY_DEFAULT, type RetryPolicy } from './retry-policy';

export interface RetryPorts {
  /** Waits `ms`; should reject early when `signal` aborts. */
  readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** A value in [0, 1), as Math.random. */
  readonly random: () => number;
  /** For HTTP-date Retry-After values. */
  readonly clock: Clock;
}

export interface RetryInfo {
  /** The retry about to be made (1-based); `fn` will next be called with attempt + 1. */
  readonly attempt: number;
  readonly delayMs: number;
  readonly error: unknown;
}

export interface RetryOptions {
  readonly signal?: AbortSignal;
  readonly onRetry?: (info: RetryInfo) => void;
  readonly classify?: RetryClassifier;
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The operation was aborted', 'AbortError');
}

/**
 * Calls `fn(attempt)` (attempt 1 is the first call) until it resolves, the error is not
 * retryable, or maxRetries retries are spent; the last error is thrown. Aborts and an open
 * circuit are never retried, whatever `classify` says.
 */
export async function retry<T>(
  fn: (attempt: number) => Promise<T>,
  policy: Partial<RetryPolicy>,
  ports: RetryPorts,
  options: RetryOptions = {},
): Promise<T> {
  const full: RetryPolicy = { ...RETRY_DEFAULT, ...policy };
  assertValidPolicy(full);
  const { signal, onRetry, classify = classifyHttpError } = options;
  for (let attempt = 1; ; attempt++) {
    if (signal?.aborted) throw abortReason(signal);
    try {
      return await fn(attempt);
    } catch (error) {
      if (attempt > full.maxRetries) throw error;
      if (signal?.aborted || isAbortError(error) || error instanceof CircuitOpenError) throw error;
      const verdict = classify(error, ports.clock.now());
      if (!verdict.retryable) throw error;
      const delayMs =
        verdict.retryAfterMs === undefined
          ? backoffDelayMs(full, attempt, ports.random())
          : // The server's wait is honoured in full, within the policy's ceiling.
            Math.min(full.maxDelayMs, verdict.retryAfterMs);
      onRetry?.({ attempt, delayMs, error });
      await ports.sleep(delayMs, signal);
    }
  }
}
