import { jest } from '@jest/globals';
import { KeyAuthenticator } from '../../src/modules/auth/key-authenticator';
import { ReadinessState } from '../../src/modules/health/readiness.state';
import { MemoryRateLimitStore } from '../../src/modules/rate-limit/memory-rate-limit.store';
import { http } from '../support/http';
import { bearer, createTenantWithKey, addKey } from '../support/tenancy';
import { startTestApp, type TestApp } from '../support/test-app';

/** Sends `count` requests one after another; returns the statuses. */
async function burst(
  url: string,
  count: number,
  headers: Record<string, string>,
): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < count; i++)
    statuses.push(
      (await fetch(url, { headers }).then((r) => r.arrayBuffer().then(() => r))).status,
    );
  return statuses;
}

const countOf = (statuses: number[], status: number): number =>
  statuses.filter((s) => s === status).length;
let ipCounter = 0;
/** A distinct client address per test (X-Forwarded-For is trusted from loopback here). */
const clientIp = (): Record<string, string> => ({ 'x-forwarded-for': `203.0.113.${++ipCounter}` });

describe('tiered rate limits (controlled clock)', () => {
  let t: TestApp;
  const clock = { now: 1_700_000_000_000 };
  beforeAll(async () => {
    t = await startTestApp(
      { ARAGORA_TRUSTED_PROXIES: 'loopback' },
      { rateLimitStore: new MemoryRateLimitStore(() => clock.now) },
    );
  });
  afterAll(() => t.close());

  it('gives a premium key exactly 600 immediate requests, then 429 with Retry-After, then 5 per second', async () => {
    const key = await createTenantWithKey(t, { tier: 'premium', role: 'member' });
    const headers = { ...bearer(key.key), ...clientIp() };
    const statuses = await burst(`${t.baseUrl}/api/v1/me`, 600, headers);
    expect(countOf(statuses, 200)).toBe(600);
    const refused = await http(`${t.baseUrl}/api/v1/me`, { headers });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('1'); // one token refills in 200 ms
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(refused.body).toMatchObject({
      status: 429,
      code: 'rate_limited',
      policy: 'premium',
      limit: 600,
    });
    expect(refused.headers.get('ratelimit')).toBe('"premium";r=0;t=120');
    expect(refused.headers.get('x-ratelimit-remaining')).toBe('0');

    clock.now += 1000;
    const afterASecond = await burst(`${t.baseUrl}/api/v1/me`, 8, headers);
    expect(afterASecond).toEqual([200, 200, 200, 200, 200, 429, 429, 429]);

    const metrics = await http<string>(`${t.baseUrl}/metrics`);
    expect(metrics.text).toMatch(
      /^aragora_rate_limited_total\{tier="premium",route="\/api\/v1\/me"\} 4$/m,
    );
  });

  it('carries the limit state on every limited response', async () => {
    const key = await createTenantWithKey(t, { tier: 'authenticated', role: 'member' });
    const res = await http(`${t.baseUrl}/api/v1/me`, {
      headers: { ...bearer(key.key), ...clientIp() },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('ratelimit-policy')).toBe('"authenticated";q=120;w=120');
    expect(res.headers.get('ratelimit')).toBe('"authenticated";r=119;t=1');
    expect(res.headers.get('x-ratelimit-limit')).toBe('120');
    expect(res.headers.get('x-ratelimit-remaining')).toBe('119');
    expect(res.headers.get('x-ratelimit-reset')).toBe('1');
  });

  it('gives an anonymous IP 60 requests, then 429', async () => {
    const statuses = await burst(`${t.baseUrl}/api/v1/me`, 62, clientIp());
    expect(countOf(statuses, 200)).toBe(60);
    expect(statuses.slice(60)).toEqual([429, 429]);
  });

  it('never limits an internal key', async () => {
    const key = await createTenantWithKey(t, { tier: 'internal', role: 'member' });
    const headers = { ...bearer(key.key), ...clientIp() };
    const statuses = await burst(`${t.baseUrl}/api/v1/me`, 1500, headers);
    expect(countOf(statuses, 200)).toBe(1500);
    const me = await http(`${t.baseUrl}/api/v1/me`, { headers });
    expect(me.body).toMatchObject({ tier: 'internal', rate_limit: null });
  });

  it('lets three authenticated keys from one IP share 240 requests (the IP bucket), not 360', async () => {
    const first = await createTenantWithKey(t, { tier: 'authenticated', role: 'admin' });
    const keys = [
      first,
      await addKey(t, first.tenantId, first.tenantName),
      await addKey(t, first.tenantId, first.tenantName),
    ];
    const ip = clientIp();
    let allowed = 0;
    for (const key of keys)
      allowed += countOf(
        await burst(`${t.baseUrl}/api/v1/me`, 120, { ...bearer(key.key), ...ip }),
        200,
      );
    expect(allowed).toBe(240);
    // a fourth key still has tokens of its own: the IP bucket is what refuses
    const fourth = await addKey(t, first.tenantId, first.tenantName);
    const refused = await http(`${t.baseUrl}/api/v1/me`, {
      headers: { ...bearer(fourth.key), ...ip },
    });
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ policy: 'ip' });
  });

  it('exempts premium keys from the IP bucket', async () => {
    const ip = clientIp();
    const key = await createTenantWithKey(t, { tier: 'premium', role: 'member' });
    expect(
      countOf(await burst(`${t.baseUrl}/api/v1/me`, 300, { ...bearer(key.key), ...ip }), 200),
    ).toBe(300);
  });

  it('never limits probes and health', async () => {
    const ip = clientIp();
    for (const path of ['/api/v1/health', '/healthz', '/readyz', '/metrics']) {
      const statuses = await burst(`${t.baseUrl}${path}`, 150, ip);
      expect(countOf(statuses, 200)).toBe(150);
    }
  });
});

