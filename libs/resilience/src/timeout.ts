import { abortReason } from './abort';

/** The call did not settle within its time budget; it was asked to stop through its signal. */
export class TimeoutError extends Error {
  override readonly name = 'TimeoutError';
  constructor(readonly timeoutMs: number) {
    super(`timed out after ${timeoutMs} ms`);
  }
}

/** Timer port: schedules `fn` after `ms` and returns a cancel function. */
export type SetTimer = (fn: () => void, ms: number) => () => void;

export const realTimer: SetTimer = (fn, ms) => {
  const timer = setTimeout(fn, ms);
  return () => clearTimeout(timer);
};

/**
 * Runs `fn` with a signal that aborts after `timeoutMs` (or when `parent` aborts) and rejects
 * with TimeoutError at that moment, whether or not `fn` honours the signal: a hung call never
 * holds its caller longer than its budget.
 */
export function withTimeout<T>(
  fn: (signal: AbortSignal) => Promise<T>,
  timeoutMs: number,
  options: { parent?: AbortSignal; setTimer?: SetTimer } = {},
): Promise<T> {
  const controller = new AbortController();
  const { parent, setTimer = realTimer } = options;
  if (parent?.aborted) return Promise.reject(abortReason(parent));
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const finish = (settle: () => void): void => {
      if (settled) return;
      settled = true;
      cancelTimer();
      parent?.removeEventListener('abort', onParentAbort);
      settle();
    };
    const onParentAbort = (): void => {
      controller.abort(parent?.reason);
      finish(() => reject(abortReason(parent)));
    };
    const cancelTimer = setTimer(() => {
      const error = new TimeoutError(timeoutMs);
      controller.abort(error);
      finish(() => reject(error));
    }, timeoutMs);
    parent?.addEventListener('abort', onParentAbort, { once: true });
    fn(controller.signal).then(
      (value) => finish(() => resolve(value)),
      (error: unknown) =>
        finish(() => reject(error instanceof Error ? error : new Error(String(error)))),
    );
  });
}
