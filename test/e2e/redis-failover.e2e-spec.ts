import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  FailoverRateLimitStore,
  type FailoverState,
} from '../../src/modules/rate-limit/failover-rate-limit.store';
import type {
  BucketSpec,
  RateLimitStore,
  TakeResult,
} from '../../src/modules/rate-limit/rate-limit.store';
import { createRedisClient } from '../../src/modules/rate-limit/redis-client';
import { RedisRateLimitStore } from '../../src/modules/rate-limit/redis-rate-limit.store';
import { startRedisServer, type TestRedis } from '../support/redis-server';

const FALLBACK_ANSWER: TakeResult = {
  allowed: true,
  buckets: [{ remaining: 424_242, retryAfterMs: 0, resetMs: 0 }],
};

/** A store with a scripted `take`, recording calls. */
class FakeStore implements RateLimitStore {
  calls = 0;
  closed = false;
  constructor(public answer: () => Promise<TakeResult> = () => Promise.resolve(FALLBACK_ANSWER)) {}
  take(): Promise<TakeResult> {
    this.calls += 1;
    return this.answer();
  }
  now(): number {
    return Date.now();
  }
  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }
}

const never = () => new Promise<TakeResult>(() => undefined);
const spec: BucketSpec = { key: 'failover', capacity: 100, refillPerSecond: 0.001 };

async function timed<T>(run: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await run();
  return { value, ms: performance.now() - started };
}

describe('FailoverRateLimitStore with fake stores', () => {
  let clock: number;
  let changes: FailoverState[];
  const build = (primary: FakeStore, fallback: FakeStore) =>
    new FailoverRateLimitStore(primary, fallback, {
      timeoutMs: 50,
      retryAfterMs: 1000,
      onStateChange: (state) => changes.push(state),
      now: () => clock,
    });
  beforeEach(() => {
    clock = 0;
    changes = [];
  });

  it('answers from the fallback within timeoutMs when the primary never answers', async () => {
    const primary = new FakeStore(never);
    const fallback = new FakeStore();
    const store = build(primary, fallback);
    const { value, ms } = await timed(() => store.take([spec]));
    expect(value).toBe(FALLBACK_ANSWER);
    expect(ms).toBeLessThan(50 + 100);
    expect(store.state).toBe('fallback');
    expect(changes).toEqual(['fallback']);
  });

  it('stays on the fallback for retryAfterMs, then one request probes the primary', async () => {
    const primary = new FakeStore(() => Promise.reject(new Error('down')));
    const fallback = new FakeStore();
    const store = build(primary, fallback);
    await store.take([spec]); // fails over at once, no timeout to wait for
    expect(primary.calls).toBe(1);
    clock = 999;
    await store.take([spec]);
    expect(primary.calls).toBe(1);

    clock = 1000;
    await store.take([spec]); // probe fails: another retryAfterMs on the fallback
    expect(primary.calls).toBe(2);
    expect(changes).toEqual(['fallback']);

    const ok: TakeResult = { allowed: false, buckets: [] };
    let release!: () => void;
    primary.answer = () => new Promise((resolve) => (release = () => resolve(ok)));
    clock = 2000;
    const probe = store.take([spec]);
    const meanwhile = await store.take([spec]); // while the probe is out: fallback
    expect(meanwhile).toBe(FALLBACK_ANSWER);
    release();
    primary.answer = () => Promise.resolve(ok);
    expect(await probe).toBe(ok);
    expect(primary.calls).toBe(3);
    expect(store.state).toBe('primary');
    expect(changes).toEqual(['fallback', 'primary']);
    expect(await store.take([spec])).toBe(ok);
    expect(fallback.calls).toBe(4);
  });

  it('closes both stores', async () => {
    const primary = new FakeStore();
    const fallback = new FakeStore();
    await build(primary, fallback).close();
    expect([primary.closed, fallback.closed]).toEqual([true, true]);
  });
});

describe('FailoverRateLimitStore over a real Redis', () => {
  const TIMEOUT_MS = 250;
  let server: TestRedis;
  let fallback: FakeStore;
  let store: FailoverRateLimitStore;
  const changes: FailoverState[] = [];

  beforeAll(async () => {
    server = await startRedisServer();
    const redis = createRedisClient(server.url, {
      connectionName: 'failover-test',
      commandTimeoutMs: 200,
    });
    if (redis.status !== 'ready') await once(redis, 'ready');
    fallback = new FakeStore();
    store = new FailoverRateLimitStore(
      new RedisRateLimitStore(redis, { keyPrefix: 'test:', keyTtlSeconds: 60 }),
      fallback,
      { timeoutMs: TIMEOUT_MS, retryAfterMs: 1000, onStateChange: (state) => changes.push(state) },
    );
  });
  afterAll(async () => {
    await store.close();
    await server.stop();
  });

  it('fails over fast when Redis crashes and returns once it is back', async () => {
    for (let i = 1; i <= 3; i++) {
      const result = await store.take([spec]);
      expect(result.buckets[0]?.remaining).toBe(100 - i);
    }
    server.kill();
    // ~2.5 s of traffic: fallback answers, including the failed probes after each second
    for (let i = 0; i < 12; i++) {
      const { value, ms } = await timed(() => store.take([spec]));
      expect(ms).toBeLessThan(TIMEOUT_MS + 100);
      expect(value).toBe(FALLBACK_ANSWER);
      await sleep(200);
    }
    expect(fallback.calls).toBe(12);
    expect(store.state).toBe('fallback');
    expect(changes).toEqual(['fallback']);

    await server.restart();
    const restarted = performance.now();
    let result = FALLBACK_ANSWER;
    // reconnect backoff (≤ 1 s) + retry window (1 s); poll until Redis answers again
    while (result === FALLBACK_ANSWER && performance.now() - restarted < 3000) {
      result = await store.take([spec]);
      if (result === FALLBACK_ANSWER) await sleep(50);
    }
    expect(result.buckets[0]?.remaining).toBe(99); // a fresh server: a fresh bucket
    expect(performance.now() - restarted).toBeLessThan(2500);
    expect(store.state).toBe('primary');
    expect(changes).toEqual(['fallback', 'primary']);
  });
});