describe('rate limits in real time', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('refills a drained premium bucket at 5 tokens per second', async () => {
    const key = await createTenantWithKey(t, { tier: 'premium', role: 'member' });
    const headers = bearer(key.key);
    const started = Date.now();
    const statuses = await burst(`${t.baseUrl}/api/v1/me`, 700, headers);
    const drainSeconds = (Date.now() - started) / 1000;
    // 600 at once, plus what refilled while the burst was being sent
    expect(countOf(statuses, 200)).toBeGreaterThanOrEqual(600);
    expect(countOf(statuses, 200)).toBeLessThanOrEqual(600 + Math.ceil(drainSeconds * 5) + 1);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const refilled = countOf(await burst(`${t.baseUrl}/api/v1/me`, 20, headers), 200);
    expect(refilled).toBeGreaterThanOrEqual(9);
    expect(refilled).toBeLessThanOrEqual(12);
  });

  it('ignores X-Forwarded-For from untrusted peers', async () => {
    const a = await burst(`${t.baseUrl}/api/v1/me`, 40, { 'x-forwarded-for': '198.51.100.1' });
    const b = await burst(`${t.baseUrl}/api/v1/me`, 40, { 'x-forwarded-for': '198.51.100.2' });
    // one anonymous budget (60) for both, since the header is not trusted
    expect(countOf([...a, ...b], 200)).toBeLessThanOrEqual(61);
  });
});

