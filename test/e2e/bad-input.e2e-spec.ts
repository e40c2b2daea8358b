import fc from 'fast-check';
import { http, type HttpResult } from '../support/http';
import { bearer, createTenantWithKey, type TestKey } from '../support/tenancy';
import { TEST_OPERATOR_TOKEN, startTestApp, type TestApp } from '../support/test-app';

/**
 * Whatever a client sends — any path segment, query, body or content type, on every route — the
 * answer is never a 5xx, an error is always an RFC 9457 document whose status matches the
 * response's, nothing leaks a stack or a file path, and the service keeps answering. Generated
 * inputs (fast-check), so new routes and new validation get the same scrutiny.
 */

type Who = 'tenant' | 'operator' | 'anonymous';

interface Route {
  readonly method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** `{}` marks the path parameter the generator fills. */
  readonly path: string;
  readonly body?: boolean;
  readonly who?: Who;
}

const ROUTES: readonly Route[] = [
  { method: 'GET', path: '/api/v1/debates' },
  { method: 'POST', path: '/api/v1/debates', body: true },
  { method: 'GET', path: '/api/v1/debates/{}' },
  { method: 'GET', path: '/api/v1/debates/{}/events' },
  { method: 'POST', path: '/api/v1/debates/{}/votes', body: true },
  { method: 'POST', path: '/api/v1/debates/{}/vote', body: true },
  { method: 'POST', path: '/api/v1/debates/{}/cancel' },
  { method: 'POST', path: '/api/v1/debates/{}/fork', body: true },
  { method: 'GET', path: '/api/v1/debates/{}/export' },
  { method: 'GET', path: '/api/v1/agents' },
  { method: 'GET', path: '/api/v1/agents/{}' },
  { method: 'POST', path: '/api/v1/agents', body: true },
  { method: 'PATCH', path: '/api/v1/agents/{}', body: true },
  { method: 'DELETE', path: '/api/v1/agents/{}' },
  { method: 'GET', path: '/api/v1/providers' },
  { method: 'GET', path: '/api/v1/keys' },
  { method: 'POST', path: '/api/v1/keys', body: true },
  { method: 'DELETE', path: '/api/v1/keys/{}' },
  { method: 'GET', path: '/api/v1/leaderboard' },
  { method: 'GET', path: '/api/v1/resilience/circuits' },
  { method: 'POST', path: '/api/v1/resilience/circuits/{}/reset' },
  { method: 'GET', path: '/api/v1/me' },
  { method: 'GET', path: '/api/v1/health' },
  { method: 'POST', path: '/api/v1/admin/tenants', body: true, who: 'operator' },
  { method: 'POST', path: '/api/v1/admin/tenants/{}/keys', body: true, who: 'operator' },
  { method: 'GET', path: '/ws' },
  { method: 'GET', path: '/healthz' },
  { method: 'GET', path: '/readyz' },
  { method: 'GET', path: '/metrics' },
];

/** Path segments every route with a parameter is tried with, besides the generated ones. */
const HOSTILE_SEGMENTS = [
  ...['%', '%zz', '..', '%2e%2e', '-1', '0', '1e309', 'null', '__proto__', 'a'.repeat(101)],
  // NUL (PostgreSQL refuses it in text), an overlong NUL, a lone surrogate, invalid UTF-8
  ...['%00', 'a%00b', '%C0%80', '%ED%A0%80', '%ff', '%C3'],
];

/** Bytes as a client may put them in a URL: encoded, raw, or broken percent-encoding. */
const segment = (real: readonly string[]): fc.Arbitrary<string> =>
  fc.oneof(
    fc.constantFrom(...real),
    fc.string({ unit: 'binary', maxLength: 40 }).map(encodeURIComponent),
    fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 130 }).map(encodeURIComponent),
    fc
      .array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 6 })
      .map((bytes) => bytes.map((b) => `%${b.toString(16).padStart(2, '0')}`).join('')),
    fc.constantFrom(...HOSTILE_SEGMENTS),
  );

