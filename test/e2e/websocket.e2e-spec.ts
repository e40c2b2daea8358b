import type { Socket } from 'node:net';
import { Client as Pg } from 'pg';
import WebSocket from 'ws';
import { http, waitFor } from '../support/http';
import { parseRaw, rawExchange } from '../support/raw-http';
import { createDebate, waitForDebate } from '../support/debates';
import { bearer, createTenantWithKey, type TestKey } from '../support/tenancy';
import { startTestApp, type TestApp } from '../support/test-app';
import {
  DEBATE_EVENT_BUS,
  type BusEvent,
  type DebateEventBus,
} from '../../src/modules/debates/debate-event-bus';
import { ReadinessState } from '../../src/modules/health/readiness.state';
import { GatewayMetrics } from '../../src/modules/gateway/gateway.metrics';
import { WsGateway } from '../../src/modules/gateway/ws-gateway';

jest.setTimeout(60_000);

const TASK = 'Should a payments team adopt event sourcing for its ledger service?';
const AGENTS = ['demo', 'demo-analyst', 'demo-skeptic'];

interface Frame {
  type: string;
  [field: string]: unknown;
}
interface EventFrame extends Frame {
  debate_id: string;
  seq: number | null;
  ts: string;
  round?: number;
  agent?: string;
  data: unknown;
}
interface LogItem {
  seq: number;
  type: string;
  ts: string;
}

/** A `ws` client that records every frame and lets a test wait for the one it needs. */
class Client {
  readonly frames: Frame[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  private listeners = new Set<() => void>();

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => {
      this.frames.push(JSON.parse(data.toString()) as Frame);
      for (const listener of this.listeners) listener();
    });
    this.closed = new Promise((resolve) =>
      ws.on('close', (code, reason) => {
        resolve({ code, reason: reason.toString() });
        for (const listener of this.listeners) listener();
      }),
    );
  }

  static open(url: string, options: WebSocket.ClientOptions = {}): Promise<Client> {
    const ws = new WebSocket(url, options);
    const client = new Client(ws);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(client));
      ws.once('unexpected-response', (_req, res) =>
        reject(Object.assign(new Error(`upgrade answered ${res.statusCode}`), { res })),
      );
      ws.once('error', reject);
    });
  }

  send(message: unknown): void {
    this.ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** The first frame (from `from` on) that matches; waits for it. */
  async next(match: (f: Frame) => boolean, timeoutMs = 10_000, from = 0): Promise<Frame> {
    const find = () => this.frames.slice(from).find(match);
    const found = find();
    if (found) return found;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.listeners.delete(check);
        reject(new Error(`no matching frame within ${timeoutMs} ms; got ${this.summary()}`));
      }, timeoutMs);
      const check = () => {
        const frame = find();
        if (!frame && this.ws.readyState !== WebSocket.CLOSED) return;
        clearTimeout(timer);
        this.listeners.delete(check);
        if (frame) resolve(frame);
        else reject(new Error(`socket closed before a matching frame; got ${this.summary()}`));
      };
      this.listeners.add(check);
    });
  }

  events(debateId?: string): EventFrame[] {
    return this.frames.filter(
      (f): f is EventFrame =>
        !['hello', 'ack', 'error'].includes(f.type) &&
        (debateId === undefined || f.debate_id === debateId),
    );
  }

  durableSeqs(debateId?: string): number[] {
    return this.events(debateId).flatMap((e) => (e.seq === null ? [] : [e.seq]));
  }

  async close(): Promise<void> {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.close();
    await this.closed;
  }

  private summary(): string {
    return JSON.stringify(this.frames.slice(-3).map((f) => ({ type: f.type, seq: f.seq })));
  }
}

const wsUrl = (t: TestApp, query = '') => `${t.baseUrl.replace(/^http/, 'ws')}/ws${query}`;
const connect = (t: TestApp, key: string) => Client.open(wsUrl(t), { headers: bearer(key) });

async function eventLog(t: TestApp, key: string, id: string): Promise<LogItem[]> {
  const res = await http<{ items: LogItem[] }>(
    `${t.baseUrl}/api/v1/debates/${id}/events?limit=1000`,
    { headers: bearer(key) },
  );
  expect(res.status).toBe(200);
  return res.body.items;
}