describe('refusals at the front door (controlled clock)', () => {
  let t: TestApp;
  const clock = { now: 1_700_000_000_000 };
  const me = (): string => `${t.baseUrl}/api/v1/me`;
  beforeAll(async () => {
    t = await startTestApp(
      { ARAGORA_TRUSTED_PROXIES: 'loopback' },
      { rateLimitStore: new MemoryRateLimitStore(() => clock.now) },
    );
  });
  afterAll(() => t.close());

  /** Every header but those that differ between any two answers (date, request id, length). */
  const stableHeaders = (headers: Headers): Record<string, string> =>
    Object.fromEntries(
      [...headers].filter(([name]) => !['date', 'x-request-id', 'content-length'].includes(name)),
    );

  it('answers a repeated refusal without authenticating, exactly as the full path did', async () => {
    const key = await createTenantWithKey(t, { tier: 'authenticated', role: 'member' });
    const headers = { ...bearer(key.key), ...clientIp() };
    expect(countOf(await burst(me(), 120, headers), 200)).toBe(120);

    const authenticator = t.app.get(KeyAuthenticator);
    const resolve = jest.spyOn(authenticator, 'resolve');
    const resolveCached = jest.spyOn(authenticator, 'resolveCached');
    try {
      const lookups = (): number => resolve.mock.calls.length + resolveCached.mock.calls.length;
      const full = await http<Record<string, unknown>>(me(), {
        headers: { ...headers, 'x-request-id': 'flood-full' },
      });
      // The key was cached by the burst: the first asked the cache (and not the database), the
      // second nothing at all.
      expect(resolve).not.toHaveBeenCalled();
      expect(resolveCached).toHaveBeenCalled();
      const lookupsOfFull = lookups();
      const edge = await http<Record<string, unknown>>(`${me()}?again=1`, {
        headers: { ...headers, 'x-request-id': 'flood-edge' },
      });
      expect(lookups()).toBe(lookupsOfFull);

      expect(full.status).toBe(429);
      expect(edge.status).toBe(429);
      expect(stableHeaders(edge.headers)).toEqual(stableHeaders(full.headers));
      expect(stableHeaders(full.headers)).toMatchObject({
        'retry-after': '1',
        ratelimit: '"authenticated";r=0;t=120',
        'content-type': 'application/problem+json; charset=utf-8',
      });
      expect(full.headers.get('x-request-id')).toBe('flood-full');
      expect(edge.headers.get('x-request-id')).toBe('flood-edge');
      expect(edge.body).toEqual({ ...full.body, request_id: 'flood-edge' });
      expect(Number(edge.headers.get('content-length'))).toBe(Buffer.byteLength(edge.text));
    } finally {
      resolve.mockRestore();
      resolveCached.mockRestore();
    }

    const metrics = await http<string>(`${t.baseUrl}/metrics`);
    expect(metrics.text).toMatch(
      /^aragora_rate_limited_total\{tier="authenticated",route="\/api\/v1\/me"\} 2$/m,
    );
    expect(metrics.text).toMatch(
      /^aragora_request_total\{route="\/api\/v1\/me",method="GET",status="429"\} 2$/m,
    );

    // the waits shrink with time; once the bucket has a token the request is served again
    clock.now += 600;
    const later = await http(me(), { headers });
    expect(later.status).toBe(429);
    clock.now += 400;
    expect((await http(me(), { headers })).status).toBe(200);
  });

  it('keeps a refusal to its caller: another key from the same address is served', async () => {
    const ip = clientIp();
    const flooded = await createTenantWithKey(t, { tier: 'premium', role: 'member' });
    expect(countOf(await burst(me(), 602, { ...bearer(flooded.key), ...ip }), 429)).toBe(2);
    const other = await createTenantWithKey(t, { tier: 'premium', role: 'member' });
    expect((await http(me(), { headers: { ...bearer(other.key), ...ip } })).status).toBe(200);
    expect((await http(me(), { headers: { ...bearer(flooded.key), ...clientIp() } })).status).toBe(
      429, // the same key from elsewhere: refused by its own bucket, through the full path
    );
  });

  it('lets a key revoked while refused get its 401 at once', async () => {
    const admin = await createTenantWithKey(t, { tier: 'authenticated', role: 'admin' });
    const member = await addKey(t, admin.tenantId, admin.tenantName, {
      tier: 'authenticated',
      role: 'member',
    });
    const headers = { ...bearer(member.key), ...clientIp() };
    expect(countOf(await burst(me(), 123, headers), 429)).toBe(3);
    const revoked = await http(`${t.baseUrl}/api/v1/keys/${member.id}`, {
      method: 'DELETE',
      headers: bearer(admin.key),
    });
    expect(revoked.status).toBe(204);
    expect((await http(me(), { headers })).status).toBe(401);
  });

  // Last: draining is final.
  it('sends a refused caller through the full path once the pod drains', async () => {
    const key = await createTenantWithKey(t, { tier: 'authenticated', role: 'member' });
    const headers = { ...bearer(key.key), ...clientIp() };
    expect(countOf(await burst(me(), 121, headers), 429)).toBe(1);
    const resolveCached = jest.spyOn(t.app.get(KeyAuthenticator), 'resolveCached');
    try {
      // Remembered: answered at the front door, no key lookup.
      expect((await http(me(), { headers })).status).toBe(429);
      expect(resolveCached).not.toHaveBeenCalled();
      t.app.get(ReadinessState).markDraining();
      // The same refusal, now from the guard after authentication.
      expect((await http(me(), { headers })).status).toBe(429);
      expect(resolveCached).toHaveBeenCalledTimes(1);
    } finally {
      resolveCached.mockRestore();
    }
  });
});
