import { randomUUID } from 'node:crypto';
import type { EloDebate } from '@aragora/debate-engine';
import { Redis } from 'ioredis';
import { Client } from 'pg';
import { register } from 'prom-client';
import type { LeaderboardView } from '../../src/modules/leaderboard/leaderboard.dto';
import { LeaderboardService } from '../../src/modules/leaderboard/leaderboard.service';
import { createTestDatabase, dropTestDatabase } from '../support/database';
import { http, waitFor } from '../support/http';
import { startRedisServer, type TestRedis } from '../support/redis-server';
import { bearer, createTenantWithKey, type TestKey } from '../support/tenancy';
import { startTestApp, type TestApp } from '../support/test-app';

jest.setTimeout(60_000);

const FAST_LIMITS = { ARAGORA_RATE_LIMIT: '10000', ARAGORA_IP_RATE_LIMIT: '10000' };

function debate(
  agents: string[],
  winner: string | null,
  options: { consensus?: boolean; domain?: string } = {},
): EloDebate {
  return {
    debateId: randomUUID(),
    agents,
    winner,
    consensusReached: options.consensus ?? true,
    domain: options.domain ?? null,
  };
}

function board(t: TestApp, key: TestKey, query = '') {
  return http<LeaderboardView>(`${t.baseUrl}/api/v1/leaderboard${query}`, {
    headers: bearer(key.key),
  });
}

async function setGlobalRating(db: Client, tenantId: string, agent: string, rating: number) {
  const res = await db.query(
    `UPDATE agent_ratings SET rating = $3 WHERE tenant_id = $1 AND agent = $2 AND domain = ''`,
    [tenantId, agent, rating],
  );
  expect(res.rowCount).toBe(1);
}

const ratingOf = (view: LeaderboardView, agent: string) =>
  view.items.find((item) => item.agent === agent)?.rating;

