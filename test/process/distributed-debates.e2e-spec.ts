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
      // long enough that only the event bus can refresh a cached view within the test
      ARAGORA_DEBATE_VIEW_CACHE_TTL: '3600',
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

  it("drops a node's cached view of a debate when another node changes it", async () => {
    const [a, b] = [nodes[0]!, nodes[1]!];
    const created = await http<{ id: string }>(`${a.baseUrl}/api/v1/debates`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ task: TASK, agents: ['demo', 'demo-analyst'], rounds: 1 }),
    });
    expect(created.status).toBe(202);
    const url = `${a.baseUrl}/api/v1/debates/${created.body.id}`;
    await waitFor(
      async () => {
        const res = await http<{ status: string }>(url);
        return ['completed', 'no_consensus'].includes(res.body.status) ? true : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 50, what: 'the debate to end' },
    );
    const hits = async () => {
      const metrics = await http(`${a.baseUrl}/metrics`);
      return Number(
        /^aragora_debate_view_cache_total\{view="debate",result="hit"\} (\d+)/m.exec(
          metrics.text,
        )?.[1] ?? 0,
      );
    };
    // The row reads "completed" before the runner's debate_end reaches A over Redis (it drops
    // A's entry): wait until A answers from its cache, i.e. the last event has arrived.
    await waitFor(
      async () => {
        const before = await hits();
        const cached = await http<{ human_votes: unknown[] }>(url);
        expect(cached.body.human_votes).toEqual([]);
        return (await hits()) === before + 1 ? true : undefined;
      },
      { timeoutMs: 5_000, intervalMs: 50, what: 'A to answer the ended debate from its cache' },
    );

    const vote = await http(`${b.baseUrl}/api/v1/debates/${created.body.id}/votes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ choice: 'demo', intensity: 4 }),
    });
    expect(vote.status).toBe(201);
    // B's vote_cast reaches A over Redis and drops A's copy (the TTL is an hour)
    const seen = await waitFor(
      async () => {
        const res = await http<{ human_votes: { choice: string }[] }>(url);
        return res.body.human_votes.length > 0 ? res.body.human_votes : undefined;
      },
      { timeoutMs: 2_000, intervalMs: 10, what: "B's vote on A" },
    );
    expect(seen).toEqual([expect.objectContaining({ choice: 'demo', intensity: 4 })]);
  });
});
