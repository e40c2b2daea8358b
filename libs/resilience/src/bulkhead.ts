import { abortReason } from './abort';

/** Refused because the bulkhead and its queue are full: shed load rather than wait without bound. */
export class BulkheadFullError extends Error {
  override readonly name = 'BulkheadFullError';
  constructor(
    readonly maxConcurrent: number,
    readonly maxQueued: number,
  ) {
    super(`bulkhead full: ${maxConcurrent} running and ${maxQueued} queued`);
  }
}

interface Waiter {
  readonly admit: () => void;
}

/**
 * A semaphore with a bounded FIFO queue: at most `maxConcurrent` calls run at once, at most
 * `maxQueued` wait (default: unbounded), the rest are refused at once. A waiter whose signal
 * aborts leaves the queue without taking a slot.
 */
export class Bulkhead {
  private running = 0;
  private readonly queue: Waiter[] = [];

  constructor(
    readonly maxConcurrent: number,
    readonly maxQueued = Infinity,
  ) {
    if (!Number.isInteger(maxConcurrent) || maxConcurrent < 1) {
      throw new RangeError(`maxConcurrent must be an integer >= 1, got ${maxConcurrent}`);
    }
    if (!(maxQueued >= 0)) throw new RangeError(`maxQueued must be >= 0, got ${maxQueued}`);
  }

  get active(): number {
    return this.running;
  }

  get queued(): number {
    return this.queue.length;
  }

  /** Runs `fn` when a slot is free; the slot is released however `fn` ends. */
  async run<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    await this.acquire(signal);
    try {
      return await fn();
    } finally {
      this.release();
    }
  }

  private acquire(signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    if (this.running < this.maxConcurrent) {
      this.running++;
      return Promise.resolve();
    }
    if (this.queue.length >= this.maxQueued) {
      return Promise.reject(new BulkheadFullError(this.maxConcurrent, this.maxQueued));
    }
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        const index = this.queue.indexOf(waiter);
        if (index >= 0) this.queue.splice(index, 1);
        reject(abortReason(signal));
      };
      const waiter: Waiter = {
        // the slot passes straight from the releasing call to this one
        admit: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.queue.push(waiter);
    });
  }

  private release(): void {
    const next = this.queue.shift();
    if (next) next.admit();
    else this.running--;
  }
}
