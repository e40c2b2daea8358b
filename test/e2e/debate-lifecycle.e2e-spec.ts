import { http, waitFor } from '../support/http';
import {
  DEBATE_EVENT_BUS,
  type BusEvent,
  type DebateEventBus,
} from '../../src/modules/debates/debate-event-bus';
import { createDebate, getDebate, jsonPost, waitForDebate } from '../support/debates';
import { bearer, createTenantWithKey, type TestKey } from '../support/tenancy';
import { startTestApp, type TestApp } from '../support/test-app';
import { startFakeLlmServer, type FakeLlmServer } from '../fake-llm/fake-llm-server';

const TASK = 'Which database should back the audit trail of a regulated bank?';

interface DebateView {
  status: string;
  status_reason: string | null;
  consensus: { reached: boolean; confidence: number } | null;
  agent_failures: { participant: string; kind: string; reason: string }[];
  rounds: { round: number; messages: { kind: string }[] }[];
  rounds_completed: number | null;
  timings: { started_at: string | null; finished_at: string | null };
}

/** Most intervals open at one instant. */
function maxOverlap(intervals: readonly [number, number][]): number {
  const points = intervals.flatMap(([s, e]) => [[s, 1] as const, [e, -1] as const]);
  points.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let open = 0;
  let max = 0;
  for (const [, delta] of points) max = Math.max(max, (open += delta));
  return max;
}

