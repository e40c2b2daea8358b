import type { IncomingMessage } from 'node:http';
import fc from 'fast-check';
import { REFUSAL_RECHECK_MS, RefusalCache, type Refusal } from './refusal-cache';

const spec = { key: 'key:k', capacity: 120, refillPerSecond: 1 };

function refusal(now: number, retryAfterMs: number, resetMs: number, keyId = 'k1'): Refusal {
  return {
    policy: 'authenticated',
    spec,
    tier: 'authenticated',
    keyId,
    retryAt: now + retryAfterMs,
    resetAt: now + resetMs,
    route: '/api/v1/me',
    instance: '/api/v1/me',
  };
}

function request(parts: {
  method?: string;
  url?: string;
  originalUrl?: string;
  remote?: string;
  forwardedFor?: string;
  authorization?: string;
}): IncomingMessage {
  return {
    method: parts.method ?? 'GET',
    url: parts.url ?? '/api/v1/me',
    ...(parts.originalUrl !== undefined && { originalUrl: parts.originalUrl }),
    socket: { remoteAddress: parts.remote ?? '127.0.0.1' },
    headers: {
      ...(parts.authorization !== undefined && { authorization: parts.authorization }),
      ...(parts.forwardedFor !== undefined && { 'x-forwarded-for': parts.forwardedFor }),
    },
  } as unknown as IncomingMessage;
}

describe('RefusalCache', () => {
  it('holds a refusal exactly until its bucket refills, and never past the recheck bound', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 7_200_000 }),
        fc.integer({ min: 0, max: 7_200_000 }),
        fc.integer({ min: 0, max: 8_000_000 }),
        (retryAfterMs, extraResetMs, elapsedMs) => {
          const clock = { now: 1_000_000 };
          const cache = new RefusalCache(100, () => clock.now);
          cache.remember('k', refusal(clock.now, retryAfterMs, retryAfterMs + extraResetMs));
          clock.now += elapsedMs;
          const recalled = cache.recall('k');
          const holds = elapsedMs < Math.min(retryAfterMs, REFUSAL_RECHECK_MS);
          expect(recalled !== undefined).toBe(holds);
          if (!recalled) return;
          const { state } = recalled;
          expect(state.remaining).toBe(0);
          // (waits are reported in whole seconds, capped at an hour: rate-limit.headers)
          expect(state.retryAfterSeconds).toBe(
            Math.min(3600, Math.ceil((retryAfterMs - elapsedMs) / 1000)),
          );
          expect(state.retryAfterSeconds).toBeGreaterThanOrEqual(1);
          expect(state.resetSeconds).toBeGreaterThanOrEqual(state.retryAfterSeconds);
          expect(state.policy).toBe('authenticated');
          expect(state.limit).toBe(120);
          expect(state.windowSeconds).toBe(120);
        },
      ),
    );
  });

  it('keeps nothing for a refusal whose bucket has already refilled', () => {
    const cache = new RefusalCache(10, () => 5_000);
    cache.remember('k', refusal(5_000, 0, 0));
    expect(cache.size).toBe(0);
    expect(cache.recall('k')).toBeUndefined();
  });

  it('drops the refusals of a revoked key only', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('a', 'b', 'c'), { minLength: 1, maxLength: 30 }),
        fc.constantFrom('a', 'b', 'c'),
        (owners, revoked) => {
          const cache = new RefusalCache(100, () => 0);
          owners.forEach((owner, i) => cache.remember(`r${i}`, refusal(0, 500, 500, owner)));
          cache.forgetKey(revoked);
          owners.forEach((owner, i) =>
            expect(cache.recall(`r${i}`) !== undefined).toBe(owner !== revoked),
          );
        },
      ),
    );
  });

  it('stays within its bound, dropping the least recently used', () => {
    const cache = new RefusalCache(3, () => 0);
    for (let i = 0; i < 10; i++) cache.remember(`r${i}`, refusal(0, 500, 500));
    expect(cache.size).toBe(3);
    expect(cache.recall('r9')).toBeDefined();
    expect(cache.recall('r0')).toBeUndefined();
  });

  it('bounds the characters of its keys, however long the headers they carry', () => {
    const cache = new RefusalCache(10_000, () => 0, 64 * 1024);
    for (let i = 0; i < 1_000; i++) {
      cache.remember(`${i} ${'x'.repeat(8 * 1024)}`, refusal(0, 500, 500));
    }
    expect(cache.size).toBeLessThanOrEqual(8); // 64 KiB / (8 KiB + overhead)
    expect(cache.recall(`999 ${'x'.repeat(8 * 1024)}`)).toBeDefined();
    // an entry larger than the whole bound is simply not kept
    cache.remember('y'.repeat(100 * 1024), refusal(0, 500, 500));
    expect(cache.recall('y'.repeat(100 * 1024))).toBeUndefined();
  });

  describe('key', () => {
    const base = RefusalCache.key(
      request({ authorization: 'Bearer ara_x', forwardedFor: '203.0.113.9' }),
    );

    it('tells apart everything the route, client address and principal come from', () => {
      for (const changed of [
        request({ method: 'POST', authorization: 'Bearer ara_x', forwardedFor: '203.0.113.9' }),
        request({
          url: '/api/v1/debates',
          authorization: 'Bearer ara_x',
          forwardedFor: '203.0.113.9',
        }),
        request({ remote: '10.0.0.2', authorization: 'Bearer ara_x', forwardedFor: '203.0.113.9' }),
        request({ authorization: 'Bearer ara_x', forwardedFor: '203.0.113.10' }),
        request({ authorization: 'Bearer ara_y', forwardedFor: '203.0.113.9' }),
        request({ forwardedFor: '203.0.113.9' }),
      ]) {
        expect(RefusalCache.key(changed)).not.toBe(base);
      }
    });

    it('ignores the query and reads the path as it arrived, before any rewrite', () => {
      expect(
        RefusalCache.key(
          request({
            url: '/api/v1/me?x=1',
            authorization: 'Bearer ara_x',
            forwardedFor: '203.0.113.9',
          }),
        ),
      ).toBe(base);
      expect(
        RefusalCache.key(
          request({
            url: '/api/v1/rewritten',
            originalUrl: '/api/v1/me',
            authorization: 'Bearer ara_x',
            forwardedFor: '203.0.113.9',
          }),
        ),
      ).toBe(base);
    });
  });
});
