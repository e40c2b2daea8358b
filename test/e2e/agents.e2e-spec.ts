import { http } from '../support/http';
import { addKey, bearer, createTenantWithKey, type TestKey } from '../support/tenancy';
import { expectTenantIsolation } from '../support/tenant-isolation';
import { startTestApp, type TestApp } from '../support/test-app';

const send = (method: string, key: string, body?: unknown): RequestInit => ({
  method,
  headers: {
    ...bearer(key),
    ...(body === undefined ? {} : { 'content-type': 'application/json' }),
  },
  ...(body === undefined ? {} : { body: JSON.stringify(body) }),
});

interface AgentView {
  name: string;
  provider: string;
  model: string;
  persona: string;
  builtin: boolean;
  fallback: { provider: string; model: string } | null;
  temperature: number | null;
}

const DEMO_AGENTS = ['demo', 'demo-analyst', 'demo-skeptic', 'demo-pragmatist', 'demo-contrarian'];

describe('agents', () => {
  let t: TestApp;
  let admin: TestKey;
  beforeAll(async () => {
    // One real provider configured (no call is made here): its preset appears.
    t = await startTestApp({
      ARAGORA_RATE_LIMIT: '10000',
      ARAGORA_IP_RATE_LIMIT: '10000',
      OPENAI_API_KEY: 'sk-test-secret-never-shown',
    });
    admin = await createTenantWithKey(t, { role: 'admin' });
  });
  afterAll(() => t.close());

  it('lists the five demo agents and the preset of each configured provider, never a key', async () => {
    const res = await http<{ items: AgentView[] }>(
      `${t.baseUrl}/api/v1/agents`,
      send('GET', admin.key),
    );
    expect(res.status).toBe(200);
    const builtin = res.body.items.filter((a) => a.builtin).map((a) => a.name);
    expect(builtin).toEqual([...DEMO_AGENTS, 'openai']);
    expect(res.text).not.toContain('sk-test-secret');
    const personas = res.body.items.filter((a) => a.provider === 'demo').map((a) => a.persona);
    expect(new Set(personas).size).toBe(5);
  });

  it('creates, reads, updates and deletes an agent of the tenant', async () => {
    const created = await http<AgentView>(
      `${t.baseUrl}/api/v1/agents`,
      send('POST', admin.key, {
        name: 'reviewer',
        provider: 'openai',
        model: 'gpt-4.1-mini',
        persona: 'skeptic',
        system_prompt: 'You review architecture decisions.',
        temperature: 0.3,
        max_tokens: 800,
        fallback: { provider: 'demo', model: 'demo-1' },
      }),
    );
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'reviewer',
      provider: 'openai',
      builtin: false,
      fallback: { provider: 'demo', model: 'demo-1' },
    });

    const patched = await http<AgentView>(
      `${t.baseUrl}/api/v1/agents/reviewer`,
      send('PATCH', admin.key, { temperature: 0.9, fallback: null }),
    );
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ temperature: 0.9, fallback: null, model: 'gpt-4.1-mini' });

    const read = await http<AgentView>(
      `${t.baseUrl}/api/v1/agents/reviewer`,
      send('GET', admin.key),
    );
    expect(read.body.temperature).toBe(0.9);

    expect(
      (await http(`${t.baseUrl}/api/v1/agents/reviewer`, send('DELETE', admin.key))).status,
    ).toBe(204);
    expect((await http(`${t.baseUrl}/api/v1/agents/reviewer`, send('GET', admin.key))).status).toBe(
      404,
    );
  });

  it('answers 404 for a name no agent can have, whatever it holds (no database error)', async () => {
    for (const name of ['%00', 'Demo', 'a%20b', `x${'y'.repeat(63)}`, '%C3%A9', '.hidden']) {
      for (const init of [
        send('GET', admin.key),
        send('PATCH', admin.key, { temperature: 0.5 }),
        send('DELETE', admin.key),
      ]) {
        const res = await http(`${t.baseUrl}/api/v1/agents/${name}`, init);
        expect({ name, method: init.method, status: res.status }).toEqual({
          name,
          method: init.method,
          status: 404,
        });
        expect(res.headers.get('content-type')).toContain('application/problem+json');
        expect(res.body).toMatchObject({ code: 'not_found', status: 404 });
      }
    }
  });

  it('refuses a duplicate name with 409 and bad settings with 422 naming the field and rule', async () => {
    const body = { name: 'dup', provider: 'demo', model: 'demo-1' };
    expect((await http(`${t.baseUrl}/api/v1/agents`, send('POST', admin.key, body))).status).toBe(
      201,
    );
    const again = await http(`${t.baseUrl}/api/v1/agents`, send('POST', admin.key, body));
    expect(again.status).toBe(409);
    expect(again.headers.get('content-type')).toContain('application/problem+json');

    const cases: [unknown, string, string][] = [
      [{ ...body, name: 'Bad Name' }, 'name', 'invalid_format'],
      [{ ...body, name: 'x#2' }, 'name', 'invalid_format'],
      [{ ...body, name: 'demo-skeptic' }, 'name', 'reserved'],
      [{ ...body, name: 'ok1', provider: 'acme' }, 'provider', 'invalid_value'],
      [
        { ...body, name: 'ok2', provider: 'anthropic', model: 'claude' },
        'provider',
        'not_configured',
      ],
      [{ ...body, name: 'ok3', temperature: 3 }, 'temperature', 'too_big'],
      [{ ...body, name: 'ok4', max_tokens: 0 }, 'max_tokens', 'too_small'],
      [
        { ...body, name: 'ok5', fallback: { provider: 'gemini', model: 'g' } },
        'fallback.provider',
        'not_configured',
      ],
      [{ ...body, name: 'ok6', extra: 1 }, 'body', 'unrecognized_keys'],
    ];
    for (const [bad, field, rule] of cases) {
      const res = await http<{ errors: { field: string; rule: string }[] }>(
        `${t.baseUrl}/api/v1/agents`,
        send('POST', admin.key, bad),
      );
      expect({ status: res.status, errors: res.body.errors }).toEqual({
        status: 422,
        errors: expect.arrayContaining([expect.objectContaining({ field, rule })]) as unknown,
      });
    }
  });

  it('keeps built-in agents read-only', async () => {
    const patch = await http(
      `${t.baseUrl}/api/v1/agents/demo`,
      send('PATCH', admin.key, { model: 'x' }),
    );
    expect(patch.status).toBe(403);
    expect((await http(`${t.baseUrl}/api/v1/agents/demo`, send('DELETE', admin.key))).status).toBe(
      403,
    );
    const read = await http<AgentView>(
      `${t.baseUrl}/api/v1/agents/demo-analyst`,
      send('GET', admin.key),
    );
    expect(read.body).toMatchObject({ name: 'demo-analyst', provider: 'demo', builtin: true });
  });

  it('lets viewers read but only admins write', async () => {
    const viewer = await addKey(t, admin.tenantId, admin.tenantName, { role: 'viewer' });
    const member = await addKey(t, admin.tenantId, admin.tenantName, { role: 'member' });
    expect((await http(`${t.baseUrl}/api/v1/agents`, send('GET', viewer.key))).status).toBe(200);
    const body = { name: 'nope', provider: 'demo', model: 'demo-1' };
    expect((await http(`${t.baseUrl}/api/v1/agents`, send('POST', viewer.key, body))).status).toBe(
      403,
    );
    expect((await http(`${t.baseUrl}/api/v1/agents`, send('POST', member.key, body))).status).toBe(
      403,
    );
  });

  it('keeps tenants apart', async () => {
    const owner = await createTenantWithKey(t, { role: 'admin' });
    const intruder = await createTenantWithKey(t, { role: 'admin' });
    const agent = { name: 'secret-agent', provider: 'demo', model: 'demo-1' };
    expect((await http(`${t.baseUrl}/api/v1/agents`, send('POST', owner.key, agent))).status).toBe(
      201,
    );
    await expectTenantIsolation(t, owner, intruder, [
      { method: 'GET', path: '/api/v1/agents/secret-agent' },
      { method: 'PATCH', path: '/api/v1/agents/secret-agent', body: { model: 'stolen' } },
      { method: 'DELETE', path: '/api/v1/agents/secret-agent' },
    ]);
    const list = await http<{ items: AgentView[] }>(
      `${t.baseUrl}/api/v1/agents`,
      send('GET', intruder.key),
    );
    expect(list.body.items.map((a) => a.name)).not.toContain('secret-agent');
    // The intruder may use the same name for its own agent.
    expect(
      (await http(`${t.baseUrl}/api/v1/agents`, send('POST', intruder.key, agent))).status,
    ).toBe(201);
    const owned = await http<AgentView>(
      `${t.baseUrl}/api/v1/agents/secret-agent`,
      send('GET', owner.key),
    );
    expect(owned.body.model).toBe('demo-1');
  });

  it('lists configured providers with breaker state and budget, and circuits', async () => {
    const providers = await http<{
      items: { id: string; state: string; budget: { rpm: number; remaining: number } | null }[];
    }>(`${t.baseUrl}/api/v1/providers`, send('GET', admin.key));
    expect(providers.status).toBe(200);
    expect(providers.body.items.map((p) => p.id).sort()).toEqual(['demo', 'openai']);
    const openai = providers.body.items.find((p) => p.id === 'openai');
    expect(openai).toMatchObject({ state: 'closed', budget: { rpm: 500, remaining: 50 } });
    expect(providers.text).not.toContain('sk-test-secret');

    const circuits = await http<{ items: unknown[] }>(
      `${t.baseUrl}/api/v1/resilience/circuits`,
      send('GET', admin.key),
    );
    expect(circuits.status).toBe(200);
    expect(Array.isArray(circuits.body.items)).toBe(true);
    const unknown = await http(
      `${t.baseUrl}/api/v1/resilience/circuits/nope:x/reset`,
      send('POST', admin.key),
    );
    expect(unknown.status).toBe(404);
  });

  it('exposes the agent and circuit metrics on /metrics', async () => {
    const metrics = await http(`${t.baseUrl}/metrics`);
    for (const family of [
      'aragora_circuit_breaker_state gauge',
      'aragora_agent_call_duration_seconds histogram',
      'aragora_agent_retries_total counter',
      'aragora_agent_tokens_total counter',
      'aragora_agent_fallbacks_total counter',
    ]) {
      expect(metrics.text).toContain(`# TYPE ${family}`);
    }
  });
});
