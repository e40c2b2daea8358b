import { http } from '../support/http';
import { createDebate, getDebate, jsonPost, TERMINAL, waitForDebate } from '../support/debates';
import { bearer, createTenantWithKey, type TestKey } from '../support/tenancy';
import { startTestApp, type TestApp } from '../support/test-app';
import {
  DEBATE_EVENT_BUS,
  type BusEvent,
  type DebateEventBus,
} from '../../src/modules/debates/debate-event-bus';

jest.setTimeout(60_000);

const TASK = 'Should the platform team own the CI runners or rent them?';

interface View {
  status: string;
  last_seq: number;
  consensus: unknown;
  human_votes: { choice: string; counted: boolean }[];
}
interface Page {
  items: { id: string; status: string }[];
  next_cursor: string | null;
}

async function cacheCount(t: TestApp, view: string, result: string): Promise<number> {
  const metrics = await http(`${t.baseUrl}/metrics`);
  const line = metrics.text
    .split('\n')
    .find((l) =>
      l.startsWith(`aragora_debate_view_cache_total{view="${view}",result="${result}"}`),
    );
  return Number(line?.split(' ').at(-1) ?? 0);
}

/**
 * GET /debates/{id} and first list pages are answered from a per-node cache that the debates' own
 * events drop. What a reader may rely on: once an event reached them (WebSocket, bus), a read they
 * start afterwards shows it; debate_end arrives only once the debate's row says how it ended.
 */
describe('debate views served from the per-node cache', () => {
  let t: TestApp;
  let key: TestKey;
  let bus: DebateEventBus;

  beforeAll(async () => {
    t = await startTestApp({
      ARAGORA_RATE_LIMIT: '10000',
      ARAGORA_IP_RATE_LIMIT: '10000',
      ARAGORA_RATE_LIMIT_DEBATES: '10000',
      ARAGORA_DEMO_LATENCY_MS: '5-40',
    });
    key = await createTenantWithKey(t, { role: 'admin' });
    bus = t.app.get<DebateEventBus>(DEBATE_EVENT_BUS);
  });
  afterAll(() => t?.close());

  it('never answers a debate older than an event already published, and ends with the ended row', async () => {
    const failures: string[] = [];
    const checks: Promise<void>[] = [];
    const check = (e: BusEvent) => {
      if (e.seq === null) return;
      const seq = e.seq;
      checks.push(
        getDebate<View>(t, key.key, e.debateId).then((view) => {
          if (view.last_seq < seq) {
            failures.push(`after ${e.type} #${seq} a read showed last_seq ${view.last_seq}`);
          }
          if (e.type === 'debate_end' && (!TERMINAL.includes(view.status) || !view.consensus)) {
            failures.push(`after debate_end a read showed status ${view.status}`);
          }
        }),
      );
    };
    const unsubscribe = bus.subscribe(check);
    const hitsBefore = await cacheCount(t, 'debate', 'hit');
    try {
      const ids = await Promise.all(
        [0, 1, 2].map(() =>
          createDebate(t, key.key, { task: TASK, agents: ['demo', 'demo-analyst'], rounds: 2 }),
        ),
      );
      // Readers keep every debate's view warm in the cache while they run.
      let running = true;
      const readers = ids.map(async (id) => {
        while (running) await getDebate(t, key.key, id);
      });
      await Promise.all(ids.map((id) => waitForDebate(t, key.key, id)));
      running = false;
      await Promise.all(readers);
    } finally {
      unsubscribe();
    }
    await Promise.all(checks);
    expect(checks.length).toBeGreaterThan(20);
    expect(failures).toEqual([]);
    expect(await cacheCount(t, 'debate', 'hit')).toBeGreaterThan(hitsBefore);
  });

  it('shows a human vote on a running debate to the next read', async () => {
    const id = await createDebate(t, key.key, {
      task: TASK,
      agents: ['demo', 'demo-analyst', 'demo-skeptic'],
      rounds: 3,
    });
    await waitForDebate(t, key.key, id, ['running']);
    await getDebate(t, key.key, id);
    await getDebate(t, key.key, id); // cached now
    const vote = await http(
      `${t.baseUrl}/api/v1/debates/${id}/votes`,
      jsonPost(key.key, { choice: 'demo-skeptic', intensity: 7 }),
    );
    expect(vote.status).toBe(201);
    const view = await getDebate<View>(t, key.key, id);
    expect(view.human_votes).toEqual([
      expect.objectContaining({ choice: 'demo-skeptic', counted: view.status === 'running' }),
    ]);
    await waitForDebate(t, key.key, id);
  });

  it('shows a new debate and its end on the cached first list page', async () => {
    const list = async (query = '') => {
      const res = await http<Page>(`${t.baseUrl}/api/v1/debates?limit=5${query}`, {
        headers: bearer(key.key),
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      return res.body;
    };
    await list();
    const hitsBefore = await cacheCount(t, 'list', 'hit');
    await list();
    expect(await cacheCount(t, 'list', 'hit')).toBe(hitsBefore + 1);

    const id = await createDebate(t, key.key, {
      task: TASK,
      agents: ['demo', 'demo-analyst'],
      rounds: 1,
    });
    expect((await list()).items[0]?.id).toBe(id);
    const ended = await waitForDebate(t, key.key, id);
    const first = (await list()).items[0];
    expect(first).toMatchObject({ id, status: ended.status });
    const byStatus = await list(`&status=${ended.status}`);
    expect(byStatus.items[0]?.id).toBe(id);
    // later pages are not cached, and follow on from the cached first page
    const page = await list();
    if (page.next_cursor) {
      const next = await list(`&cursor=${encodeURIComponent(page.next_cursor)}`);
      expect(next.items.map((d) => d.id)).not.toContain(id);
    }
  });

  it('keeps tenants apart in the cache', async () => {
    const other = await createTenantWithKey(t, { role: 'admin' });
    const id = await createDebate(t, key.key, {
      task: TASK,
      agents: ['demo', 'demo-analyst'],
      rounds: 1,
    });
    await waitForDebate(t, key.key, id);
    await getDebate(t, key.key, id); // kept for its tenant
    const res = await http(`${t.baseUrl}/api/v1/debates/${id}`, { headers: bearer(other.key) });
    expect(res.status).toBe(404);
    const page = await http<Page>(`${t.baseUrl}/api/v1/debates?limit=5`, {
      headers: bearer(other.key),
    });
    expect(page.body.items.map((d) => d.id)).not.toContain(id);
  });
});
