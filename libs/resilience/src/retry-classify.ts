import { retryAfterMs } from './retry-after';

export interface RetryClassification {
  readonly retryable: boolean;
  /** Server-requested wait (Retry-After), in ms. */
  readonly retryAfterMs?: number;
}

export type RetryClassifier = (error: unknown, nowMs: number) => RetryClassification;

/** Client errors a retry cannot fix. */
export const NON_RETRYABLE_STATUSES: ReadonlySet<number> = new Set([400, 401, 403, 404, 422]);

function field(source: unknown, key: string): unknown {
  return typeof source === 'object' && source !== null
    ? (source as Record<string, unknown>)[key]
    : undefined;
}

/** Reads a header from a plain object (any key case) or a Headers-like `get`. */
function header(headers: unknown, name: string): string | undefined {
  if (typeof headers !== 'object' || headers === null) return undefined;
  const get = field(headers, 'get');
  if (typeof get === 'function') {
    const value: unknown = get.call(headers, name);
    return typeof value === 'string' ? value : undefined;
  }
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name && typeof value === 'string') return value;
  }
  return undefined;
}

/**
 * Default classifier: `statusCode`/`status` in NON_RETRYABLE_STATUSES is final, any other status
 * or no status (a network error) is retryable; `retry-after` from `responseHeaders` or `headers`.
 */
export function classifyHttpError(error: unknown, nowMs: number): RetryClassification {
  const status = field(error, 'statusCode') ?? field(error, 'status');
  if (typeof status === 'number' && NON_RETRYABLE_STATUSES.has(status)) return { retryable: false };
  const headers = field(error, 'responseHeaders') ?? field(error, 'headers');
  const wait = retryAfterMs(header(headers, 'retry-after'), nowMs);
  return wait === undefined ? { retryable: true } : { retryable: true, retryAfterMs: wait };
}
