import { TimeoutError, withTimeout, type SetTimer } from './timeout';

/** A timer the test fires by hand. */
function manualTimer(): { setTimer: SetTimer; fire: () => void; cancelled: () => boolean } {
  let pending: (() => void) | undefined;
  let wasCancelled = false;
  return {
    setTimer: (fn) => {
      pending = fn;
      return () => {
        wasCancelled = true;
      };
    },
    fire: () => pending?.(),
    cancelled: () => wasCancelled,
  };
}

describe('withTimeout', () => {
  it('passes the result through and cancels the timer', async () => {
    const timer = manualTimer();
    await expect(withTimeout(() => Promise.resolve(7), 100, timer)).resolves.toBe(7);
    expect(timer.cancelled()).toBe(true);
  });

  it('rejects with TimeoutError and aborts the call when the budget runs out, even if the call ignores it', async () => {
    const timer = manualTimer();
    let seen: AbortSignal | undefined;
    const hung = withTimeout(
      (signal) => {
        seen = signal;
        return new Promise<never>(() => undefined);
      },
      250,
      timer,
    );
    timer.fire();
    await expect(hung).rejects.toBeInstanceOf(TimeoutError);
    await expect(hung).rejects.toMatchObject({ timeoutMs: 250 });
    expect(seen?.aborted).toBe(true);
    expect(seen?.reason).toBeInstanceOf(TimeoutError);
  });

  it('passes the call’s own error through', async () => {
    const timer = manualTimer();
    await expect(withTimeout(() => Promise.reject(new Error('bad')), 100, timer)).rejects.toThrow(
      'bad',
    );
  });

  it('follows a parent signal', async () => {
    const timer = manualTimer();
    const parent = new AbortController();
    let seen: AbortSignal | undefined;
    const call = withTimeout(
      (signal) => {
        seen = signal;
        return new Promise<never>(() => undefined);
      },
      1000,
      { ...timer, parent: parent.signal },
    );
    parent.abort(new Error('client went away'));
    await expect(call).rejects.toThrow('client went away');
    expect(seen?.aborted).toBe(true);
    expect(timer.cancelled()).toBe(true);
  });

  it('refuses at once when the parent is already aborted', async () => {
    const parent = new AbortController();
    parent.abort(new Error('gone'));
    let called = false;
    await expect(
      withTimeout(
        () => {
          called = true;
          return Promise.resolve(1);
        },
        100,
        { parent: parent.signal },
      ),
    ).rejects.toThrow('gone');
    expect(called).toBe(false);
  });

  it('works with the real timer', async () => {
    await expect(withTimeout(() => new Promise<never>(() => undefined), 20)).rejects.toBeInstanceOf(
      TimeoutError,
    );
  });
});
