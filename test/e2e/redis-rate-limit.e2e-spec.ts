import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { createRedisClient } from '../../src/modules/rate-limit/redis-client';
import { RedisRateLimitStore } from '../../src/modules/rate-limit/redis-rate-limit.store';
import type { BucketSpec } from '../../src/modules/rate-limit/rate-limit.store';
import { startRedisServer, type TestRedis } from '../support/redis-server';

const PREFIX = 'aragora:ratelimit:';
const TTL_SECONDS = 60;
const SLOW = 0.001; // tokens/s: no refill worth a token during a test, so counts are exact

async function readyClient(url: string, name: string): Promise<Redis> {
  const redis = createRedisClient(url, { connectionName: name });
  if (redis.status !== 'ready') await once(redis, 'ready'); // no offline queue: wait for it
  return redis;
}

/** Redis' own clock (the one the script uses), in ms. */
async function redisNowMs(redis: Redis): Promise<number> {
  const [seconds, micros] = await redis.time();
  return Number(seconds) * 1000 + Number(micros) / 1000;
}

function takeMany(store: RedisRateLimitStore, spec: BucketSpec, n: number) {
  return Promise.all(Array.from({ length: n }, () => store.take([spec])));
}

describe('RedisRateLimitStore', () => {
  let server: TestRedis;
  let redis: Redis;
  let store: RedisRateLimitStore;

  beforeAll(async () => {
    server = await startRedisServer();
    redis = await readyClient(server.url, 'rate-limit-test');
    store = new RedisRateLimitStore(redis, { keyPrefix: PREFIX, keyTtlSeconds: TTL_SECONDS });
    await store.take([{ key: 'warm-up', capacity: 1, refillPerSecond: 1 }]); // loads the script
  });
  afterAll(async () => {
    await store.close();
    await server.stop();
  });

  it('allows exactly capacity immediate takes, then rejects for one refill interval', async () => {
    // 2 s per token: the burst of 600 round trips cannot earn a token back even on a loaded
    // machine (at 5/s, 200 ms a token, a slow burst did, and the 601st take was allowed)
    const spec = { key: 'exact', capacity: 600, refillPerSecond: 0.5 };
    const before = await redisNowMs(redis);
    const results = await takeMany(store, spec, 600);
    expect(results.every((r) => r.allowed)).toBe(true);
    expect(results.map((r) => r.buckets[0]?.remaining).sort((a, b) => a! - b!)).toEqual(
      Array.from({ length: 600 }, (_, i) => i),
    );
    const rejected = await store.take([spec]);
    const elapsedMs = (await redisNowMs(redis)) - before;
    expect(rejected.allowed).toBe(false);
    const [decision] = rejected.buckets;
    expect(decision?.remaining).toBe(0);
    // 1 token at 0.5/s = 2,000 ms, less what refilled while the burst ran (by Redis' clock)
    expect(decision?.retryAfterMs).toBeLessThanOrEqual(2000);
    expect(decision?.retryAfterMs).toBeGreaterThanOrEqual(Math.min(1980, 2000 - elapsedMs));
    // full again after 600 tokens at 0.5/s
    expect(decision?.resetMs).toBeGreaterThan(1_190_000);
    expect(decision?.resetMs).toBeLessThanOrEqual(1_200_000);
  });

  it('does not round a fractional refill rate up by a millisecond', async () => {
    const spec = { key: 'fractional', capacity: 1, refillPerSecond: 100 / 60 }; // 600 ms/token
    expect((await store.take([spec])).buckets[0]).toMatchObject({ remaining: 0 });
    const [decision] = (await store.take([spec])).buckets;
    expect(decision?.retryAfterMs).toBeLessThanOrEqual(600);
    expect(decision?.retryAfterMs).toBeGreaterThan(500);
  });

  it('refills continuously: about 5 more tokens after a second at 5/s', async () => {
    const spec = { key: 'refill', capacity: 10, refillPerSecond: 5 };
    const drained = await takeMany(store, spec, 10);
    expect(drained.every((r) => r.allowed)).toBe(true);
    await sleep(1000);
    const later = await takeMany(store, spec, 10);
    const allowed = later.filter((r) => r.allowed).length;
    expect(allowed).toBeGreaterThanOrEqual(4);
    expect(allowed).toBeLessThanOrEqual(6);
  });

  it('takes from all buckets or from none', async () => {
    const wide = { key: 'all-or-nothing:wide', capacity: 3, refillPerSecond: SLOW };
    const narrow = { key: 'all-or-nothing:narrow', capacity: 1, refillPerSecond: SLOW };
    const first = await store.take([wide, narrow]);
    expect(first.allowed).toBe(true);
    expect(first.buckets.map((b) => b.remaining)).toEqual([2, 0]);
    expect(first.buckets[1]?.retryAfterMs).toBeGreaterThan(999_000);

    const second = await store.take([wide, narrow]);
    expect(second.allowed).toBe(false);
    expect(second.buckets.map((b) => b.remaining)).toEqual([0, 0]);
    expect(second.buckets[0]?.retryAfterMs).toBe(0); // wide still has tokens: narrow rejected
    expect(second.buckets[1]?.retryAfterMs).toBeGreaterThan(0);

    // the rejected take cost wide nothing: 2 tokens left
    const wideAlone = await takeMany(store, wide, 3);
    expect(wideAlone.map((r) => r.allowed)).toEqual([true, true, false]);
  });

  it('shares one budget between stores on separate connections', async () => {
    const otherRedis = await readyClient(server.url, 'rate-limit-test-2');
    const other = new RedisRateLimitStore(otherRedis, {
      keyPrefix: PREFIX,
      keyTtlSeconds: TTL_SECONDS,
    });
    try {
      const spec = { key: 'shared', capacity: 50, refillPerSecond: SLOW };
      const results = await Promise.all(
        Array.from({ length: 80 }, (_, i) => (i % 2 ? store : other).take([spec])),
      );
      expect(results.filter((r) => r.allowed)).toHaveLength(50);
    } finally {
      await other.close();
    }
  });

  it('prefixes keys and gives them a TTL, at least until the bucket is full again', async () => {
    await store.take([{ key: 'ttl:fast', capacity: 10, refillPerSecond: 5 }]);
    expect(await redis.exists('ttl:fast')).toBe(0);
    const fast = await redis.pttl(`${PREFIX}ttl:fast`);
    expect(fast).toBeGreaterThan(TTL_SECONDS * 1000 - 5_000);
    expect(fast).toBeLessThanOrEqual(TTL_SECONDS * 1000);
    expect(await redis.hgetall(`${PREFIX}ttl:fast`)).toEqual({
      tokens: expect.stringMatching(/^\d+$/),
      ts: expect.stringMatching(/^\d{16}$/),
    });

    // 30/hour: one token takes 120 s to come back, longer than the configured TTL
    await store.take([{ key: 'ttl:hourly', capacity: 30, refillPerSecond: 30 / 3600 }]);
    const hourly = await redis.pttl(`${PREFIX}ttl:hourly`);
    expect(hourly).toBeGreaterThan(110_000);
    expect(hourly).toBeLessThanOrEqual(120_000);
  });
});