describe('leaderboard', () => {
  let t: TestApp;
  let service: LeaderboardService;
  let db: Client;
  beforeAll(async () => {
    t = await startTestApp({ ...FAST_LIMITS, ARAGORA_LEADERBOARD_CACHE_TTL: '3600' });
    service = t.app.get(LeaderboardService);
    db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    await db.end();
    await t.close();
  });

  const apply = (key: TestKey, d: EloDebate) => service.applyDebate(key.tenantId, d);

  it('rates a debate zero-sum and counts it once, however often it is applied', async () => {
    const key = await createTenantWithKey(t, { role: 'viewer' });
    const agents = ['alpha', 'beta', 'gamma'];
    const d = debate(agents, 'alpha');

    const update = await apply(key, d);
    expect(update?.global.map((c) => c.agent).sort()).toEqual(agents);
    const total = (r: Record<string, { global: number }>) =>
      Object.values(r).reduce((sum, s) => sum + s.global, 0);
    const after = await service.ratingsFor(key.tenantId, agents, null);
    expect(total(after)).toBeCloseTo(3 * 1500, 9);
    expect(after.alpha?.global).toBeGreaterThan(1500);
    expect(after.beta?.global).toBeLessThan(1500);
    expect(after.alpha?.domain).toBeNull();

    // again, and twice at once: nothing changes
    expect(await apply(key, d)).toBeNull();
    expect(await Promise.all([apply(key, d), apply(key, d)])).toEqual([null, null]);
    expect(await service.ratingsFor(key.tenantId, agents, null)).toEqual(after);

    const alpha = await service.agentStats(key.tenantId, 'alpha');
    const beta = await service.agentStats(key.tenantId, 'beta');
    expect(alpha).toMatchObject({ wins: 1, losses: 0, draws: 0, debates: 1 });
    // consensus reached: the non-winners draw
    expect(beta).toMatchObject({ wins: 0, losses: 0, draws: 1, debates: 1 });
  });

  it('applies concurrent copies of one new debate exactly once', async () => {
    const key = await createTenantWithKey(t);
    const d = debate(['kilo', 'lima'], 'lima', { consensus: false });
    const results = await Promise.all([apply(key, d), apply(key, d), apply(key, d)]);
    expect(results.filter((r) => r !== null)).toHaveLength(1);
    const lima = await service.agentStats(key.tenantId, 'lima');
    const kilo = await service.agentStats(key.tenantId, 'kilo');
    expect(lima).toMatchObject({ wins: 1, debates: 1, rating: 1516 });
    // no consensus: the non-winner loses
    expect(kilo).toMatchObject({ losses: 1, draws: 0, debates: 1, rating: 1484 });
  });

  it('rates nothing without a winner or without a second agent', async () => {
    const key = await createTenantWithKey(t);
    expect(await apply(key, debate(['mike', 'november'], null))).toBeNull();
    expect(await apply(key, debate(['demo', 'demo'], 'demo'))).toBeNull();
    expect((await board(t, key)).body.items).toEqual([]);
  });

  it('keeps domain ratings alongside the global one', async () => {
    const key = await createTenantWithKey(t);
    await apply(key, debate(['alpha', 'beta'], 'alpha', { domain: 'security' }));
    await apply(key, debate(['alpha', 'beta'], 'beta'));
    await apply(key, debate(['alpha', 'beta'], 'beta'));

    const security = await service.ratingsFor(key.tenantId, ['alpha', 'beta'], 'security');
    expect(security.alpha?.domain).toBe(1516);
    expect(security.beta?.domain).toBe(1484);
    expect(security.alpha?.global).toBeLessThan(1500); // lost twice since
    const finance = await service.ratingsFor(key.tenantId, ['alpha', 'beta'], 'finance');
    expect(finance.alpha).toEqual({ global: security.alpha?.global, domain: null });

    const global = await board(t, key);
    const domain = await board(t, key, '?domain=security');
    expect(global.body.domain).toBeNull();
    expect(global.body.items.map((i) => [i.agent, i.debates])).toEqual([
      ['beta', 3],
      ['alpha', 3],
    ]);
    expect(domain.body).toEqual({
      domain: 'security',
      items: [
        { rank: 1, agent: 'alpha', rating: 1516, wins: 1, losses: 0, draws: 0, debates: 1 },
        { rank: 2, agent: 'beta', rating: 1484, wins: 0, losses: 0, draws: 1, debates: 1 },
      ],
    });
    expect((await board(t, key, '?domain=finance')).body).toEqual({
      domain: 'finance',
      items: [],
    });

    const alpha = await service.agentStats(key.tenantId, 'alpha');
    expect(alpha).toMatchObject({ wins: 1, losses: 0, draws: 2, debates: 3 });
    expect(alpha.domains).toEqual([
      { domain: 'security', rating: 1516, wins: 1, losses: 0, draws: 0, debates: 1 },
    ]);
  });

  it('ranks by rating, then name; honours limit (default 20); rounds only the output', async () => {
    const key = await createTenantWithKey(t);
    await apply(key, debate(['delta', 'echo'], 'delta', { consensus: false }));
    await apply(key, debate(['bravo', 'charlie'], 'bravo', { consensus: false }));
    const res = await board(t, key);
    expect(res.status).toBe(200);
    expect(res.body.items.map((i) => [i.rank, i.agent, i.rating])).toEqual([
      [1, 'bravo', 1516],
      [2, 'delta', 1516],
      [3, 'charlie', 1484],
      [4, 'echo', 1484],
    ]);
    expect((await board(t, key, '?limit=2')).body.items.map((i) => i.agent)).toEqual([
      'bravo',
      'delta',
    ]);

    // an uneven pairing leaves fractions: stored exactly, shown to 2 decimals
    await apply(key, debate(['bravo', 'echo'], 'echo', { consensus: false }));
    const stored = await db.query<{ rating: number }>(
      `SELECT rating FROM agent_ratings WHERE tenant_id = $1 AND agent = 'echo' AND domain = ''`,
      [key.tenantId],
    );
    const exact = stored.rows[0]?.rating ?? NaN;
    expect(Number.isInteger(exact * 100)).toBe(false);
    expect(ratingOf((await board(t, key)).body, 'echo')).toBe(Math.round(exact * 100) / 100);

    const crowd = Array.from({ length: 22 }, (_, i) => `agent-${String(i).padStart(2, '0')}`);
    const other = await createTenantWithKey(t);
    await apply(other, debate(crowd, 'agent-00'));
    expect((await board(t, other)).body.items).toHaveLength(20);
    expect((await board(t, other, '?limit=100')).body.items).toHaveLength(22);
  });

  it('serves the board from the cache until a debate is applied', async () => {
    const key = await createTenantWithKey(t);
    await apply(key, debate(['alpha', 'beta'], 'alpha'));
    const first = await board(t, key);
    expect(ratingOf(first.body, 'beta')).toBe(1484);

    await setGlobalRating(db, key.tenantId, 'beta', 2000);
    const cached = await board(t, key);
    expect(cached.body).toEqual(first.body);

    await apply(key, debate(['yankee', 'zulu'], 'zulu'));
    const fresh = await board(t, key);
    expect(fresh.body.items[0]).toMatchObject({ rank: 1, agent: 'beta', rating: 2000 });
    expect(fresh.body.items).toHaveLength(4);
  });

  it.each([
    { name: 'limit=0', query: 'limit=0', field: 'limit' },
    { name: 'limit=abc', query: 'limit=abc', field: 'limit' },
    { name: 'limit=101', query: 'limit=101', field: 'limit' },
    { name: 'limit=2.5', query: 'limit=2.5', field: 'limit' },
    { name: 'a 101-character domain', query: `domain=${'x'.repeat(101)}`, field: 'domain' },
  ])('answers $name with 422 naming $field', async ({ query, field }) => {
    const key = await createTenantWithKey(t, { role: 'viewer' });
    const res = await http<{ status: number; errors: { field: string }[] }>(
      `${t.baseUrl}/api/v1/leaderboard?${query}`,
      { headers: bearer(key.key) },
    );
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body.errors.map((e) => e.field)).toEqual([field]);
  });

  it("never shows one tenant's ratings to another", async () => {
    const owner = await createTenantWithKey(t);
    const intruder = await createTenantWithKey(t, { role: 'viewer' });
    await apply(owner, debate(['alpha', 'beta'], 'alpha', { domain: 'security' }));
    expect((await board(t, owner)).body.items).toHaveLength(2);

    const seen = await board(t, intruder); // a viewer key reads its own tenant's board
    expect(seen.status).toBe(200);
    expect(seen.body.items).toEqual([]);
    expect((await board(t, intruder, '?domain=security')).body.items).toEqual([]);
    expect(await service.agentStats(intruder.tenantId, 'alpha')).toEqual({
      agent: 'alpha',
      rating: 1500,
      wins: 0,
      losses: 0,
      draws: 0,
      debates: 0,
      domains: [],
      recent_matches: [],
    });
    expect(await service.ratingsFor(intruder.tenantId, ['alpha'], 'security')).toEqual({
      alpha: { global: 1500, domain: null },
    });

    // the intruder's own debates rate its own agents only
    await apply(intruder, debate(['alpha', 'beta'], 'beta'));
    expect((await service.agentStats(owner.tenantId, 'alpha')).wins).toBe(1);
    expect(ratingOf((await board(t, owner)).body, 'alpha')).toBe(1516);
  });

  it('lists the last 10 matches of an agent, newest first', async () => {
    const key = await createTenantWithKey(t);
    const applied: string[] = [];
    for (let i = 0; i < 12; i++) {
      const d = debate(['alpha', 'beta'], i % 3 === 0 ? 'beta' : 'alpha', {
        consensus: i % 2 === 0,
        ...(i === 11 ? { domain: 'ops' } : {}),
      });
      await apply(key, d);
      applied.push(d.debateId);
    }
    const stats = await service.agentStats(key.tenantId, 'alpha');
    // beta won i = 0, 3, 6, 9; alpha drew those with consensus (even i) and lost the others
    expect(stats).toMatchObject({ wins: 8, losses: 2, draws: 2, debates: 12 });
    const matches = stats.recent_matches;
    expect(matches.map((m) => m.debate_id)).toEqual(applied.slice(2).reverse());
    expect(matches[0]).toMatchObject({ domain: 'ops', outcome: 'win' });
    const times = matches.map((m) => Date.parse(m.at));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    // each match starts where the previous one (older, next in the list) ended
    for (let i = 0; i < matches.length - 1; i++) {
      expect(matches[i]?.rating_before).toBe(matches[i + 1]?.rating_after);
    }
    expect(matches[0]?.rating_after).toBe(stats.rating);
    const beta = await service.agentStats(key.tenantId, 'beta');
    expect(beta).toMatchObject({ wins: 4, losses: 4, draws: 4, debates: 12 });
  });
});

