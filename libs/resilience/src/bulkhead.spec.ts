import fc from 'fast-check';
import { Bulkhead, BulkheadFullError } from './bulkhead';

/** A call whose completion the test controls. */
function deferred(): { promise: Promise<void>; done: () => void } {
  let done = (): void => undefined;
  const promise = new Promise<void>((resolve) => (done = resolve));
  return { promise, done };
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('Bulkhead', () => {
  it('runs at most maxConcurrent at once and admits waiters in order', async () => {
    const bulkhead = new Bulkhead(2);
    const calls = [deferred(), deferred(), deferred(), deferred()];
    const started: number[] = [];
    const runs = calls.map((call, i) =>
      bulkhead.run(() => {
        started.push(i);
        return call.promise;
      }),
    );
    await tick();
    expect(started).toEqual([0, 1]);
    expect([bulkhead.active, bulkhead.queued]).toEqual([2, 2]);
    calls[1]?.done();
    await tick();
    expect(started).toEqual([0, 1, 2]);
    calls[0]?.done();
    calls[2]?.done();
    await tick();
    expect(started).toEqual([0, 1, 2, 3]);
    calls[3]?.done();
    await Promise.all(runs);
    expect([bulkhead.active, bulkhead.queued]).toEqual([0, 0]);
  });

  it('refuses at once when the queue is full', async () => {
    const bulkhead = new Bulkhead(1, 1);
    const first = deferred();
    const running = bulkhead.run(() => first.promise);
    const waiting = bulkhead.run(() => Promise.resolve('second'));
    await expect(bulkhead.run(() => Promise.resolve('third'))).rejects.toBeInstanceOf(
      BulkheadFullError,
    );
    first.done();
    await running;
    await expect(waiting).resolves.toBe('second');
  });

  it('releases the slot when the call fails', async () => {
    const bulkhead = new Bulkhead(1);
    await expect(bulkhead.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(bulkhead.run(() => Promise.resolve(1))).resolves.toBe(1);
    expect(bulkhead.active).toBe(0);
  });

  it('lets an aborted waiter leave the queue without taking a slot', async () => {
    const bulkhead = new Bulkhead(1);
    const first = deferred();
    const running = bulkhead.run(() => first.promise);
    const controller = new AbortController();
    const waiting = bulkhead.run(() => Promise.resolve('never'), controller.signal);
    controller.abort(new Error('cancelled'));
    await expect(waiting).rejects.toThrow('cancelled');
    expect(bulkhead.queued).toBe(0);
    first.done();
    await running;
    expect(bulkhead.active).toBe(0);
  });

  it('rejects bad sizes', () => {
    expect(() => new Bulkhead(0)).toThrow(RangeError);
    expect(() => new Bulkhead(1, -1)).toThrow(RangeError);
  });

  it('never exceeds its bounds and runs every admitted call (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 0, max: 4 }),
        fc.array(fc.oneof(fc.constant('submit' as const), fc.nat({ max: 20 })), { maxLength: 60 }),
        async (maxConcurrent, maxQueued, steps) => {
          const bulkhead = new Bulkhead(maxConcurrent, maxQueued);
          const inFlight: (() => void)[] = [];
          let concurrent = 0;
          let admitted = 0;
          let finished = 0;
          let refused = 0;
          const all: Promise<unknown>[] = [];
          for (const step of steps) {
            if (step === 'submit') {
              const call = deferred();
              all.push(
                bulkhead
                  .run(async () => {
                    concurrent++;
                    admitted++;
                    expect(concurrent).toBeLessThanOrEqual(maxConcurrent);
                    inFlight.push(call.done);
                    await call.promise;
                    concurrent--;
                    finished++;
                  })
                  .catch((error: unknown) => {
                    expect(error).toBeInstanceOf(BulkheadFullError);
                    refused++;
                  }),
              );
            } else if (inFlight.length > 0) {
              inFlight.splice(step % inFlight.length, 1)[0]?.();
            }
            await tick();
            expect(bulkhead.active).toBeLessThanOrEqual(maxConcurrent);
            expect(bulkhead.queued).toBeLessThanOrEqual(maxQueued);
          }
          // drain: everything admitted or queued eventually runs
          while (inFlight.length > 0 || bulkhead.queued > 0) {
            inFlight.shift()?.();
            await tick();
          }
          await Promise.all(all);
          const submitted = steps.filter((s) => s === 'submit').length;
          expect(admitted + refused).toBe(submitted);
          expect(finished).toBe(admitted);
          expect(bulkhead.active).toBe(0);
        },
      ),
      { numRuns: 150 },
    );
  });
});
