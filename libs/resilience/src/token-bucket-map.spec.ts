import { TokenBucketMap } from './index';

const perSecond10 = { capacity: 10, refillPerSecond: 10 };
const slow = { capacity: 10, refillPerSecond: 0.01 };

describe('TokenBucketMap', () => {
  it('keeps one bucket per key', () => {
    const map = new TokenBucketMap();
    for (let i = 0; i < 10; i++) expect(map.take(['a'], [perSecond10], 0).allowed).toBe(true);
    expect(map.take(['a'], [perSecond10], 0)).toMatchObject({
      allowed: false,
      decisions: [{ retryAfterMs: 100 }],
    });
    expect(map.take(['b'], [perSecond10], 0).allowed).toBe(true);
    expect(map.size).toBe(2);
  });

  it('is all-or-nothing across keys and leaves the other buckets uncharged', () => {
    const map = new TokenBucketMap();
    map.take(['tight'], [{ capacity: 1, refillPerSecond: 1 }], 0);
    const configs = [perSecond10, { capacity: 1, refillPerSecond: 1 }];
    const rejected = map.take(['wide', 'tight'], configs, 0);
    expect(rejected.allowed).toBe(false);
    expect(map.take(['wide'], [perSecond10], 0).decisions[0]?.remaining).toBe(9);
  });

  it('rejects duplicate keys and mismatched configs', () => {
    const map = new TokenBucketMap();
    expect(() => map.take(['a', 'a'], [perSecond10, perSecond10], 0)).toThrow(RangeError);
    expect(() => map.take(['a'], [], 0)).toThrow(RangeError);
  });

  it('rejects bad options', () => {
    expect(() => new TokenBucketMap({ sweepEvery: 0 })).toThrow(RangeError);
    expect(() => new TokenBucketMap({ sweepEvery: 1.5 })).toThrow(RangeError);
    expect(() => new TokenBucketMap({ maxIdleMs: -1 })).toThrow(RangeError);
  });

  it('evicts idle full buckets, so many one-off keys stay bounded', () => {
    const map = new TokenBucketMap({ maxIdleMs: 1_000, sweepEvery: 100 });
    let maxSize = 0;
    // One new key per ms: at most ~maxIdleMs + sweepEvery of them can be live or awaiting a sweep.
    for (let now = 0; now < 20_000; now++) {
      map.take([`client-${now}`], [perSecond10], now);
      maxSize = Math.max(maxSize, map.size);
    }
    expect(maxSize).toBeLessThanOrEqual(1_000 + 100 + 100);
    expect(map.size).toBeLessThan(1_200);
  });

  it('never evicts a bucket that is still refilling, however long it idles', () => {
    const map = new TokenBucketMap({ maxIdleMs: 1_000, sweepEvery: 1 });
    for (let i = 0; i < 10; i++) map.take(['drained'], [slow], 0);
    // 100 s at 0.01/s refills exactly one token; the bucket needs 1 000 s to be full again.
    for (let now = 1; now <= 100_000; now += 500) map.take([`other-${now}`], [slow], now);
    expect(map.take(['drained'], [slow], 100_000).decisions[0]).toMatchObject({
      allowed: true,
      remaining: 0,
    });
    expect(map.take(['drained'], [slow], 100_000).allowed).toBe(false);
  });

  it('evicts a bucket once it is full and idle, and it comes back as a fresh one', () => {
    const map = new TokenBucketMap({ maxIdleMs: 1_000, sweepEvery: 1 });
    for (let i = 0; i < 10; i++) map.take(['a'], [perSecond10], 0);
    map.take(['b'], [perSecond10], 1_001);
    expect(map.size).toBe(1);
    expect(map.take(['a'], [perSecond10], 1_001).decisions[0]?.remaining).toBe(9);
  });

  it('stores nothing for a rejected take', () => {
    const map = new TokenBucketMap();
    map.take(['x'], [{ capacity: 1, refillPerSecond: 0 }], 0, 2);
    expect(map.size).toBe(0);
  });

  it('forgets everything on clear', () => {
    const map = new TokenBucketMap();
    map.take(['a', 'b'], [perSecond10, perSecond10], 0);
    map.clear();
    expect(map.size).toBe(0);
  });
});