const QUERY_KEYS = [
  ...['limit', 'offset', 'cursor', 'after_seq', 'format', 'status', 'sort', 'token', 'domain'],
];
const queryValue = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 30 }).map(encodeURIComponent),
  fc.integer().map(String),
  fc.constantFrom('', '-1', '1e309', 'NaN', '%zz', 'json', 'markdown', 'running', '0x10'),
);
const query = fc
  .array(
    fc.tuple(fc.oneof(fc.constantFrom(...QUERY_KEYS), fc.string({ maxLength: 8 })), queryValue),
    {
      maxLength: 4,
    },
  )
  .map((pairs) =>
    pairs.length === 0
      ? ''
      : `?${pairs.map(([k, v]) => `${encodeURIComponent(k)}=${v}`).join('&')}`,
  );

/** JSON of the wrong shape, JSON that is not JSON, and shapes close to the real ones. */
const body = fc.oneof(
  fc.json({ maxDepth: 3 }),
  fc.string({ maxLength: 60 }),
  fc.json({ maxDepth: 2 }).map((text) => text.slice(0, Math.max(1, text.length - 1))),
  fc
    .record(
      {
        topic: fc.anything({ maxDepth: 1 }),
        agents: fc.anything({ maxDepth: 1 }),
        rounds: fc.anything({ maxDepth: 0 }),
        name: fc.anything({ maxDepth: 0 }),
        role: fc.anything({ maxDepth: 0 }),
        tier: fc.anything({ maxDepth: 0 }),
        provider: fc.anything({ maxDepth: 0 }),
        choice: fc.anything({ maxDepth: 0 }),
        intensity: fc.anything({ maxDepth: 0 }),
      },
      { requiredKeys: [] },
    )
    .map((value) => JSON.stringify(value) ?? 'null'),
);
const contentType = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-8',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  undefined,
);

const STACK = /\n\s+at |node_modules|\.ts:\d+|\.js:\d+/;