describe('leaderboard cache shared by two instances through Redis', () => {
  let redis: TestRedis;
  let databaseUrl: string;
  let one: TestApp;
  let two: TestApp;
  let db: Client;
  let inspect: Redis;
  beforeAll(async () => {
    redis = await startRedisServer();
    databaseUrl = await createTestDatabase();
    const env = {
      ...FAST_LIMITS,
      DATABASE_URL: databaseUrl,
      REDIS_URL: redis.url,
      ARAGORA_LEADERBOARD_CACHE_TTL: '3600',
    };
    one = await startTestApp(env);
    two = await startTestApp(env);
    db = new Client({ connectionString: databaseUrl });
    await db.connect();
    inspect = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 0 });
    inspect.on('error', () => undefined);
    await inspect.connect();
  });
  afterAll(async () => {
    inspect.disconnect();
    await db.end();
    await one.close();
    await two.close();
    await redis.stop();
    await dropTestDatabase(databaseUrl);
  });

  it('an apply on one instance invalidates the board cached by the other', async () => {
    const key = await createTenantWithKey(one);
    const serviceOne = one.app.get(LeaderboardService);
    await serviceOne.applyDebate(key.tenantId, debate(['alpha', 'beta'], 'alpha'));
    const first = await board(two, key);
    expect(ratingOf(first.body, 'alpha')).toBe(1516);
    expect(await inspect.keys('aragora:cache:*')).toEqual(
      expect.arrayContaining([`aragora:cache:v:leaderboard:${key.tenantId}`]),
    );

    await setGlobalRating(db, key.tenantId, 'alpha', 1700);
    expect((await board(two, key)).body).toEqual(first.body);
    expect((await board(one, key)).body).toEqual(first.body); // from Redis

    await serviceOne.applyDebate(key.tenantId, debate(['yankee', 'zulu'], 'zulu'));
    expect(ratingOf((await board(two, key)).body, 'alpha')).toBe(1700);
  });

  it('keeps answering, uncached, while Redis is down, and caches again once it is back', async () => {
    const key = await createTenantWithKey(one);
    await one.app.get(LeaderboardService).applyDebate(key.tenantId, debate(['a1', 'b1'], 'a1'));
    expect(ratingOf((await board(two, key)).body, 'a1')).toBe(1516);
    const errorsBefore = await cacheErrors();

    redis.kill();
    await setGlobalRating(db, key.tenantId, 'a1', 1800);
    const down = await board(two, key);
    expect(down.status).toBe(200);
    expect(ratingOf(down.body, 'a1')).toBe(1800); // computed: a cache that cannot be checked is not used
    expect(await cacheErrors()).toBeGreaterThan(errorsBefore);

    await redis.restart();
    await waitFor(
      async () => {
        await board(two, key);
        const keys = await inspect.keys(`aragora:cache:leaderboard:${key.tenantId}:*`);
        return keys.length > 0 ? keys : undefined;
      },
      { what: 'the board cached in Redis again' },
    );
  });
});

/** aragora_cache_errors_total over all labels (the last app started owns the metric). */
async function cacheErrors(): Promise<number> {
  const metric = register.getSingleMetric('aragora_cache_errors_total');
  const values = (await metric?.get())?.values ?? [];
  return values.reduce((sum, v) => sum + v.value, 0);
}
