import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { createDebate, waitForDebate } from '../support/debates';
import { createTenantWithKey, type TestKey } from '../support/tenancy';
import { startTestApp, type TestApp } from '../support/test-app';
import { DebatesRepository } from '../../src/modules/debates/debates.repository';

const TASK = 'Should the mobile team ship weekly or on every merged change?';

/** Leases: exclusive claims, renewals that keep a long debate on its node, fencing. */
describe('debate leases', () => {
  let t: TestApp;
  let admin: TestKey;
  let db: Client;
  beforeAll(async () => {
    t = await startTestApp({
      ARAGORA_DEMO_LATENCY_MS: '300',
      ARAGORA_DEBATE_LEASE_SECONDS: '2',
      ARAGORA_RATE_LIMIT: '10000',
      ARAGORA_IP_RATE_LIMIT: '10000',
    });
    admin = await createTenantWithKey(t, { role: 'admin' });
    db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    await db.end();
    await t.close();
  });

  it('keeps a debate that outlives several lease periods on its node, never resumed', async () => {
    const id = await createDebate(t, admin.key, {
      task: TASK,
      agents: ['demo', 'demo-analyst', 'demo-skeptic'],
      rounds: 3,
    });
    const debate = await waitForDebate<{ timings: { duration_ms: number } }>(t, admin.key, id);
    expect(['completed', 'no_consensus']).toContain(debate.status);
    // renewed every 667 ms: a run of several seconds crossed many renewals
    expect(debate.timings.duration_ms).toBeGreaterThan(2_000);
    const row = await db.query<{ resume_count: number }>(
      'SELECT resume_count FROM debates WHERE id = $1',
      [id],
    );
    expect(row.rows[0]?.resume_count).toBe(0);
  }, 30_000);

  it('gives a live lease to one node only, fences writes of a node that lost it', async () => {
    const repository = t.app.get(DebatesRepository);
    const id = await createDebate(t, admin.key, {
      task: TASK,
      agents: ['demo', 'demo'],
      rounds: 1,
    });
    await waitForDebate(t, admin.key, id);
    // Put it back to running under another node's live lease.
    await db.query(
      `UPDATE debates SET status = 'running', lease_owner = 'node-a', lease_expires_at = now() + interval '1 minute' WHERE id = $1`,
      [id],
    );
    expect(await repository.claim(id, 'node-b', 5_000)).toBeUndefined();
    expect((await repository.renewLeases([id], 'node-b', 5_000)).size).toBe(0);
    expect((await repository.renewLeases([id], 'node-a', 5_000)).get(id)).toEqual({
      cancelRequested: false,
    });
    const batch = {
      events: [],
      messages: [],
      checkpoint: null,
      usage: { inputTokens: 0, outputTokens: 0 },
    };
    await expect(repository.writePhase(id, admin.tenantId, 'node-b', batch)).rejects.toThrow(
      'lease',
    );
    await repository.writePhase(id, admin.tenantId, 'node-a', batch);
    const end = { status: 'cancelled' as const, reason: 'test', result: null, events: [] };
    expect(await repository.finish(id, admin.tenantId, 'node-b', end)).toBe(false);
    // Once expired, another node may take it over.
    await db.query(
      `UPDATE debates SET lease_expires_at = now() - interval '1 second' WHERE id = $1`,
      [id],
    );
    expect((await repository.claim(id, 'node-b', 5_000))?.leaseOwner).toBe('node-b');
    expect(await repository.finish(id, admin.tenantId, 'node-b', end)).toBe(true);
    expect(await repository.claim(randomUUID(), 'node-b', 5_000)).toBeUndefined();
  });
});
