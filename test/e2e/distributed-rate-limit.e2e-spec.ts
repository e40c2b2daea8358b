import { createTestDatabase, dropTestDatabase } from '../support/database';
import { http, waitFor } from '../support/http';
import { startRedisServer, type TestRedis } from '../support/redis-server';
import { bearer, createTenantWithKey } from '../support/tenancy';
import { startTestApp, type TestApp } from '../support/test-app';

jest.setTimeout(60_000);

/** Alternates requests between the two instances; returns how many were admitted. */
async function alternate(
  apps: TestApp[],
  count: number,
  key: string,
): Promise<{ allowed: number; statuses: number[]; slowestMs: number }> {
  const statuses: number[] = [];
  let slowestMs = 0;
  for (let i = 0; i < count; i++) {
    const app = apps[i % apps.length] as TestApp;
    const started = Date.now();
    const res = await fetch(`${app.baseUrl}/api/v1/me`, { headers: bearer(key) });
    await res.arrayBuffer();
    slowestMs = Math.max(slowestMs, Date.now() - started);
    statuses.push(res.status);
  }
  return { allowed: statuses.filter((s) => s === 200).length, statuses, slowestMs };
}

describe('rate limits shared by two instances through Redis', () => {
  let redis: TestRedis;
  let databaseUrl: string;
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    redis = await startRedisServer();
    databaseUrl = await createTestDatabase();
    // 6/min per key, burst 2: a budget of 12 that refills one token every 10 s
    const env = { DATABASE_URL: databaseUrl, REDIS_URL: redis.url, ARAGORA_RATE_LIMIT: '6' };
    a = await startTestApp(env);
    b = await startTestApp(env);
  });
  afterAll(async () => {
    await a.close();
    await b.close();
    await redis.stop();
    await dropTestDatabase(databaseUrl);
  });

  it('gives two instances the budget of one', async () => {
    const key = await createTenantWithKey(a, { tier: 'authenticated', role: 'member' });
    const { allowed } = await alternate([a, b], 40, key.key);
    expect(allowed).toBeGreaterThanOrEqual(12);
    expect(allowed).toBeLessThanOrEqual(13);
    expect((await http(`${a.baseUrl}/api/v1/health`)).body).toMatchObject({ redis: 'connected' });
  });

  it('reports Redis down in /api/v1/health without any traffic, and up again', async () => {
    redis.kill();
    await waitFor(
      async () => {
        const res = await http<{ redis: string }>(`${a.baseUrl}/api/v1/health`);
        return res.body.redis === 'disconnected' ? true : undefined;
      },
      { timeoutMs: 6_000, intervalMs: 200, what: 'health to report Redis down' },
    );
    await redis.restart();
    await waitFor(
      async () => {
        const res = await http<{ redis: string }>(`${a.baseUrl}/api/v1/health`);
        return res.body.redis === 'connected' ? true : undefined;
      },
      { timeoutMs: 8_000, intervalMs: 200, what: 'health to report Redis back' },
    );
  });

  it('keeps answering while Redis is down, then shares the budget again once it is back', async () => {
    const before = await createTenantWithKey(a, { tier: 'authenticated', role: 'member' });
    redis.kill();
    const during = await alternate([a, b], 60, before.key);
    expect(during.statuses.every((s) => s === 200 || s === 429)).toBe(true);
    expect(during.slowestMs).toBeLessThan(1000);
    // each instance now limits on its own buckets
    expect(during.allowed).toBeGreaterThanOrEqual(12);
    expect(during.allowed).toBeLessThanOrEqual(26);
    expect((await http(`${a.baseUrl}/api/v1/health`)).body).toMatchObject({
      redis: 'disconnected',
    });
    const metrics = await http<string>(`${b.baseUrl}/metrics`);
    expect(metrics.text).toMatch(/^aragora_rate_limit_fallback 1$/m);

    await redis.restart();
    const after = await createTenantWithKey(a, { tier: 'authenticated', role: 'member' });
    await waitFor(
      async () => {
        await alternate([a, b], 2, after.key);
        const health = await Promise.all(
          [a, b].map((app) => http<{ redis: string }>(`${app.baseUrl}/api/v1/health`)),
        );
        return health.every((h) => h.body.redis === 'connected') ? true : undefined;
      },
      { timeoutMs: 10_000, intervalMs: 300, what: 'both instances back on Redis' },
    );
    const fresh = await createTenantWithKey(a, { tier: 'authenticated', role: 'member' });
    const shared = await alternate([a, b], 40, fresh.key);
    expect(shared.allowed).toBeGreaterThanOrEqual(12);
    expect(shared.allowed).toBeLessThanOrEqual(13);
  });
});
