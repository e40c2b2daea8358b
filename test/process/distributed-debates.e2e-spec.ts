import { Client } from 'pg';
import { http, waitFor } from '../support/http';
import { startTestPostgres, type TestPostgres } from '../support/postgres-server';
import { startRedisServer, type TestRedis } from '../support/redis-server';
import { spawnService, type ServiceProcess } from '../support/service-process';

jest.setTimeout(180_000);

const TASK = 'How should two regions share one write-heavy ledger without losing consistency?';

/** Two app processes on one PostgreSQL and one Redis: the BullMQ queue spreads debates over both. */
describe('debates on two app processes sharing Redis (BullMQ)', () => {
  let pg: TestPostgres;
  let redis: TestRedis;
  let databaseUrl: string;
  const nodes: ServiceProcess[] = [];

  beforeAll(async () => {
    [pg, redis] = await Promise.all([startTestPostgres('embedded'), startRedisServer()]);
    const admin = new Client({ connectionString: pg.adminUrl });
    await admin.connect();
    await admin.query('CREATE DATABASE aragora_distributed');
    await admin.end();
    databaseUrl = pg.adminUrl.replace(/\/postgres(\?|$)/, '/aragora_distributed$1');
    const env = {
      DATABASE_URL: databaseUrl,
      REDIS_URL: redis.url,
      LOG_LEVEL: 'warn',
      ARAGORA_DEMO_LATENCY_MS: '200',
      ARAGORA_MAX_CONCURRENT_DEBATES: '5',
      ARAGORA_MAX_QUEUED_DEBATES: '100',
      ARAGORA_RATE_LIMIT_ANONYMOUS: '10000',
      ARAGORA_IP_RATE_LIMIT: '10000',
      ARAGORA_RATE_LIMIT_DEBATES: '10000',
    };
    // One after the other: the first applies the migrations.
    for (let i = 0; i < 2; i++) {
      const node = await spawnService(env);
      nodes.push(node);
      await node.waitReady(60_000);
    }
  });
  afterAll(async () => {
    for (const node of nodes) {
      if (node.child.exitCode === null) {
        node.child.kill('SIGTERM');
        await node.exited;
      }
    }
    await redis?.stop();
    await pg?.stop();
  });

  it('runs each of 20 debates exactly once, never more than 5 at once per node, on both nodes', async () => {
    const peaks = [0, 0];
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        await Promise.all(
          nodes.map(async (node, i) => {
            const metrics = await http(`${node.baseUrl}/metrics`);
            const value = /^aragora_active_debates (\d+)/m.exec(metrics.text)?.[1];
            peaks[i] = Math.max(peaks[i] ?? 0, Number(value ?? 0));
          }),
        );
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    })();

    const ids: string[] = [];
    for (let i = 0; i < 20; i++) {
      const node = nodes[i % 2]!;
      const res = await http<{ id: string }>(`${node.baseUrl}/api/v1/debates`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          task: `${TASK} (${i})`,
          agents: ['demo', 'demo-analyst'],
          rounds: 1,
        }),
      });
      expect(res.status).toBe(202);
      ids.push(res.body.id);
    }
    for (const id of ids) {
      await waitFor(
        async () => {
          const res = await http<{ status: string }>(`${nodes[0]!.baseUrl}/api/v1/debates/${id}`);
          return ['completed', 'no_consensus'].includes(res.body.status) ? true : undefined;
        },
        { timeoutMs: 90_000, intervalMs: 100, what: `debate ${id}` },
      );
    }
    sampling = false;
    await sampler;

    const db = new Client({ connectionString: databaseUrl });
    await db.connect();
    try {
      const starts = await db.query<{ debate_id: string; n: string }>(
        `SELECT debate_id, count(*) AS n FROM debate_events WHERE type = 'debate_start' GROUP BY debate_id`,
      );
      expect(starts.rows).toHaveLength(20);
      expect(starts.rows.every((r) => r.n === '1')).toBe(true);
      const resumed = await db.query<{ n: string }>(
        'SELECT count(*) AS n FROM debates WHERE resume_count > 0',
      );
      expect(resumed.rows[0]?.n).toBe('0');
    } finally {
      await db.end();
    }
    expect(Math.max(...peaks)).toBeLessThanOrEqual(5);
    expect(Math.min(...peaks)).toBeGreaterThan(0);
  });
});
