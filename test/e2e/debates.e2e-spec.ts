import { createHash } from 'node:crypto';
import { Client } from 'pg';
import { http } from '../support/http';
import { createDebate, getDebate, jsonPost, waitForDebate } from '../support/debates';
import { bearer, createTenantWithKey, type TestKey } from '../support/tenancy';
import { expectTenantIsolation } from '../support/tenant-isolation';
import { startTestApp, type TestApp } from '../support/test-app';

const FIVE = ['demo', 'demo-analyst', 'demo-skeptic', 'demo-pragmatist', 'demo-contrarian'];
const TASK = 'Should our payments platform move from a monolith to event-driven services?';

interface Consensus {
  reached: boolean;
  confidence: number;
  winner: string | null;
  final_answer: string | null;
  supporting_agents: string[];
  dissenting_agents: string[];
}
interface DebateView {
  status: string;
  status_reason: string | null;
  consensus: Consensus | null;
  dissent: { participant: string; reasons: string[] }[];
  votes: { agent: string; data: { choice: string; confidence: number } }[];
  rounds: { round: number; messages: { id: string; kind: string }[]; critiques: unknown[] }[];
  agent_failures: { participant: string; reason: string }[];
  rounds_completed: number | null;
  last_seq: number;
  usage: { input_tokens: number; output_tokens: number };
}
interface ExportedEvent {
  seq: number;
  type: string;
  ts: string;
  round: number | null;
  agent: string | null;
  data: unknown;
  prev_hash: string;
  hash: string;
}

/** An independent re-computation of the documented chain: sha256(prev + "\n" + sorted-key JSON). */
function sortedJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(sortedJson).join(',')}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${sortedJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
}
function firstBrokenLink(debateId: string, events: readonly ExportedEvent[]): number | null {
  let prev = '0'.repeat(64);
  for (const [i, e] of events.entries()) {
    if (e.seq !== i + 1 || e.prev_hash !== prev) return e.seq;
    const body = sortedJson({
      debate_id: debateId,
      seq: e.seq,
      type: e.type,
      ts: e.ts,
      round: e.round,
      agent: e.agent,
      data: e.data,
    });
    const hash = createHash('sha256').update(`${prev}\n${body}`).digest('hex');
    if (hash !== e.hash) return e.seq;
    prev = hash;
  }
  return null;
}