describe('bad input, generated', () => {
  let t: TestApp;
  let member: TestKey;
  let debateId: string;
  beforeAll(async () => {
    t = await startTestApp({ ARAGORA_DEMO_LATENCY_MS: '0' });
    member = await createTenantWithKey(t, { role: 'admin', tier: 'internal' });
    const created = await http<{ id: string }>(`${t.baseUrl}/api/v1/debates`, {
      method: 'POST',
      headers: { ...bearer(member.key), 'content-type': 'application/json' },
      body: JSON.stringify({ topic: 'Generated bad input', agents: ['demo', 'demo'], rounds: 1 }),
    });
    expect(created.status).toBe(202);
    debateId = created.body.id;
  });
  afterAll(() => t.close());

  const headersFor = (who: Who | undefined): Record<string, string> =>
    who === 'operator'
      ? bearer(TEST_OPERATOR_TOKEN)
      : who === 'anonymous'
        ? {}
        : bearer(member.key);

  /** A client's mistake: below 500, a problem document when refused, nothing internal shown. */
  const expectClientAnswer = (res: HttpResult): void => {
    expect(res.status).toBeLessThan(500);
    expect(res.text).not.toMatch(STACK);
    if (res.status >= 400) {
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body).toMatchObject({ status: res.status });
    }
  };

  it('answers hostile path segments on every route with a parameter without a 5xx', async () => {
    for (const route of ROUTES.filter((r) => r.path.includes('{}'))) {
      for (const param of HOSTILE_SEGMENTS) {
        const url = `${t.baseUrl}${route.path.replace('{}', param)}`;
        const res = await http(url, { method: route.method, headers: headersFor(route.who) });
        expect({ url, below500: res.status < 500 }).toEqual({ url, below500: true });
        expectClientAnswer(res);
      }
    }
  });

  it('answers out-of-range and malformed query values on every route without a 5xx', async () => {
    const values = [
      '-1',
      '2147483648',
      '9007199254740993',
      '1e309',
      '',
      '%zz',
      'abc',
      '0x10',
      '%00',
    ];
    for (const route of ROUTES.filter((r) => r.method === 'GET')) {
      const path = route.path.replace('{}', route.path.includes('agents') ? 'demo' : debateId);
      for (const key of QUERY_KEYS) {
        for (const value of values) {
          const url = `${t.baseUrl}${path}?${key}=${value}`;
          const res = await http(url, { headers: headersFor(route.who) });
          expect({ url, below500: res.status < 500 }).toEqual({ url, below500: true });
          expectClientAnswer(res);
        }
      }
    }
  });

  it('refuses bodies it cannot take: unstorable text or deep nesting (422), not JSON (415)', async () => {
    const admin = bearer(member.key);
    const cases: [string, string, Record<string, unknown>, string][] = [
      [
        'POST',
        '/api/v1/debates',
        { topic: 'a topic with a \u0000 inside', agents: ['demo', 'demo'] },
        'topic',
      ],
      [
        'POST',
        '/api/v1/debates',
        { topic: 'a lone surrogate \ud800 here', agents: ['demo', 'demo'] },
        'topic',
      ],
      ['POST', `/api/v1/debates/${debateId}/votes`, { choice: 'a\u0000b' }, 'choice'],
      [
        'POST',
        `/api/v1/debates/${debateId}/votes`,
        { choice: 'demo', reasoning: '\udfff' },
        'reasoning',
      ],
      ['POST', `/api/v1/debates/${debateId}/fork`, { from_round: 1, context: '\u0000' }, 'context'],
      [
        'POST',
        '/api/v1/agents',
        { name: 'n', provider: 'demo', model: 'm', system_prompt: 'x\u0000' },
        'system_prompt',
      ],
      ['POST', '/api/v1/keys', { name: 'k\u0000' }, 'name'],
      [
        'POST',
        '/api/v1/debates',
        { topic: 'nested text is checked too', agents: ['demo', 'de\u0000mo'] },
        'agents.1',
      ],
      ['POST', '/api/v1/debates', { 'key\u0000': 1, topic: 'keys are text as well' }, 'key\u0000'],
    ];
    for (const [method, path, body, field] of cases) {
      const res = await http(`${t.baseUrl}${path}`, {
        method,
        headers: { ...admin, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect({ path, field, status: res.status }).toEqual({ path, field, status: 422 });
      expect(res.body).toMatchObject({
        code: 'validation_failed',
        errors: [{ field, rule: 'invalid_characters' }],
      });
    }
    // Nesting deeper than 64 levels (which recursive serializers cannot take) is refused as well,
    // however deep, with or without escapes in the text.
    for (const depth of [65, 5_000, 500_000]) {
      for (const leaf of ['1', '"\\u0041"']) {
        const metadata = `${'{"a":'.repeat(depth)}${leaf}${'}'.repeat(depth)}`;
        const res = await http(`${t.baseUrl}/api/v1/debates`, {
          method: 'POST',
          headers: { ...admin, 'content-type': 'application/json' },
          body: `{"topic":"deeply nested metadata","agents":["demo","demo"],"metadata":${metadata}}`,
        });
        expect({ depth, leaf, status: res.status }).toEqual({ depth, leaf, status: 422 });
        expect(res.body).toMatchObject({ errors: [{ rule: 'too_deep' }] });
      }
    }
    // The API takes JSON: a form body (where %00 would decode to NUL) or plain text is not parsed.
    for (const [type, body] of [
      ['application/x-www-form-urlencoded', 'choice=a%00b'],
      ['text/plain', '{"choice":"demo"}'],
    ]) {
      const res = await http(`${t.baseUrl}/api/v1/debates/${debateId}/votes`, {
        method: 'POST',
        headers: { ...admin, 'content-type': type },
        body,
      });
      expect({ type, status: res.status }).toEqual({ type, status: 415 });
      expect(res.body).toMatchObject({ code: 'unsupported_media_type' });
    }
  });

  it('never answers a 5xx, always with a problem document, and keeps serving', async () => {
    const real = (): string[] => [debateId, member.tenantId, member.id, 'demo', 'openai'];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ROUTES),
        segment(real()),
        query,
        body,
        contentType,
        fc.constantFrom<Who | undefined>(undefined, 'anonymous'),
        async (route, param, search, payload, type, who) => {
          const url = `${t.baseUrl}${route.path.replace('{}', param)}${search}`;
          const headers: Record<string, string> = headersFor(who ?? route.who);
          if (type) headers['content-type'] = type;
          const res = await http(url, {
            method: route.method,
            headers,
            ...(route.body && route.method !== 'GET' ? { body: payload } : {}),
          });
          // fast-check reports the inputs of a failing run, shrunk
          expectClientAnswer(res);
        },
      ),
      { numRuns: 600 },
    );
    expect((await http(`${t.baseUrl}/readyz`)).status).toBe(200);
  }, 120_000);
});
