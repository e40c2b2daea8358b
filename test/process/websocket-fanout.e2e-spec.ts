import { Client as Pg } from 'pg';
import WebSocket from 'ws';
import { http, waitFor } from '../support/http';
import { startTestPostgres, type TestPostgres } from '../support/postgres-server';
import { startRedisServer, type TestRedis } from '../support/redis-server';
import { spawnService, type ServiceProcess } from '../support/service-process';

jest.setTimeout(180_000);

const TASK = 'Which consistency model should a multi-region ledger choose for transfers?';

interface Frame {
  type: string;
  seq?: number | null;
  debate_id?: string;
  status?: string;
}

/** A raw `ws` client recording every frame. */
function subscriber(url: string) {
  const ws = new WebSocket(url);
  const frames: Frame[] = [];
  ws.on('message', (data: Buffer) => frames.push(JSON.parse(data.toString()) as Frame));
  const opened = new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
  const until = (match: (f: Frame) => boolean, what: string, timeoutMs = 60_000) =>
    waitFor(() => Promise.resolve(frames.find(match)), { timeoutMs, intervalMs: 20, what });
  return { ws, frames, opened, closed, until };
}

const debatesEnded = async (node: ServiceProcess): Promise<number> => {
  const metrics = await http(`${node.baseUrl}/metrics`);
  return [...metrics.text.matchAll(/^aragora_debates_total\{[^}]*\} (\d+)/gm)].reduce(
    (sum, m) => sum + Number(m[1]),
    0,
  );
};

async function createDebate(node: ServiceProcess, rounds: number): Promise<string> {
  const res = await http<{ id: string }>(`${node.baseUrl}/api/v1/debates`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ task: TASK, agents: ['demo', 'demo-analyst', 'demo-skeptic'], rounds }),
  });
  expect(res.status).toBe(202);
  return res.body.id;
}

const status = async (node: ServiceProcess, id: string) =>
  (await http<{ status: string }>(`${node.baseUrl}/api/v1/debates/${id}`)).body.status;

/**
 * Two app processes on one PostgreSQL and one Redis. Node A's single debate slot is held by a
 * slow debate, so the debate under test runs on node B; a client connected to A must still get
 * every event of it, live (token deltas are never in the log: they can only come over Redis).
 */
describe('WebSocket fan-out across two app processes (Redis pub/sub)', () => {
  let pg: TestPostgres;
  let redis: TestRedis;
  let a: ServiceProcess;
  let b: ServiceProcess;

  beforeAll(async () => {
    [pg, redis] = await Promise.all([startTestPostgres('embedded'), startRedisServer()]);
    const admin = new Pg({ connectionString: pg.adminUrl });
    await admin.connect();
    await admin.query('CREATE DATABASE aragora_ws_fanout');
    await admin.end();
    const common = {
      DATABASE_URL: pg.adminUrl.replace(/\/postgres(\?|$)/, '/aragora_ws_fanout$1'),
      REDIS_URL: redis.url,
      LOG_LEVEL: 'warn',
      ARAGORA_RATE_LIMIT_ANONYMOUS: '10000',
      ARAGORA_IP_RATE_LIMIT: '10000',
      ARAGORA_RATE_LIMIT_DEBATES: '10000',
    };
    a = await spawnService({
      ...common,
      ARAGORA_MAX_CONCURRENT_DEBATES: '1',
      ARAGORA_DEMO_LATENCY_MS: '1500',
      ARAGORA_SHUTDOWN_DRAIN_DELAY: '1',
    });
    await a.waitReady(60_000);
    b = await spawnService({
      ...common,
      ARAGORA_MAX_CONCURRENT_DEBATES: '5',
      ARAGORA_DEMO_LATENCY_MS: '30',
    });
    await b.waitReady(60_000);
  });
  afterAll(async () => {
    for (const node of [a, b]) {
      if (node && node.child.exitCode === null) {
        node.child.kill('SIGTERM');
        await node.exited;
      }
    }
    await redis?.stop();
    await pg?.stop();
  });

  it('streams a debate running on B to a client on A, then closes it with 1001 on SIGTERM', async () => {
    // A's only slot: a slow debate, claimed by A before anything else exists.
    const slow = await createDebate(a, 3);
    await waitFor(async () => ((await status(a, slow)) === 'running' ? true : undefined), {
      what: 'the slow debate to run',
    });

    const client = subscriber(`ws://127.0.0.1:${a.port}/ws`);
    await client.opened;
    const id = await createDebate(b, 2);
    client.ws.send(JSON.stringify({ type: 'subscribe', debate_id: id }));
    const ack = await client.until((f) => f.type === 'ack', 'the subscribe ack');
    expect(['queued', 'running']).toContain(ack.status);
    await client.until((f) => f.type === 'debate_end' && f.debate_id === id, 'debate_end on A');

    // It ran on B: B ended one debate, A none (its slot is still busy with the slow one).
    // (counted just after debate_end is published)
    await waitFor(async () => ((await debatesEnded(b)) === 1 ? true : undefined), {
      what: 'B to count the debate it ran',
    });
    expect(await debatesEnded(a)).toBe(0);
    expect(await status(a, slow)).toBe('running');

    const log = await http<{ items: { seq: number; type: string }[] }>(
      `${a.baseUrl}/api/v1/debates/${id}/events?limit=1000`,
    );
    const durable = client.frames.filter((f) => f.debate_id === id && typeof f.seq === 'number');
    expect(durable.map((f) => [f.seq, f.type])).toEqual(log.body.items.map((e) => [e.seq, e.type]));
    const deltas = client.frames.filter((f) => f.type === 'token_delta' && f.debate_id === id);
    expect(deltas.length).toBeGreaterThan(0);

    // SIGTERM: readiness first, new sockets refused while draining, open ones closed with 1001.
    a.child.kill('SIGTERM');
    await waitFor(
      async () => ((await http(`${a.baseUrl}/readyz`)).status === 503 ? true : undefined),
      {
        intervalMs: 20,
        what: 'A to report draining',
      },
    );
    const late = new WebSocket(`ws://127.0.0.1:${a.port}/ws`);
    const refused = await new Promise<number>((resolve) => {
      late.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      late.once('open', () => resolve(101));
      late.once('error', () => resolve(-1));
    });
    expect(refused).toBe(503);
    expect(await client.closed).toBe(1001);
    expect(await a.exited).toBe(0);
  });
});