describe('debate lifecycle: timeouts, cancels, failures, queueing', () => {
  let fake: FakeLlmServer;
  let t: TestApp;
  let admin: TestKey;
  beforeAll(async () => {
    fake = await startFakeLlmServer();
    t = await startTestApp(
      {
        ARAGORA_RATE_LIMIT: '10000',
        ARAGORA_IP_RATE_LIMIT: '10000',
        ARAGORA_RATE_LIMIT_DEBATES: '10000',
        ARAGORA_DEMO_LATENCY_MS: '250',
        ARAGORA_MAX_CONCURRENT_DEBATES: '5',
        ARAGORA_MAX_QUEUED_DEBATES: '15',
        OPENAI_COMPATIBLE_BASE_URL: fake.openaiBaseUrl,
        ARAGORA_INTER_REQUEST_DELAY: '0',
      },
      // heartbeats every 100 ms (the production range starts at 5 s)
      { configure: (c) => ({ ...c, debates: { ...c.debates, heartbeatMs: 100 } }) },
    );
    admin = await createTenantWithKey(t, { role: 'admin' });
  });
  afterAll(async () => {
    await t.close();
    await fake.close();
  });

  it('ends timed_out at the debate timeout, keeping every completed round', async () => {
    // Slow agents, and a debate timeout of seconds (below the production range of 30 s+).
    const slow = await startTestApp(
      { ARAGORA_DEMO_LATENCY_MS: '500' },
      { configure: (c) => ({ ...c, debates: { ...c.debates, timeoutMs: 1_500 } }) },
    );
    try {
      await timesOut(slow, await createTenantWithKey(slow, { role: 'admin' }));
    } finally {
      await slow.close();
    }
  });

  async function timesOut(t: TestApp, admin: TestKey): Promise<void> {
    const id = await createDebate(t, admin.key, {
      task: TASK,
      agents: ['demo', 'demo-analyst', 'demo-skeptic'],
      rounds: 9,
    });
    const debate = await waitForDebate<DebateView>(t, admin.key, id);
    expect(debate.status).toBe('timed_out');
    expect(debate.status_reason).toBe('debate_timeout');
    const took = Date.parse(debate.timings.finished_at!) - Date.parse(debate.timings.started_at!);
    expect(took).toBeGreaterThanOrEqual(1_400);
    expect(took).toBeLessThan(3_000);
    expect(debate.rounds[0]?.messages.filter((m) => m.kind === 'proposal')).toHaveLength(3);
    const events = await http<{ items: { seq: number; type: string }[] }>(
      `${t.baseUrl}/api/v1/debates/${id}/events`,
      { headers: bearer(admin.key) },
    );
    expect(events.body.items.at(-1)?.type).toBe('debate_end');
    expect(events.body.items.map((e) => e.seq)).toEqual(events.body.items.map((_, i) => i + 1));
    // every round that completed before the timeout is kept whole, and only those
    const revised = debate.rounds.filter((r) => r.messages.some((m) => m.kind === 'revision'));
    expect(revised).toHaveLength(debate.rounds_completed ?? -1);
  }

  it('cancels a running debate, which said it was alive until then', async () => {
    const heartbeats: BusEvent[] = [];
    const unsubscribe = t.app
      .get<DebateEventBus>(DEBATE_EVENT_BUS)
      .subscribe((e) => void (e.type === 'heartbeat' && heartbeats.push(e)));
    const id = await createDebate(t, admin.key, {
      task: TASK,
      agents: ['demo', 'demo-analyst'],
      rounds: 9,
    });
    await waitForDebate(t, admin.key, id, ['running']);
    await waitFor(
      () => Promise.resolve(heartbeats.some((e) => e.debateId === id) ? true : undefined),
      { what: 'a heartbeat' },
    );
    unsubscribe();
    expect(heartbeats.find((e) => e.debateId === id)).toMatchObject({
      seq: null,
      tenantId: admin.tenantId,
    });
    const res = await http<{ status: string }>(
      `${t.baseUrl}/api/v1/debates/${id}/cancel`,
      jsonPost(admin.key, {}),
    );
    expect(res.status).toBe(202);
    const debate = await waitForDebate<DebateView>(t, admin.key, id);
    expect(debate.status).toBe('cancelled');
    const again = await http(`${t.baseUrl}/api/v1/debates/${id}/cancel`, jsonPost(admin.key, {}));
    expect(again.status).toBe(409);
  });

  it('counts a human vote cast while the debate runs', async () => {
    const id = await createDebate(t, admin.key, {
      task: TASK,
      agents: ['demo', 'demo-analyst'],
      rounds: 9,
    });
    await waitForDebate(t, admin.key, id, ['running']);
    const vote = await http<{ choice: string; intensity: number; counted: boolean }>(
      `${t.baseUrl}/api/v1/debates/${id}/votes`,
      jsonPost(admin.key, { choice: 'demo-analyst', intensity: 7 }),
    );
    expect(vote.status).toBe(201);
    expect(vote.body).toMatchObject({ choice: 'demo-analyst', intensity: 7, counted: true });
    await http(`${t.baseUrl}/api/v1/debates/${id}/cancel`, jsonPost(admin.key, {}));
    const debate = await waitForDebate<{ human_votes: { counted: boolean }[] }>(t, admin.key, id);
    expect(debate.human_votes).toEqual([expect.objectContaining({ counted: true })]);
  });

  it('reports a running debate in /api/v1/health active_debates, and none once it ended', async () => {
    const activeDebates = async () =>
      (await http<{ active_debates: number }>(`${t.baseUrl}/api/v1/health`)).body.active_debates;
    const id = await createDebate(t, admin.key, {
      task: TASK,
      agents: ['demo', 'demo-analyst'],
      rounds: 1,
    });
    await waitForDebate(t, admin.key, id, ['running']);
    await waitFor(async () => ((await activeDebates()) >= 1 ? true : undefined), {
      what: 'health to count the running debate',
    });
    await waitForDebate(t, admin.key, id);
    await waitFor(async () => ((await activeDebates()) === 0 ? true : undefined), {
      what: 'health to count no running debate',
    });
  });

  it('fails with insufficient participation when most agents fail, confidence 0', async () => {
    fake.reset();
    fake.setDefault({ status: 400 });
    for (const name of ['flaky-1', 'flaky-2', 'flaky-3']) {
      const res = await http(
        `${t.baseUrl}/api/v1/agents`,
        jsonPost(admin.key, { name, provider: 'openai-compatible', model: `m-${name}` }),
      );
      expect(res.status).toBe(201);
    }
    const id = await createDebate(t, admin.key, {
      task: TASK,
      agents: ['demo', 'flaky-1', 'flaky-2', 'flaky-3'],
      rounds: 2,
    });
    const debate = await waitForDebate<DebateView>(t, admin.key, id);
    expect(debate.status).toBe('failed');
    expect(debate.status_reason).toBe('insufficient_participation');
    expect(debate.consensus?.confidence ?? 0).toBe(0);
    expect(debate.agent_failures.map((f) => f.participant).sort()).toEqual([
      'flaky-1',
      'flaky-2',
      'flaky-3',
    ]);
  });

  it('runs at most 5 at once, queues the rest, sheds load with 503 past the queue limit', async () => {
    const tenant = await createTenantWithKey(t, { role: 'admin' });
    const body = { task: TASK, agents: ['demo', 'demo-analyst'], rounds: 1 };
    const ids: string[] = [];
    const positions: number[] = [];
    for (let i = 0; i < 20; i++) {
      const res = await http<{ id: string; position_in_queue?: number }>(
        `${t.baseUrl}/api/v1/debates`,
        jsonPost(tenant.key, body),
      );
      expect(res.status).toBe(202);
      ids.push(res.body.id);
      if (res.body.position_in_queue !== undefined) positions.push(res.body.position_in_queue);
    }
    expect(positions.length).toBeGreaterThan(0);
    const shed = await http<{ status: number }>(
      `${t.baseUrl}/api/v1/debates`,
      jsonPost(tenant.key, body),
    );
    expect(shed.status).toBe(503);
    expect(Number(shed.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(shed.headers.get('content-type')).toContain('application/problem+json');

    const done = await Promise.all(
      ids.map((id) => waitForDebate<DebateView>(t, tenant.key, id, undefined, 60_000)),
    );
    expect(
      done.map((d) => d.status).filter((s) => s !== 'completed' && s !== 'no_consensus'),
    ).toEqual([]);
    const intervals = done.map((d): [number, number] => [
      Date.parse(d.timings.started_at!),
      Date.parse(d.timings.finished_at!),
    ]);
    expect(maxOverlap(intervals)).toBeLessThanOrEqual(5);
    expect(maxOverlap(intervals)).toBeGreaterThanOrEqual(2);
  }, 90_000);

  it('cancels a queued debate at once', async () => {
    const tenant = await createTenantWithKey(t, { role: 'admin' });
    const body = { task: TASK, agents: ['demo', 'demo-analyst'], rounds: 3 };
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) ids.push(await createDebate(t, tenant.key, body));
    const last = ids.at(-1)!;
    expect((await getDebate(t, tenant.key, last)).status).toBe('queued');
    const res = await http<{ status: string }>(
      `${t.baseUrl}/api/v1/debates/${last}/cancel`,
      jsonPost(tenant.key, {}),
    );
    expect(res.body.status).toBe('cancelled');
    expect((await getDebate(t, tenant.key, last)).status).toBe('cancelled');
    for (const id of ids.slice(0, -1))
      await http(`${t.baseUrl}/api/v1/debates/${id}/cancel`, jsonPost(tenant.key, {}));
  });

  it('runs at most ARAGORA_MAX_CONCURRENT_BRANCHES (3) forks of one debate at once', async () => {
    const parent = await createDebate(t, admin.key, {
      task: TASK,
      agents: ['demo', 'demo-analyst'],
      rounds: 1,
    });
    await waitForDebate(t, admin.key, parent);
    const forks: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await http<{ id: string }>(
        `${t.baseUrl}/api/v1/debates/${parent}/fork`,
        jsonPost(admin.key, { from_round: 0 }),
      );
      expect(res.status).toBe(202);
      forks.push(res.body.id);
    }
    const fourth = await http<{ detail: string }>(
      `${t.baseUrl}/api/v1/debates/${parent}/fork`,
      jsonPost(admin.key, { from_round: 0 }),
    );
    expect(fourth.status).toBe(409);
    expect(fourth.body.detail).toContain('ARAGORA_MAX_CONCURRENT_BRANCHES');
    for (const id of forks) await waitForDebate(t, admin.key, id);
    const later = await http(
      `${t.baseUrl}/api/v1/debates/${parent}/fork`,
      jsonPost(admin.key, { from_round: 0 }),
    );
    expect(later.status).toBe(202);
  }, 30_000);
});