/** The status an upgrade was refused with (the test fails if it was accepted). */
async function refusedWith(url: string, options: WebSocket.ClientOptions = {}): Promise<number> {
  try {
    const client = await Client.open(url, options);
    await client.close();
  } catch (error) {
    const res = (error as { res?: { statusCode?: number } }).res;
    if (res?.statusCode) return res.statusCode;
    throw error;
  }
  throw new Error('the upgrade was accepted');
}

/** Polls a synchronous condition (server state read in-process). */
const until = (check: () => boolean, what: string) =>
  waitFor(() => Promise.resolve(check() ? true : undefined), { timeoutMs: 10_000, what });

function rssMb(): number {
  return process.memoryUsage().rss / 1024 / 1024;
}

describe('WebSocket stream /ws', () => {
  let t: TestApp;
  let member: TestKey;
  let other: TestKey;
  const clients: Client[] = [];
  const open = async (key: string, query = '') => {
    const client = query ? await Client.open(wsUrl(t, query)) : await connect(t, key);
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    t = await startTestApp({
      ARAGORA_RATE_LIMIT: '10000',
      ARAGORA_IP_RATE_LIMIT: '10000',
      ARAGORA_RATE_LIMIT_DEBATES: '10000',
      ARAGORA_DEMO_LATENCY_MS: '50',
      ARAGORA_ALLOW_ANONYMOUS: 'false',
    });
    member = await createTenantWithKey(t, { role: 'member' });
    other = await createTenantWithKey(t, { role: 'member' });
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
  });
  afterAll(async () => {
    await t?.close();
  });

  it('greets with hello: a connection id and the limits that apply', async () => {
    const client = await open(member.key);
    const hello = await client.next((f) => f.type === 'hello');
    expect(hello).toMatchObject({
      protocol: 1,
      limits: { max_message_bytes: 65536, event_queue_size: 10000, heartbeat_ms: 30000 },
    });
    expect(hello.connection_id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('streams a whole debate: the log in seq order, token deltas live, ending with debate_end', async () => {
    const id = await createDebate(t, member.key, { task: TASK, agents: AGENTS, rounds: 2 });
    const client = await open(member.key);
    client.send({ type: 'subscribe', debate_id: id, id: 'r1' });
    const ack = await client.next((f) => f.type === 'ack');
    expect(ack).toMatchObject({ op: 'subscribe', id: 'r1', debate_id: id, after_seq: 0 });
    await client.next((f) => f.type === 'debate_end', 30_000);

    const log = await eventLog(t, member.key, id);
    expect(log.at(-1)?.type).toBe('debate_end');
    const durable = client.events(id).filter((e) => e.seq !== null);
    expect(durable.map((e) => [e.seq, e.type, e.ts])).toEqual(
      log.map((e) => [e.seq, e.type, e.ts]),
    );
    expect(durable.map((e) => e.seq)).toEqual(log.map((_, i) => i + 1));
    const deltas = client.events(id).filter((e) => e.type === 'token_delta');
    expect(deltas.length).toBeGreaterThan(0);
    expect(deltas.every((d) => d.seq === null && typeof d.agent === 'string')).toBe(true);
    // Deltas are coalesced (10 per frame by default): some frames carry several words.
    const texts = deltas.map((d) => (d.data as { text: string }).text);
    expect(texts.some((text) => text.trim().split(/\s+/).length > 1)).toBe(true);
  });

  it('loses nothing across a reconnect: both sessions together are exactly the event log', async () => {
    const id = await createDebate(t, member.key, { task: TASK, agents: AGENTS, rounds: 3 });
    const first = await open(member.key);
    first.send({ type: 'subscribe', debate_id: id });
    await first.next((f) => f.type === 'round_start', 30_000);
    await first.close();
    const seen = first.durableSeqs(id);
    const afterSeq = Math.max(...seen);
    // Let events go by while nobody listens.
    await new Promise((resolve) => setTimeout(resolve, 150));

    const second = await open(member.key);
    second.send({ type: 'subscribe', debate_id: id, after_seq: afterSeq });
    // Still running: the second session crosses the seam from replay to live.
    expect(await second.next((f) => f.type === 'ack')).toMatchObject({ status: 'running' });
    await second.next((f) => f.type === 'debate_end', 30_000);
    const resumed = second.durableSeqs(id);
    expect(resumed[0]).toBe(afterSeq + 1);

    const log = await eventLog(t, member.key, id);
    expect([...seen, ...resumed]).toEqual(log.map((e) => e.seq));
  });

  it('closes with 1009 on a frame over 64 KB, and answers one of exactly 64 KB', async () => {
    const client = await open(member.key);
    client.send('x'.repeat(65536));
    expect(await client.next((f) => f.type === 'error')).toMatchObject({ code: 'invalid_json' });
    client.send('x'.repeat(65537));
    expect((await client.closed).code).toBe(1009);
  });

  it("answers not_found for another tenant's debate, an unknown id and a malformed id", async () => {
    const foreign = await createDebate(t, other.key, { task: TASK, agents: AGENTS, rounds: 1 });
    const client = await open(member.key);
    client.send({ type: 'subscribe', debate_id: foreign, id: 1 });
    expect(await client.next((f) => f.type === 'error' && f.id === 1)).toMatchObject({
      code: 'not_found',
      debate_id: foreign,
    });
    client.send({ type: 'subscribe', debate_id: '00000000-0000-4000-8000-00000000abcd', id: 2 });
    expect(await client.next((f) => f.type === 'error' && f.id === 2)).toMatchObject({
      code: 'not_found',
    });
    client.send({ type: 'subscribe', debate_id: 'not-a-uuid', id: 3 });
    expect(await client.next((f) => f.type === 'error' && f.id === 3)).toMatchObject({
      code: 'not_found',
    });
    await waitForDebate(t, other.key, foreign);
    expect(client.events()).toEqual([]);
  });

  it('refuses the upgrade with 401 for a bad key or none, and accepts ?token=', async () => {
    expect(await refusedWith(wsUrl(t), { headers: bearer('ak_live_not-a-real-key') })).toBe(401);
    expect(await refusedWith(wsUrl(t, '?token=garbage'))).toBe(401);
    expect(await refusedWith(wsUrl(t))).toBe(401);
    const client = await open(member.key, `?token=${encodeURIComponent(member.key)}`);
    expect(await client.next((f) => f.type === 'hello')).toBeDefined();
  });

  it('answers a malformed handshake and every refusal with a problem document and a request id', async () => {
    const upgrade = (lines: string[]): string =>
      [
        `GET /ws?token=${encodeURIComponent(member.key)} HTTP/1.1`,
        'Host: x',
        'Upgrade: websocket',
        'Connection: Upgrade',
        ...lines,
        '',
        '',
      ].join('\r\n');
    const badKey = parseRaw(
      await rawExchange(
        t.baseUrl,
        upgrade(['Sec-WebSocket-Key: short', 'Sec-WebSocket-Version: 13', 'X-Request-Id: hs-1']),
      ),
    );
    expect(badKey.status).toBe(400);
    expect(badKey.headers['content-type']).toContain('application/problem+json');
    expect(badKey.headers['x-request-id']).toBe('hs-1');
    expect(badKey.body).toEqual({
      type: 'urn:aragora:problem:malformed_upgrade',
      title: 'Bad Request',
      status: 400,
      code: 'malformed_upgrade',
      detail: 'Missing or invalid Sec-WebSocket-Key header',
      request_id: 'hs-1',
    });
    const badVersion = parseRaw(
      await rawExchange(
        t.baseUrl,
        upgrade(['Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==', 'Sec-WebSocket-Version: 99']),
      ),
    );
    expect(badVersion.status).toBe(400);
    expect(badVersion.headers['sec-websocket-version']).toBe('13, 8');
    expect(badVersion.body).toMatchObject({ code: 'malformed_upgrade', status: 400 });
    // an authentication refusal carries its request id too
    const unauthorized = parseRaw(
      await rawExchange(
        t.baseUrl,
        upgrade([
          'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
          'Sec-WebSocket-Version: 13',
        ]).replace(encodeURIComponent(member.key), 'garbage'),
      ),
    );
    expect(unauthorized.status).toBe(401);
    expect(unauthorized.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(unauthorized.body).toMatchObject({
      code: 'unauthorized',
      request_id: unauthorized.headers['x-request-id'],
    });
  });

  it('ends the sockets of a revoked key: at once when revoked on this node, within seconds when revoked on another', async () => {
    const admin = await createTenantWithKey(t, { role: 'admin' });
    const created = await http<{ id: string; key: string }>(`${t.baseUrl}/api/v1/keys`, {
      method: 'POST',
      headers: { ...bearer(admin.key), 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'dashboard', role: 'viewer' }),
    });
    expect(created.status).toBe(201);
    const viewer = await open(created.body.key);
    const bystander = await open(admin.key);
    await viewer.next((f) => f.type === 'hello');

    const revokedAt = Date.now();
    const revoked = await http(`${t.baseUrl}/api/v1/keys/${created.body.id}`, {
      method: 'DELETE',
      headers: bearer(admin.key),
    });
    expect(revoked.status).toBe(204);
    expect(await viewer.closed).toEqual({ code: 1008, reason: 'API key revoked' });
    expect(Date.now() - revokedAt).toBeLessThan(1_000);
    expect(bystander.ws.readyState).toBe(WebSocket.OPEN);

    // Revoked by another node: only the database says so; the periodic check finds it.
    const db = new Pg({ connectionString: t.databaseUrl });
    await db.connect();
    try {
      await db.query('UPDATE api_keys SET revoked_at = now() WHERE id = $1', [admin.id]);
    } finally {
      await db.end();
    }
    const elsewhere = Date.now();
    expect(await bystander.closed).toEqual({ code: 1008, reason: 'API key revoked' });
    expect(Date.now() - elsewhere).toBeLessThan(6_000);
  });

  it('answers malformed JSON, unknown types and bad fields with error, and stays usable', async () => {
    const client = await open(member.key);
    client.send('{not json');
    expect(await client.next((f) => f.type === 'error')).toMatchObject({ code: 'invalid_json' });
    client.send({ type: 'dance', id: 'u' });
    expect(await client.next((f) => f.id === 'u')).toMatchObject({
      type: 'error',
      code: 'unknown_type',
    });
    client.send({ type: 'subscribe', debate_id: 42, id: 'v' });
    expect(await client.next((f) => f.id === 'v')).toMatchObject({
      type: 'error',
      code: 'invalid_message',
    });
    client.send([1, 2]);
    client.ws.send(Buffer.from('{"type":"ping"}'), { binary: true });
    client.send({ type: 'ping', id: 'p' });
    expect(await client.next((f) => f.id === 'p')).toMatchObject({ type: 'ack', op: 'ping' });
    expect(client.frames.filter((f) => f.type === 'error')).toHaveLength(5);
    expect(client.ws.readyState).toBe(WebSocket.OPEN);
  });

  it('acks unsubscribe and sends nothing more for that debate', async () => {
    const id = await createDebate(t, member.key, { task: TASK, agents: AGENTS, rounds: 2 });
    const client = await open(member.key);
    client.send({ type: 'subscribe', debate_id: id });
    await client.next((f) => f.type === 'round_start', 30_000);
    client.send({ type: 'unsubscribe', debate_id: id, id: 'u' });
    const ack = await client.next((f) => f.id === 'u');
    expect(ack).toMatchObject({ type: 'ack', op: 'unsubscribe', was_subscribed: true });
    const count = client.events(id).length;
    await waitForDebate(t, member.key, id);
    expect(client.events(id)).toHaveLength(count);
  });

  it('coalesces token deltas of one message into frames of ARAGORA_STREAM_BATCH_SIZE', async () => {
    const id = await createDebate(t, member.key, { task: TASK, agents: AGENTS, rounds: 1 });
    await waitForDebate(t, member.key, id);
    const client = await open(member.key);
    client.send({ type: 'subscribe', debate_id: id });
    await client.next((f) => f.type === 'debate_end');
    const bus = t.app.get<DebateEventBus>(DEBATE_EVENT_BUS);
    const delta = (i: number): BusEvent => ({
      debateId: id,
      tenantId: member.tenantId,
      type: 'token_delta',
      seq: null,
      ts: Date.now(),
      round: 1,
      agent: 'demo',
      data: { messageId: 'r1:proposal:demo', kind: 'proposal', text: `w${i} ` },
    });
    bus.publish(Array.from({ length: 25 }, (_, i) => delta(i)));
    const last = await client.next((f) =>
      String((f.data as { text?: string })?.text).includes('w24'),
    );
    const frames = client.events(id).filter((e) => e.type === 'token_delta');
    expect(frames.map((f) => (f.data as { text: string }).text.trim().split(' ').length)).toEqual([
      10, 10, 5,
    ]);
    expect(last.seq).toBeNull();
  });

  it('paces a long replay to a client that reads slowly instead of cutting it', async () => {
    const id = await createDebate(t, member.key, { task: TASK, agents: AGENTS, rounds: 1 });
    const ended = await waitForDebate<{ last_seq: number }>(t, member.key, id);
    // 12 MB of log after the debate's own events: three times the queue's byte bound.
    const db = new Pg({ connectionString: t.databaseUrl });
    await db.connect();
    await db.query(
      `INSERT INTO debate_events (debate_id, seq, tenant_id, type, round, agent, data, ts, prev_hash, hash)
       SELECT $1, $2 + n, $3, 'agent_message', 1, 'demo', jsonb_build_object('text', repeat('y', 4000)),
              now(), 'x', 'x'
         FROM generate_series(1, 3000) AS n`,
      [id, ended.last_seq, member.tenantId],
    );
    await db.end();
    const last = ended.last_seq + 3000;
    const client = await open(member.key);
    const socket = (client.ws as unknown as { _socket: Socket })._socket;
    client.send({ type: 'subscribe', debate_id: id });
    await client.next((f) => f.type === 'ack');
    socket.pause(); // a slow reader: a second without reading, under the 2 s stall bound
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    socket.resume();
    await client.next((f) => f.seq === last, 30_000);
    expect(client.durableSeqs(id)).toEqual(Array.from({ length: last }, (_, i) => i + 1));
    expect(client.ws.readyState).toBe(WebSocket.OPEN);
  });

  it('cuts a client that stops reading with 1013 while memory stays bounded', async () => {
    const id = await createDebate(t, member.key, { task: TASK, agents: AGENTS, rounds: 1 });
    await waitForDebate(t, member.key, id);
    const client = await open(member.key);
    client.send({ type: 'subscribe', debate_id: id });
    await client.next((f) => f.type === 'debate_end');
    const gateway = t.app.get(WsGateway);
    const metrics = t.app.get(GatewayMetrics);
    const droppedBefore = metrics.slowConsumersDropped;
    const socket = (client.ws as unknown as { _socket: Socket })._socket;
    socket.pause();

    // 4,000 events of 32 KB: 128 MB if the server buffered them for this client.
    const bus = t.app.get<DebateEventBus>(DEBATE_EVENT_BUS);
    const payload = 'x'.repeat(32 * 1024);
    global.gc?.();
    const before = rssMb();
    let peak = before;
    for (let batch = 0; batch < 40; batch++) {
      bus.publish(
        Array.from({ length: 100 }, () => ({
          debateId: id,
          tenantId: member.tenantId,
          type: 'agent_message',
          seq: null,
          ts: Date.now(),
          round: 1,
          agent: 'demo',
          data: { text: payload },
        })),
      );
      await new Promise((resolve) => setTimeout(resolve, 5));
      peak = Math.max(peak, rssMb());
    }
    await until(() => metrics.slowConsumersDropped > droppedBefore, 'the slow consumer to be cut');
    expect(peak - before).toBeLessThan(64);
    socket.resume();
    expect((await client.closed).code).toBe(1013);
    await until(() => gateway.connectionCount === 0, 'the connection to be gone');
  });

  it('rate-limits messages per connection, then closes a flooding client with 1008', async () => {
    const client = await open(member.key);
    for (let i = 0; i < 45; i++) client.send({ type: 'ping', id: i });
    const limited = await client.next((f) => f.type === 'error' && f.code === 'rate_limited');
    expect(limited.message).toMatch(/20 messages per second/);
    expect(client.frames.filter((f) => f.type === 'ack')).toHaveLength(40);
    for (let i = 0; i < 30; i++) client.send({ type: 'ping' });
    expect((await client.closed).code).toBe(1008);
  });

  it('counts connections in /api/v1/health and /metrics', async () => {
    const a = await open(member.key);
    const b = await open(other.key);
    await Promise.all([a.next((f) => f.type === 'hello'), b.next((f) => f.type === 'hello')]);
    const health = await waitFor(async () => {
      const res = await http<{ websocket_connections: number }>(`${t.baseUrl}/api/v1/health`);
      return res.body.websocket_connections === 2 ? res : undefined;
    });
    expect(health.status).toBe(200);
    const metrics = await http(`${t.baseUrl}/metrics`);
    expect(metrics.text).toMatch(/^aragora_ws_connections 2$/m);
    expect(metrics.text).toMatch(/^aragora_ws_messages_sent_total \d+$/m);
    expect(metrics.text).toMatch(/^aragora_ws_dropped_slow_consumers_total [1-9]\d*$/m);
    expect(metrics.text).toMatch(/^aragora_ws_delivery_seconds_count [1-9]\d*$/m);
  });
});

describe('WebSocket limits, heartbeat and shutdown', () => {
  let t: TestApp;
  let key: TestKey;

  beforeAll(async () => {
    t = await startTestApp(
      { ARAGORA_ALLOW_ANONYMOUS: 'true' },
      {
        // Below the env ranges (seconds): a heartbeat the test can wait for.
        configure: (config) => ({
          ...config,
          websocket: {
            ...config.websocket,
            heartbeatMs: 200,
            pingTimeoutMs: 300,
            maxConnections: 3,
          },
        }),
      },
    );
    key = await createTenantWithKey(t, { role: 'viewer' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('refuses connections over ARAGORA_WS_MAX_CONNECTIONS with 503 and Retry-After', async () => {
    const held = await Promise.all([0, 1, 2].map(() => connect(t, key.key)));
    let status = 0;
    let retryAfter: string | undefined;
    try {
      await Client.open(wsUrl(t), { headers: bearer(key.key) });
    } catch (error) {
      const res = (error as { res: { statusCode: number; headers: Record<string, string> } }).res;
      status = res.statusCode;
      retryAfter = res.headers['retry-after'];
    }
    expect(status).toBe(503);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    await held[0]?.close();
    await until(() => t.app.get(WsGateway).connectionCount === 2, 'the closed socket to be gone');
    const again = await connect(t, key.key);
    await Promise.all([again, ...held.slice(1)].map((c) => c.close()));
  });

  it('lets an anonymous client in while ARAGORA_ALLOW_ANONYMOUS is on (public tenant)', async () => {
    const client = await Client.open(wsUrl(t));
    expect(await client.next((f) => f.type === 'hello')).toBeDefined();
    const id = '00000000-0000-4000-8000-00000000abcd';
    client.send({ type: 'subscribe', debate_id: id });
    expect(await client.next((f) => f.type === 'error')).toMatchObject({ code: 'not_found' });
    await client.close();
  });

  it('drops a peer that stops answering pings, and keeps one that answers', async () => {
    const dead = await Client.open(wsUrl(t), { headers: bearer(key.key), autoPong: false });
    const alive = await connect(t, key.key);
    const { code } = await dead.closed;
    expect(code).toBe(1006); // terminated: no close frame
    expect(alive.ws.readyState).toBe(WebSocket.OPEN);
    await alive.close();
  });

  it('refuses new sockets with 503 while draining, then closes open ones with 1001', async () => {
    const client = await connect(t, key.key);
    await client.next((f) => f.type === 'hello');
    t.app.get(ReadinessState).markDraining();
    expect(await refusedWith(wsUrl(t), { headers: bearer(key.key) })).toBe(503);
    expect(client.ws.readyState).toBe(WebSocket.OPEN);
    await t.close();
    expect((await client.closed).code).toBe(1001);
  });
});
