import { FrontDoor } from '../../src/common/http/front-door';
import { AuthGuard } from '../../src/modules/auth/auth.guard';
import { ReadinessState } from '../../src/modules/health/readiness.state';
import { http } from '../support/http';
import { bodyOf, headerLines, rawExchange, rawGet } from '../support/raw-http';
import { addKey, bearer, createTenantWithKey, type TestKey } from '../support/tenancy';
import { capturedLog, getRequestCount } from '../support/observed';
import { startTestApp, type TestApp } from '../support/test-app';

describe('GET /api/v1/me at the front door', () => {
  let t: TestApp;
  let admin: TestKey;
  const { log, lines } = capturedLog('info');
  const accessLine = (requestId: string): Record<string, unknown> | undefined =>
    lines.find((line) => line.msg === 'request completed' && line.request_id === requestId);
  /** The route's own handler is running when authentication is asked for. */
  const routeCalls = (): jest.SpyInstance => jest.spyOn(t.app.get(AuthGuard), 'authenticate');
  const requestCount = (status: number): Promise<number> =>
    getRequestCount(t, '/api/v1/me', status);

  beforeAll(async () => {
    t = await startTestApp({}, { log });
    admin = await createTenantWithKey(t, { role: 'admin', tier: 'internal' });
  });
  afterAll(() => t.close());
  afterEach(() => jest.restoreAllMocks());

  it('answers a cached internal key exactly as the route did: bytes, request id, metrics, log line', async () => {
    const key = await addKey(t, admin.tenantId, admin.tenantName, {
      role: 'viewer',
      tier: 'internal',
    });
    const before = await requestCount(200);
    const route = routeCalls();
    const path = '/api/v1/me?poll=1';
    // The first request finds the key in the database, through the route; the second at the door.
    const full = await rawExchange(
      t.baseUrl,
      rawGet(path, { ...bearer(key.key), 'X-Request-Id': 'me-full' }),
    );
    expect(route).toHaveBeenCalledTimes(1);
    const edge = await rawExchange(
      t.baseUrl,
      rawGet(path, { ...bearer(key.key), 'X-Request-Id': 'me-edge' }),
    );
    expect(route).toHaveBeenCalledTimes(1);

    expect(full.startsWith('HTTP/1.1 200 OK\r\n')).toBe(true);
    expect(headerLines(edge)).toEqual(
      headerLines(full).map((line) => line.replace('me-full', 'me-edge')),
    );
    expect(headerLines(edge)).toContain('x-request-id: me-edge');
    expect(headerLines(edge)).toContain('content-type: application/json; charset=utf-8');
    expect(bodyOf(edge)).toBe(bodyOf(full));
    expect(JSON.parse(bodyOf(edge))).toEqual({
      tenant: { id: key.tenantId, name: key.tenantName },
      role: 'viewer',
      tier: 'internal',
      key_id: key.id,
      rate_limit: null,
    });

    expect(await requestCount(200)).toBe(before + 2);
    const fullLine = accessLine('me-full');
    const edgeLine = accessLine('me-edge');
    expect(fullLine).toMatchObject({ route: '/api/v1/me', path, status: 200, method: 'GET' });
    const { time: _t1, request_id: _r1, duration_ms: fullMs, ...fullRest } = fullLine ?? {};
    const { time: _t2, request_id: _r2, duration_ms: edgeMs, ...edgeRest } = edgeLine ?? {};
    expect(edgeRest).toEqual(fullRest);
    expect(typeof fullMs).toBe('number');
    expect(typeof edgeMs).toBe('number');
  });

  it('mints a request id when the caller sends none or an unusable one', async () => {
    const key = await addKey(t, admin.tenantId, admin.tenantName, { tier: 'internal' });
    await http(`${t.baseUrl}/api/v1/me`, { headers: bearer(key.key) });
    const route = routeCalls();
    const ids = [];
    for (const sent of [undefined, 'not a usable id!']) {
      const me = await http(`${t.baseUrl}/api/v1/me`, {
        headers: { ...bearer(key.key), ...(sent && { 'x-request-id': sent }) },
      });
      expect(me.status).toBe(200);
      ids.push(me.headers.get('x-request-id'));
    }
    expect(route).not.toHaveBeenCalled();
    for (const id of ids) expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Set(ids).size).toBe(2);
  });

  it('leaves to the route what only the route answers', async () => {
    const internal = await addKey(t, admin.tenantId, admin.tenantName, { tier: 'internal' });
    const premium = await addKey(t, admin.tenantId, admin.tenantName, { tier: 'premium' });
    for (const key of [internal, premium]) {
      expect((await http(`${t.baseUrl}/api/v1/me`, { headers: bearer(key.key) })).status).toBe(200);
    }
    const route = routeCalls();
    const cases: { what: string; url: string; init: RequestInit; status: number }[] = [
      {
        what: 'a limited tier',
        url: '/api/v1/me',
        init: { headers: bearer(premium.key) },
        status: 200,
      },
      {
        what: 'HEAD',
        url: '/api/v1/me',
        init: { method: 'HEAD', headers: bearer(internal.key) },
        status: 200,
      },
      { what: 'the alias', url: '/api/me', init: { headers: bearer(internal.key) }, status: 200 },
      {
        what: 'an unknown key',
        url: '/api/v1/me',
        init: { headers: bearer('ara_thisisnotakey0000000000000000000000000000') },
        status: 401,
      },
      { what: 'anonymous', url: '/api/v1/me', init: {}, status: 200 },
    ];
    for (const { what, url, init, status } of cases) {
      route.mockClear();
      const answer = await http(`${t.baseUrl}${url}`, init);
      expect({ what, status: answer.status, calls: route.mock.calls.length }).toEqual({
        what,
        status,
        calls: 1,
      });
    }

    // A GET with a body (even an empty one) is left to the route, too.
    route.mockClear();
    const withBody = await rawExchange(
      t.baseUrl,
      rawGet('/api/v1/me', { ...bearer(internal.key), 'Content-Length': '0' }),
    );
    expect(withBody.startsWith('HTTP/1.1 200 OK\r\n')).toBe(true);
    expect(route).toHaveBeenCalledTimes(1);

    // HEAD (the route's) carries the headers a GET at the door does.
    const head = await fetch(`${t.baseUrl}/api/v1/me`, {
      method: 'HEAD',
      headers: bearer(internal.key),
    });
    const get = await fetch(`${t.baseUrl}/api/v1/me`, { headers: bearer(internal.key) });
    expect(head.headers.get('content-length')).toBe(get.headers.get('content-length'));
    expect(head.headers.get('content-type')).toBe(get.headers.get('content-type'));
    expect(await get.json()).toMatchObject({ key_id: internal.id, tier: 'internal' });
  });

  // Last: a draining pod does not come back, a closed one even less.
  it('leaves every request to the route once the pod drains', async () => {
    const key = await addKey(t, admin.tenantId, admin.tenantName, { tier: 'internal' });
    const first = await http(`${t.baseUrl}/api/v1/me`, { headers: bearer(key.key) });
    t.app.get(ReadinessState).markDraining();
    const route = routeCalls();
    const draining = await http(`${t.baseUrl}/api/v1/me`, { headers: bearer(key.key) });
    expect(route).toHaveBeenCalledTimes(1);
    expect(draining.status).toBe(200);
    expect(draining.body).toEqual(first.body);
  });

  it('shuts the front door as the server starts closing (Fastify answers 503 from then on)', async () => {
    const shut = jest.spyOn(FrontDoor.prototype, 'shut');
    await t.close();
    expect(shut).toHaveBeenCalledTimes(1);
  });
});
