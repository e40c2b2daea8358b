import { CircuitOpenError, retry, RETRY_DEFAULT, type RetryInfo } from './index';

const NOW = Date.UTC(2024, 0, 1, 12, 0, 0);

function ports(random = 0.5) {
  const sleeps: number[] = [];
  return {
    sleeps,
    ports: {
      sleep: (ms: number) => {
        sleeps.push(ms);
        return Promise.resolve();
      },
      random: () => random,
      clock: { now: () => NOW },
    },
  };
}

function httpError(status: number, headers?: Record<string, string>) {
  return Object.assign(new Error(`HTTP ${status}`), { status, headers });
}

/** fn failing with `errors` in turn, then resolving 'ok'. */
function failing(...errors: unknown[]) {
  const fn = jest.fn(async (attempt: number) => {
    await Promise.resolve();
    const error = errors[attempt - 1];
    // `errors` is unknown[] so the rule cannot see that every case here throws an Error.
    // eslint-disable-next-line @typescript-eslint/only-throw-error
    if (error !== undefined) throw error;
    return 'ok';
  });
  return fn;
}

describe('retry', () => {
  it('returns the first success, passing 1-based attempt numbers', async () => {
    const { ports: p, sleeps } = ports();
    const fn = failing(httpError(503), new Error('ECONNRESET'));
    await expect(retry(fn, RETRY_DEFAULT, p)).resolves.toBe('ok');
    expect(fn.mock.calls.map(([attempt]) => attempt)).toEqual([1, 2, 3]);
    expect(sleeps).toEqual([100, 200]);
  });

  it('gives up after maxRetries retries with the last error', async () => {
    const { ports: p, sleeps } = ports();
    const last = httpError(500);
    const fn = failing(httpError(500), httpError(500), httpError(500), last);
    await expect(retry(fn, RETRY_DEFAULT, p)).rejects.toBe(last);
    expect(fn).toHaveBeenCalledTimes(4);
    expect(sleeps).toEqual([100, 200, 400]);
  });

  it('fills missing policy fields from RETRY_DEFAULT', async () => {
    const { ports: p } = ports();
    const fn = failing(httpError(500), httpError(500));
    await expect(retry(fn, { maxRetries: 1 }, p)).rejects.toMatchObject({ status: 500 });
    expect(fn).toHaveBeenCalledTimes(2);
  });

  it.each([400, 401, 403, 404, 422])('never retries status %p', async (status) => {
    const { ports: p } = ports();
    const fn = failing(httpError(status));
    await expect(retry(fn, RETRY_DEFAULT, p)).rejects.toMatchObject({ status });
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('reads statusCode as well as status', async () => {
    const { ports: p } = ports();
    const fn = failing(Object.assign(new Error('x'), { statusCode: 401 }));
    await expect(retry(fn, RETRY_DEFAULT, p)).rejects.toThrow('x');
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it.each([
    ['CircuitOpenError', new CircuitOpenError('llm', 5_000)],
    ['AbortError', Object.assign(new Error('aborted'), { name: 'AbortError' })],
  ])('never retries a %s, whatever classify says', async (_, error) => {
    const { ports: p } = ports();
    const fn = failing(error);
    await expect(
      retry(fn, RETRY_DEFAULT, p, { classify: () => ({ retryable: true }) }),
    ).rejects.toBe(error);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('honours Retry-After seconds from responseHeaders or headers, capped at maxDelayMs', async () => {
    const { ports: p, sleeps } = ports();
    const fn = failing(
      Object.assign(httpError(429), { responseHeaders: { 'Retry-After': '7' } }),
      httpError(503, { 'retry-after': '600' }),
    );
    await expect(retry(fn, RETRY_DEFAULT, p)).resolves.toBe('ok');
    expect(sleeps).toEqual([7_000, 30_000]);
  });

  it('honours a Retry-After HTTP-date and a Headers object', async () => {
    const { ports: p, sleeps } = ports(0);
    const headers = new Headers({ 'retry-after': 'Mon, 01 Jan 2024 12:00:03 GMT' });
    const fn = failing(Object.assign(new Error('x'), { status: 429, headers }));
    await expect(retry(fn, RETRY_DEFAULT, p)).resolves.toBe('ok');
    // Not jittered below the server's value.
    expect(sleeps).toEqual([3_000]);
  });

  it('uses a custom classifier', async () => {
    const { ports: p, sleeps } = ports();
    const fn = failing(new Error('a'), new Error('b'));
    const classify = (error: unknown) =>
      (error as Error).message === 'a'
        ? { retryable: true, retryAfterMs: 42 }
        : { retryable: false };
    await expect(retry(fn, RETRY_DEFAULT, p, { classify })).rejects.toThrow('b');
    expect(sleeps).toEqual([42]);
  });

  it('reports each retry to onRetry', async () => {
    const { ports: p } = ports(0);
    const infos: RetryInfo[] = [];
    const first = httpError(502);
    await retry(failing(first), RETRY_DEFAULT, p, { onRetry: (info) => infos.push(info) });
    expect(infos).toEqual([{ attempt: 1, delayMs: 75, error: first }]);
  });

  it('does not start when the signal has already fired', async () => {
    const { ports: p } = ports();
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    const fn = failing();
    await expect(retry(fn, RETRY_DEFAULT, p, { signal: controller.signal })).rejects.toThrow(
      'stop',
    );
    expect(fn).not.toHaveBeenCalled();
  });

  it('stops retrying once the signal fires, and passes it to sleep', async () => {
    const controller = new AbortController();
    const seen: (AbortSignal | undefined)[] = [];
    const p = {
      sleep: (_ms: number, signal?: AbortSignal) => {
        seen.push(signal);
        controller.abort(new Error('cancelled'));
        return Promise.resolve();
      },
      random: () => 0.5,
      clock: { now: () => NOW },
    };
    const fn = failing(httpError(503), httpError(503));
    await expect(retry(fn, RETRY_DEFAULT, p, { signal: controller.signal })).rejects.toThrow(
      'cancelled',
    );
    expect(fn).toHaveBeenCalledTimes(1);
    expect(seen).toEqual([controller.signal]);
  });

  it('does not retry an error thrown after the signal fired', async () => {
    const { ports: p } = ports();
    const controller = new AbortController();
    const fn = jest.fn(async () => {
      await Promise.resolve();
      controller.abort();
      throw httpError(503);
    });
    await expect(retry(fn, RETRY_DEFAULT, p, { signal: controller.signal })).rejects.toMatchObject({
      status: 503,
    });
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it.each([
    { maxRetries: -1 },
    { maxRetries: 1.5 },
    { jitter: 2 },
    { baseDelayMs: Number.NaN },
    { maxDelayMs: -1 },
  ])('rejects the invalid policy %p', async (policy) => {
    const { ports: p } = ports();
    await expect(retry(failing(), policy, p)).rejects.toThrow(RangeError);
  });
});