describe('debates with demo agents', () => {
  let t: TestApp;
  let member: TestKey;
  beforeAll(async () => {
    t = await startTestApp({
      ARAGORA_RATE_LIMIT: '10000',
      ARAGORA_IP_RATE_LIMIT: '10000',
      ARAGORA_RATE_LIMIT_DEBATES: '10000',
      ARAGORA_DEMO_LATENCY_MS: '0',
    });
    member = await createTenantWithKey(t, { role: 'admin' });
  });
  afterAll(() => t.close());

  it('runs a 5-agent, 3-round debate to a consensus with dissent, votes, ELO and a verifiable export', async () => {
    const id = await createDebate(t, member.key, {
      task: TASK,
      agents: FIVE,
      rounds: 3,
      consensus: 'majority',
      domain: 'architecture',
    });
    const debate = await waitForDebate<DebateView>(t, member.key, id);
    expect(debate.status).toBe('completed');
    const consensus = debate.consensus!;
    expect(consensus.reached).toBe(true);
    expect(FIVE).toContain(consensus.winner);
    // confidence is the winner's real weighted share: 4 of 5 equal-weight agents agree
    expect(consensus.confidence).toBeGreaterThanOrEqual(0.6);
    expect(consensus.confidence).toBeLessThan(1);
    expect(consensus.dissenting_agents).toContain('demo-contrarian');
    expect(consensus.final_answer?.length).toBeGreaterThan(50);
    expect(debate.dissent.map((d) => d.participant)).toContain('demo-contrarian');
    expect(debate.votes).toHaveLength(5);
    expect(debate.rounds[0]?.messages.filter((m) => m.kind === 'proposal')).toHaveLength(5);
    expect(debate.rounds_completed).toBeGreaterThanOrEqual(2);
    expect(debate.usage.output_tokens).toBeGreaterThan(0);

    const board = await http<{ items: { agent: string; rating: number }[] }>(
      `${t.baseUrl}/api/v1/leaderboard?domain=architecture`,
      { headers: bearer(member.key) },
    );
    const winner = board.body.items.find((i) => i.agent === consensus.winner);
    expect(winner?.rating).toBeGreaterThan(1500);
    expect(board.body.items.reduce((sum, i) => sum + i.rating - 1500, 0)).toBeCloseTo(0, 6);

    const receipt = await http<{ chain: { verified: boolean }; events: ExportedEvent[] }>(
      `${t.baseUrl}/api/v1/debates/${id}/export?format=json`,
      { headers: bearer(member.key) },
    );
    expect(receipt.body.chain.verified).toBe(true);
    expect(firstBrokenLink(id, receipt.body.events)).toBeNull();
    expect(receipt.body.events.map((e) => e.seq)).toEqual(receipt.body.events.map((_, i) => i + 1));
    expect(receipt.body.events[0]?.type).toBe('debate_queued');
    expect(receipt.body.events.at(-1)?.type).toBe('debate_end');

    // Tamper with one stored event: both the server and an independent check see it.
    const db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
    try {
      await db.query(
        `UPDATE debate_events SET data = jsonb_set(data, '{tampered}', 'true') WHERE debate_id = $1 AND seq = 5`,
        [id],
      );
    } finally {
      await db.end();
    }
    const tampered = await http<{
      chain: { verified: boolean; broken_at_seq: number };
      events: ExportedEvent[];
    }>(`${t.baseUrl}/api/v1/debates/${id}/export`, { headers: bearer(member.key) });
    expect(tampered.body.chain).toMatchObject({ verified: false, broken_at_seq: 5 });
    expect(firstBrokenLink(id, tampered.body.events)).toBe(5);

    const markdown = await http(`${t.baseUrl}/api/v1/debates/${id}/export?format=markdown`, {
      headers: bearer(member.key),
    });
    expect(markdown.headers.get('content-type')).toContain('text/markdown');
    expect(markdown.text).toContain('# Decision receipt');
  });

  it("accepts the seeds' load-test body on the unversioned path", async () => {
    const res = await http<{
      id: string;
      status: string;
      websocket_url: string;
      links: { self: string };
    }>(
      `${t.baseUrl}/api/debates`,
      jsonPost(member.key, { topic: 'Test debate', agents: ['demo', 'demo'], rounds: 2 }),
    );
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({
      websocket_url: expect.stringContaining(res.body.id) as unknown,
      links: { self: `/api/v1/debates/${res.body.id}` },
    });
    const debate = await waitForDebate<{ agents: { participant: string }[] }>(
      t,
      member.key,
      res.body.id,
    );
    expect(debate.agents.map((a) => a.participant)).toEqual(['demo', 'demo#2']);
    expect(['completed', 'no_consensus']).toContain(debate.status);
  });

  it('ends without consensus when unanimity is required and one agent dissents', async () => {
    const id = await createDebate(t, member.key, {
      task: TASK,
      agents: ['demo', 'demo-contrarian', 'demo-analyst'],
      rounds: 2,
      consensus: 'unanimous',
    });
    const debate = await waitForDebate<DebateView>(t, member.key, id);
    expect(debate.status).toBe('no_consensus');
    expect(debate.consensus?.reached).toBe(false);
  });

  it('keeps an event log with gap-free seq, readable after any seq', async () => {
    const id = await createDebate(t, member.key, {
      task: TASK,
      agents: ['demo', 'demo-skeptic'],
      rounds: 1,
    });
    await waitForDebate(t, member.key, id);
    const all = await http<{ items: { seq: number; type: string }[]; last_seq: number }>(
      `${t.baseUrl}/api/v1/debates/${id}/events`,
      { headers: bearer(member.key) },
    );
    expect(all.body.items.map((e) => e.seq)).toEqual(all.body.items.map((_, i) => i + 1));
    const types = new Set(all.body.items.map((e) => e.type));
    for (const type of [
      'debate_queued',
      'debate_start',
      'round_start',
      'agent_message',
      'critique',
      'revision',
      'convergence_check',
      'vote',
      'consensus',
      'round_complete',
      'debate_end',
    ]) {
      expect(types).toContain(type);
    }
    const tail = await http<{ items: { seq: number }[] }>(
      `${t.baseUrl}/api/v1/debates/${id}/events?after_seq=${all.body.last_seq - 2}`,
      { headers: bearer(member.key) },
    );
    expect(tail.body.items.map((e) => e.seq)).toEqual([all.body.last_seq - 1, all.body.last_seq]);
  });

  it('returns the first debate for a retried create with the same Idempotency-Key', async () => {
    const body = { task: TASK, agents: ['demo', 'demo-analyst'], rounds: 1 };
    const headers = { 'idempotency-key': `key-${Date.now()}` };
    const first = await http<{ id: string }>(
      `${t.baseUrl}/api/v1/debates`,
      jsonPost(member.key, body, headers),
    );
    const second = await http<{ id: string }>(
      `${t.baseUrl}/api/v1/debates`,
      jsonPost(member.key, body, headers),
    );
    expect(first.status).toBe(202);
    expect(second.status).toBe(202);
    expect(second.body.id).toBe(first.body.id);
    const other = await http<{ errors: { field: string; rule: string }[] }>(
      `${t.baseUrl}/api/v1/debates`,
      jsonPost(member.key, { ...body, rounds: 2 }, headers),
    );
    expect(other.status).toBe(422);
    expect(other.body.errors[0]).toMatchObject({
      field: 'Idempotency-Key',
      rule: 'idempotency_mismatch',
    });
  });

  it('creates one debate for concurrent creates with the same Idempotency-Key', async () => {
    const tenant = await createTenantWithKey(t, { role: 'admin' });
    const body = { task: TASK, agents: ['demo', 'demo-analyst'], rounds: 1 };
    const headers = { 'idempotency-key': `race-${Date.now()}` };
    const answers = await Promise.all(
      Array.from({ length: 8 }, () =>
        http<{ id: string }>(`${t.baseUrl}/api/v1/debates`, jsonPost(tenant.key, body, headers)),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 202));
    const ids = new Set(answers.map((a) => a.body.id));
    expect(ids.size).toBe(1);
    const list = await http<{ items: { id: string }[] }>(`${t.baseUrl}/api/v1/debates`, {
      headers: bearer(tenant.key),
    });
    expect(list.body.items.map((d) => d.id)).toEqual([...ids]);
  });

  it('refuses bad creates with 422 naming the field and rule', async () => {
    const cases: [unknown, string, string][] = [
      [{ task: 'too short', agents: ['demo', 'demo'] }, 'task', 'too_small'],
      [{ task: TASK, agents: ['demo'] }, 'agents', 'too_small'],
      [{ task: TASK, agents: ['demo', 'nobody'] }, 'agents.1', 'unknown_agent'],
      [{ task: TASK, agents: ['demo', 'demo'], rounds: 13 }, 'rounds', 'too_big'],
      [
        { task: TASK, agents: ['demo', 'demo'], consensus: 'dictator' },
        'consensus',
        'invalid_value',
      ],
      [{ agents: ['demo', 'demo'] }, 'task', 'custom'],
      [{ task: TASK, agents: Array.from({ length: 11 }, () => 'demo') }, 'agents', 'too_big'],
    ];
    for (const [body, field, rule] of cases) {
      const res = await http<{ errors: { field: string; rule: string }[] }>(
        `${t.baseUrl}/api/v1/debates`,
        jsonPost(member.key, body),
      );
      expect({ status: res.status, errors: res.body.errors }).toEqual({
        status: 422,
        errors: expect.arrayContaining([expect.objectContaining({ field, rule })]) as unknown,
      });
    }
  });

  it('pages the list newest first with a keyset cursor and filters by status', async () => {
    const tenant = await createTenantWithKey(t, { role: 'admin' });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++)
      ids.push(
        await createDebate(t, tenant.key, {
          task: `${TASK} #${i}`,
          agents: ['demo', 'demo'],
          rounds: 1,
        }),
      );
    for (const id of ids) await waitForDebate(t, tenant.key, id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: {
        status: number;
        body: { items: { id: string }[]; next_cursor: string | null };
      } = await http(`${t.baseUrl}/api/v1/debates?limit=2${cursor ? `&cursor=${cursor}` : ''}`, {
        headers: bearer(tenant.key),
      });
      expect(page.status).toBe(200);
      seen.push(...page.body.items.map((i) => i.id));
      cursor = page.body.next_cursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());
    // Not a cursor, or one forged to look like it (any field the API would not have written).
    const zero = '00000000-0000-0000-0000-000000000000';
    const forged = [
      { at: '2020-01-01T00:00:00.000000Z', id: 'x' },
      { at: '1', id: zero },
      { at: 'Tue Mar 5 2024', id: zero },
      { at: '2020-01-01T00:00:00.000000Z\u0000', id: zero },
      { at: '+275760-09-13T00:00:00.000Z', id: zero },
      { at: '2020-13-45T00:00:00.000000Z', id: zero },
      { at: '2021-02-30T00:00:00.000000Z', id: zero },
      { at: '2021-01-01T24:00:00.000000Z', id: zero },
      { at: '0000-01-01T00:00:00.000000Z', id: zero },
    ].map((c) => Buffer.from(JSON.stringify(c)).toString('base64url'));
    for (const cursor of ['nonsense', ...forged]) {
      const bad = await http(`${t.baseUrl}/api/v1/debates?cursor=${cursor}`, {
        headers: bearer(tenant.key),
      });
      expect({ cursor, status: bad.status }).toEqual({ cursor, status: 422 });
      expect(bad.body).toMatchObject({ errors: [{ field: 'cursor', rule: 'invalid_cursor' }] });
    }
    const filtered = await http<{ items: unknown[] }>(
      `${t.baseUrl}/api/v1/debates?status=running`,
      { headers: bearer(tenant.key) },
    );
    expect(filtered.body.items).toEqual([]);
  });

  it('forks a finished debate from a round, inheriting its transcript', async () => {
    const parent = await createDebate(t, member.key, {
      task: TASK,
      agents: ['demo', 'demo-skeptic', 'demo-analyst'],
      rounds: 2,
    });
    await waitForDebate(t, member.key, parent);
    const fork = await http<{ id: string }>(
      `${t.baseUrl}/api/v1/debates/${parent}/fork`,
      jsonPost(member.key, { from_round: 1, context: 'Assume a two-person platform team.' }),
    );
    expect(fork.status).toBe(202);
    const child = await waitForDebate<DebateView & { parent_id: string; from_round: number }>(
      t,
      member.key,
      fork.body.id,
    );
    expect(child).toMatchObject({ parent_id: parent, from_round: 1 });
    expect(child.rounds[0]?.messages.filter((m) => m.kind === 'proposal')).toHaveLength(3);
    const tooFar = await http(
      `${t.baseUrl}/api/v1/debates/${parent}/fork`,
      jsonPost(member.key, { from_round: 9 }),
    );
    expect(tooFar.status).toBe(422);
  });

  it('keeps tenants apart on every debate endpoint', async () => {
    const owner = await createTenantWithKey(t, { role: 'admin' });
    const intruder = await createTenantWithKey(t, { role: 'admin' });
    const id = await createDebate(t, owner.key, {
      task: TASK,
      agents: ['demo', 'demo'],
      rounds: 1,
    });
    await waitForDebate(t, owner.key, id);
    await expectTenantIsolation(t, owner, intruder, [
      { method: 'GET', path: `/api/v1/debates/${id}` },
      { method: 'GET', path: `/api/v1/debates/${id}/events` },
      { method: 'GET', path: `/api/v1/debates/${id}/export` },
      {
        method: 'POST',
        path: `/api/v1/debates/${id}/votes`,
        body: { choice: 'demo', intensity: 5 },
      },
      {
        method: 'POST',
        path: `/api/v1/debates/${id}/vote`,
        body: { choice: 'demo', intensity: 5 },
      },
      { method: 'POST', path: `/api/v1/debates/${id}/cancel` },
      { method: 'POST', path: `/api/v1/debates/${id}/fork`, body: { from_round: 0 } },
    ]);
    const list = await http<{ items: { id: string }[] }>(`${t.baseUrl}/api/v1/debates`, {
      headers: bearer(intruder.key),
    });
    expect(list.body.items.map((d) => d.id)).not.toContain(id);
    expect((await getDebate(t, owner.key, id)).status).not.toBe('cancelled');
  });

  it('keeps a human vote after the end as audience feedback, outside the verdict', async () => {
    const id = await createDebate(t, member.key, {
      task: TASK,
      agents: ['demo', 'demo-analyst'],
      rounds: 1,
    });
    const before = await waitForDebate<DebateView>(t, member.key, id);
    const vote = await http<{ counted: boolean }>(
      `${t.baseUrl}/api/v1/debates/${id}/votes`,
      jsonPost(member.key, { choice: 'demo-analyst', intensity: 10, reasoning: 'clearer' }),
    );
    expect(vote.status).toBe(201);
    expect(vote.body.counted).toBe(false);
    const after = await getDebate<DebateView & { human_votes: { counted: boolean }[] }>(
      t,
      member.key,
      id,
    );
    // the finished debate's cached text is refreshed by the vote
    expect(after.human_votes).toEqual([expect.objectContaining({ counted: false })]);
    const revote = await http(
      `${t.baseUrl}/api/v1/debates/${id}/votes`,
      jsonPost(member.key, { choice: 'demo', intensity: 3 }),
    );
    expect(revote.status).toBe(201);
    const again = await getDebate<{ human_votes: { choice: string; intensity: number }[] }>(
      t,
      member.key,
      id,
    );
    expect(again.human_votes).toEqual([expect.objectContaining({ choice: 'demo', intensity: 3 })]);
    expect(after.consensus).toEqual(before.consensus);
    const bad = await http(
      `${t.baseUrl}/api/v1/debates/${id}/votes`,
      jsonPost(member.key, { choice: 'nobody', intensity: 5 }),
    );
    expect(bad.status).toBe(422);
  });

  it('refuses a vote for someone outside the debate, naming the participants, storing nothing', async () => {
    const id = await createDebate(t, member.key, {
      task: TASK,
      agents: ['demo', 'demo-analyst'],
      rounds: 1,
    });
    await waitForDebate(t, member.key, id);
    const vote = (key: string, choice: string) =>
      http<{ errors: unknown[] }>(
        `${t.baseUrl}/api/v1/debates/${id}/votes`,
        jsonPost(key, { choice, intensity: 4 }),
      );
    const humanVotes = async () =>
      (await getDebate<{ human_votes: { choice: string }[] }>(t, member.key, id)).human_votes;

    const unknown = await vote(member.key, 'demo-skeptic');
    expect({ status: unknown.status, errors: unknown.body.errors }).toEqual({
      status: 422,
      errors: [
        {
          field: 'choice',
          rule: 'unknown_participant',
          message: 'choose one of demo, demo-analyst',
        },
      ],
    });
    expect(await humanVotes()).toEqual([]);
    // a principal's earlier vote is not replaced by a refused one
    expect((await vote(member.key, 'demo')).status).toBe(201);
    expect((await vote(member.key, 'nobody')).status).toBe(422);
    expect(await humanVotes()).toEqual([expect.objectContaining({ choice: 'demo' })]);
    // another tenant sees no such debate (nor its participants), whatever the choice
    const intruder = await createTenantWithKey(t, { role: 'admin' });
    expect((await vote(intruder.key, 'nobody')).status).toBe(404);
  });

  it('stops a debate at its token budget, keeping what it produced', async () => {
    const id = await createDebate(t, member.key, {
      task: TASK,
      agents: ['demo', 'demo-analyst', 'demo-skeptic'],
      rounds: 3,
      budget: { max_tokens: 300 },
    });
    const debate = await waitForDebate<DebateView>(t, member.key, id);
    expect(debate).toMatchObject({ status: 'failed', status_reason: 'budget_exceeded' });
    expect(debate.usage.input_tokens + debate.usage.output_tokens).toBeGreaterThanOrEqual(300);
    expect(debate.rounds[0]?.messages.filter((m) => m.kind === 'proposal')).toHaveLength(3);
    const cost = await http(
      `${t.baseUrl}/api/v1/debates`,
      jsonPost(member.key, { task: TASK, agents: ['demo', 'demo'], budget: { max_cost_usd: 1 } }),
    );
    expect(cost.status).toBe(422);
  });
});
