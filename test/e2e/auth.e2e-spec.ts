import { createHash } from 'node:crypto';
import { Client } from 'pg';
import { http } from '../support/http';
import { addKey, bearer, createTenantWithKey, type TestKey } from '../support/tenancy';
import { expectTenantIsolation } from '../support/tenant-isolation';
import { startTestApp, TEST_OPERATOR_TOKEN, type TestApp } from '../support/test-app';

const post = (body: unknown, headers: Record<string, string>): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

describe('tenants, keys and authentication', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ ARAGORA_RATE_LIMIT: '10000', ARAGORA_IP_RATE_LIMIT: '10000' });
  });
  afterAll(() => t.close());

  describe('the operator API', () => {
    it('creates a tenant, refuses a duplicate and a bad name', async () => {
      const created = await http(
        `${t.baseUrl}/api/v1/admin/tenants`,
        post({ name: 'acme' }, bearer(TEST_OPERATOR_TOKEN)),
      );
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ id: expect.any(String), name: 'acme' });
      const again = await http(
        `${t.baseUrl}/api/v1/admin/tenants`,
        post({ name: 'acme' }, bearer(TEST_OPERATOR_TOKEN)),
      );
      expect(again.status).toBe(409);
      const bad = await http(
        `${t.baseUrl}/api/v1/admin/tenants`,
        post({ name: 'Not OK!' }, bearer(TEST_OPERATOR_TOKEN)),
      );
      expect(bad.status).toBe(422);
      expect(bad.body).toMatchObject({
        code: 'validation_failed',
        errors: [{ field: 'name', rule: 'invalid_format' }],
      });
    });

    it('requires the operator token', async () => {
      for (const headers of [
        {},
        bearer('wrong-operator-token-000000'),
        bearer('ara_notarealkey_000000000000000'),
      ]) {
        const res = await http(
          `${t.baseUrl}/api/v1/admin/tenants`,
          post({ name: 'nope' }, headers),
        );
        expect(res.status).toBe(401);
        expect(res.headers.get('www-authenticate')).toContain('Bearer');
        expect(res.headers.get('content-type')).toContain('application/problem+json');
      }
    });

    it('creates keys shown once, 404 for an unknown tenant', async () => {
      const key = await createTenantWithKey(t, { role: 'member', tier: 'premium' });
      expect(key.key).toMatch(/^ara_[\w-]{43}$/);
      const unknown = await http(
        `${t.baseUrl}/api/v1/admin/tenants/00000000-0000-4000-8000-00000000dead/keys`,
        post({ name: 'x', role: 'admin', tier: 'premium' }, bearer(TEST_OPERATOR_TOKEN)),
      );
      expect(unknown.status).toBe(404);
      const malformed = await http(
        `${t.baseUrl}/api/v1/admin/tenants/not-a-uuid/keys`,
        post({ name: 'x' }, bearer(TEST_OPERATOR_TOKEN)),
      );
      expect(malformed.status).toBe(404);
    });
  });

  describe('GET /api/v1/me', () => {
    it('describes a key principal', async () => {
      const key = await createTenantWithKey(t, { role: 'member', tier: 'premium' });
      const me = await http(`${t.baseUrl}/api/v1/me`, { headers: bearer(key.key) });
      expect(me.status).toBe(200);
      expect(me.body).toEqual({
        tenant: { id: key.tenantId, name: key.tenantName },
        role: 'member',
        tier: 'premium',
        key_id: key.id,
        rate_limit: {
          policy: 'premium',
          limit: 600,
          remaining: 599,
          reset_seconds: 1,
          window_seconds: 120,
        },
      });
    });

    it('answers an internal key the same from the key cache as from the database; revoked, it is refused at once', async () => {
      const admin = await createTenantWithKey(t, { role: 'admin', tier: 'internal' });
      const key = await addKey(t, admin.tenantId, admin.tenantName, {
        role: 'viewer',
        tier: 'internal',
      });
      const expected = {
        tenant: { id: key.tenantId, name: key.tenantName },
        role: 'viewer',
        tier: 'internal',
        key_id: key.id,
        rate_limit: null,
      };
      // The first request resolves the key in the database; the next ones find it cached (and
      // are answered at the front door, test/e2e/me-edge.e2e-spec.ts), until it is revoked.
      const answers = [];
      for (let i = 0; i < 3; i++) {
        answers.push(await http(`${t.baseUrl}/api/v1/me`, { headers: bearer(key.key) }));
      }
      for (const me of answers) {
        expect(me.status).toBe(200);
        expect(me.body).toEqual(expected);
        expect(me.headers.get('content-type')).toMatch(/^application\/json/);
        expect(me.headers.get('x-request-id')).toMatch(/\S/);
        expect(me.headers.get('ratelimit')).toBeNull();
      }
      expect(new Set(answers.map((me) => me.headers.get('x-request-id'))).size).toBe(3);

      const revoked = await http(`${t.baseUrl}/api/v1/keys/${key.id}`, {
        method: 'DELETE',
        headers: bearer(admin.key),
      });
      expect(revoked.status).toBe(204);
      const after = await http(`${t.baseUrl}/api/v1/me`, { headers: bearer(key.key) });
      expect(after.status).toBe(401);
    });

    it('maps anonymous requests to the public tenant with the member role', async () => {
      const me = await http(`${t.baseUrl}/api/v1/me`);
      expect(me.status).toBe(200);
      expect(me.body).toMatchObject({
        tenant: { name: 'public' },
        role: 'member',
        tier: 'anonymous',
        key_id: null,
      });
    });

    it('answers 401 for a bad key', async () => {
      const res = await http(`${t.baseUrl}/api/v1/me`, {
        headers: bearer('ara_thisisnotakey0000000000000000000000000000'),
      });
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ code: 'unauthorized' });
    });
  });

  describe('tenant admins', () => {
    let admin: TestKey;
    beforeAll(async () => {
      admin = await createTenantWithKey(t, { role: 'admin', tier: 'authenticated' });
    });

    it('create, list and revoke their keys; a revoked key is refused at once', async () => {
      const created = await http<{ id: string; key: string }>(
        `${t.baseUrl}/api/v1/keys`,
        post({ name: 'ci', role: 'member' }, bearer(admin.key)),
      );
      expect(created.status).toBe(201);
      expect(
        (await http(`${t.baseUrl}/api/v1/me`, { headers: bearer(created.body.key) })).status,
      ).toBe(200);

      const list = await http<{ items: Record<string, unknown>[] }>(`${t.baseUrl}/api/v1/keys`, {
        headers: bearer(admin.key),
      });
      expect(list.status).toBe(200);
      expect(list.body.items.map((k) => k.id)).toEqual(
        expect.arrayContaining([admin.id, created.body.id]),
      );
      expect(JSON.stringify(list.body)).not.toContain(created.body.key);
      expect(list.body.items.every((k) => !('key' in k) && !('key_hash' in k))).toBe(true);

      const revoked = await http(`${t.baseUrl}/api/v1/keys/${created.body.id}`, {
        method: 'DELETE',
        headers: bearer(admin.key),
      });
      expect(revoked.status).toBe(204);
      expect(
        (await http(`${t.baseUrl}/api/v1/me`, { headers: bearer(created.body.key) })).status,
      ).toBe(401);
      const twice = await http(`${t.baseUrl}/api/v1/keys/${created.body.id}`, {
        method: 'DELETE',
        headers: bearer(admin.key),
      });
      expect(twice.status).toBe(404);
    });

    it('cannot grant a tier above their own', async () => {
      const res = await http(
        `${t.baseUrl}/api/v1/keys`,
        post({ name: 'up', tier: 'premium' }, bearer(admin.key)),
      );
      expect(res.status).toBe(403);
    });

    it('member and anonymous callers cannot manage keys', async () => {
      const member = await addKey(t, admin.tenantId, admin.tenantName, { role: 'member' });
      expect((await http(`${t.baseUrl}/api/v1/keys`, { headers: bearer(member.key) })).status).toBe(
        403,
      );
      expect((await http(`${t.baseUrl}/api/v1/keys`)).status).toBe(403);
    });

    it('keep tenants apart', async () => {
      const other = await createTenantWithKey(t, { role: 'admin' });
      const victim = await addKey(t, admin.tenantId, admin.tenantName, { role: 'viewer' });
      await expectTenantIsolation(t, admin, other, [
        { method: 'DELETE', path: `/api/v1/keys/${victim.id}` },
      ]);
      const list = await http<{ items: { id: string }[] }>(`${t.baseUrl}/api/v1/keys`, {
        headers: bearer(other.key),
      });
      expect(list.body.items.map((k) => k.id)).toEqual([other.id]);
      // the victim key still works
      expect((await http(`${t.baseUrl}/api/v1/me`, { headers: bearer(victim.key) })).status).toBe(
        200,
      );
    });
  });

  it('stores only a hash: keys are not recoverable from the database', async () => {
    const key = await createTenantWithKey(t);
    const db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
    try {
      const rows = await db.query<Record<string, unknown>>('SELECT * FROM api_keys WHERE id = $1', [
        key.id,
      ]);
      const row = rows.rows[0] ?? {};
      expect(JSON.stringify(row)).not.toContain(key.key.slice(12));
      expect(row.key_hash).toBe(createHash('sha256').update(key.key).digest('hex'));
    } finally {
      await db.end();
    }
  });
});

describe('authentication failures', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('allows 10 failures per minute per IP, then answers 429 with Retry-After', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      const res = await http(`${t.baseUrl}/api/v1/me`, {
        headers: bearer(`ara_wrongwrongwrongwrongwrong${i}`),
      });
      statuses.push(res.status);
      if (res.status === 429)
        expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    }
    expect(statuses).toEqual([...Array<number>(10).fill(401), 429, 429]);
    const metrics = await http<string>(`${t.baseUrl}/metrics`);
    expect(metrics.text).toMatch(/^aragora_auth_failures_total 12$/m);
  });
});

describe('with anonymous access turned off', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ ARAGORA_ALLOW_ANONYMOUS: 'false' });
  });
  afterAll(() => t.close());

  it('requires a key on tenant routes but not on probes', async () => {
    expect((await http(`${t.baseUrl}/api/v1/me`)).status).toBe(401);
    expect((await http(`${t.baseUrl}/api/v1/health`)).status).toBe(200);
    expect((await http(`${t.baseUrl}/readyz`)).status).toBe(200);
    expect((await http(`${t.baseUrl}/metrics`)).status).toBe(200);
  });
});
