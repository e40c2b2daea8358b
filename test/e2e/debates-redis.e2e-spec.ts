import { http, waitFor } from '../support/http';
import { createDebate, jsonPost, waitForDebate } from '../support/debates';
import { bearer, createTenantWithKey, type TestKey } from '../support/tenancy';
import { startRedisServer, type TestRedis } from '../support/redis-server';
import { startTestApp, type TestApp } from '../support/test-app';

const TASK = 'Should incident reviews be blameless by policy or by practice?';

describe('debates queued on BullMQ (REDIS_URL)', () => {
  let redis: TestRedis;
  let t: TestApp;
  let admin: TestKey;
  beforeAll(async () => {
    redis = await startRedisServer();
    t = await startTestApp({
      REDIS_URL: redis.url,
      ARAGORA_DEMO_LATENCY_MS: '0',
      ARAGORA_RATE_LIMIT: '10000',
      ARAGORA_IP_RATE_LIMIT: '10000',
      ARAGORA_RATE_LIMIT_DEBATES: '10000',
    });
    admin = await createTenantWithKey(t, { role: 'admin' });
  });
  afterAll(async () => {
    await t.close();
    await redis.stop();
  });

  it('runs a debate through the Redis queue', async () => {
    const id = await createDebate(t, admin.key, {
      task: TASK,
      agents: ['demo', 'demo-skeptic'],
      rounds: 1,
    });
    const debate = await waitForDebate(t, admin.key, id);
    expect(['completed', 'no_consensus']).toContain(debate.status);
  });

  it('answers 503 with Retry-After while the queue is unreachable, and keeps nothing half-created', async () => {
    redis.kill();
    const body = { task: TASK, agents: ['demo', 'demo-skeptic'], rounds: 1 };
    const refused = await waitFor(
      async () => {
        const res = await http<{ status: number }>(
          `${t.baseUrl}/api/v1/debates`,
          jsonPost(admin.key, body),
        );
        return res.status === 503 ? res : undefined;
      },
      { timeoutMs: 10_000, what: 'a 503 from create' },
    );
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused.text).not.toMatch(/ECONNREFUSED|Connection is closed|\bat .+:\d+/);
    const list = await http<{ items: { status: string }[] }>(
      `${t.baseUrl}/api/v1/debates?status=queued`,
      { headers: bearer(admin.key) },
    );
    expect(list.body.items).toEqual([]);

    await redis.restart();
    const id = await waitFor(
      async () => {
        const res = await http<{ id: string }>(
          `${t.baseUrl}/api/v1/debates`,
          jsonPost(admin.key, body),
        );
        return res.status === 202 ? res.body.id : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 250, what: 'create to work again' },
    );
    const debate = await waitForDebate(t, admin.key, id, undefined, 30_000);
    expect(['completed', 'no_consensus']).toContain(debate.status);
  }, 60_000);
});
