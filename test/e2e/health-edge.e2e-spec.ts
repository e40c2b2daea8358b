import { RequestObserver } from '../../src/common/http/request-observer';
import { HealthService } from '../../src/modules/health/health.service';
import { ReadinessState } from '../../src/modules/health/readiness.state';
import { http } from '../support/http';
import { bodyOf, headerLines, rawExchange, rawGet } from '../support/raw-http';
import { capturedLog, getRequestCount } from '../support/observed';
import { startTestApp, type TestApp } from '../support/test-app';

/** The report with its clock reading taken out (a second may pass between two requests). */
const withoutUptime = (raw: string): Record<string, unknown> => {
  const { uptime_seconds: uptime, ...rest } = JSON.parse(bodyOf(raw)) as Record<string, unknown>;
  expect(typeof uptime).toBe('number');
  return rest;
};

describe('GET /api/v1/health at the front door', () => {
  let t: TestApp;
  const { log, lines } = capturedLog('debug');
  const accessLines = (): Record<string, unknown>[] =>
    lines.filter((line) => line.msg === 'request completed' && line.route === '/api/v1/health');
  /** Fastify's router took the request: its log controller sees every request it routes. */
  const routeCalls = (): jest.SpyInstance =>
    jest.spyOn(RequestObserver.prototype, 'incomingRequest');
  const requestCount = (status: number): Promise<number> =>
    getRequestCount(t, '/api/v1/health', status);

  beforeAll(async () => {
    t = await startTestApp({}, { log });
  });
  afterAll(() => t.close());
  afterEach(() => jest.restoreAllMocks());

  it('answers a healthy pod exactly as the route does: bytes, request id, metrics, no log line', async () => {
    const before = await requestCount(200);
    const route = routeCalls();
    // A GET with a body (even an empty one) is the route's: the reference answer.
    const full = await rawExchange(
      t.baseUrl,
      rawGet('/api/v1/health', { 'X-Request-Id': 'health-full', 'Content-Length': '0' }),
    );
    expect(route).toHaveBeenCalledTimes(1);
    const edge = await rawExchange(
      t.baseUrl,
      rawGet('/api/v1/health?probe=lb', { 'X-Request-Id': 'health-edge' }),
    );
    expect(route).toHaveBeenCalledTimes(1);

    expect(full.startsWith('HTTP/1.1 200 OK\r\n')).toBe(true);
    expect(edge.startsWith('HTTP/1.1 200 OK\r\n')).toBe(true);
    const comparable = (raw: string, id: string): string[] =>
      headerLines(raw)
        .filter((line) => !line.startsWith('content-length:'))
        .map((line) => line.replace(id, 'ID'));
    expect(comparable(edge, 'health-edge')).toEqual(comparable(full, 'health-full'));
    expect(headerLines(edge)).toEqual([
      'x-request-id: health-edge',
      'cache-control: no-store',
      'content-type: application/json; charset=utf-8',
      `content-length: ${Buffer.byteLength(bodyOf(edge))}`,
      'Connection: close',
    ]);
    expect(withoutUptime(edge)).toEqual(withoutUptime(full));
    expect(withoutUptime(edge)).toEqual({
      status: 'healthy',
      version: expect.stringMatching(/^\d+\.\d+\.\d+/),
      active_debates: 0,
      websocket_connections: 0,
      database: 'connected',
      redis: 'not_configured',
    });

    expect(await requestCount(200)).toBe(before + 2);
    // A quiet route: no access line from either, at any level.
    expect(accessLines()).toEqual([]);
  });

  it('mints a request id when the caller sends none', async () => {
    const route = routeCalls();
    const ids = [];
    for (let i = 0; i < 2; i++) {
      const health = await http(`${t.baseUrl}/api/v1/health`);
      expect(health.status).toBe(200);
      ids.push(health.headers.get('x-request-id'));
    }
    expect(route).not.toHaveBeenCalled();
    for (const id of ids) expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Set(ids).size).toBe(2);
  });

  it('shows a changed report at once', async () => {
    const health = t.app.get(HealthService);
    const route = routeCalls();
    const first = await http<Record<string, unknown>>(`${t.baseUrl}/api/v1/health`);
    expect(first.body).toMatchObject({ active_debates: 0, websocket_connections: 0 });
    const real = health.report();
    const report = jest.spyOn(health, 'report');
    report.mockReturnValue({ ...real, active_debates: 3, websocket_connections: 12 });
    const changed = await http<Record<string, unknown>>(`${t.baseUrl}/api/v1/health`);
    expect(changed.body).toMatchObject({ active_debates: 3, websocket_connections: 12 });
    expect(Number(changed.headers.get('content-length'))).toBe(Buffer.byteLength(changed.text));
    report.mockRestore();
    const back = await http<Record<string, unknown>>(`${t.baseUrl}/api/v1/health`);
    expect(back.body).toMatchObject({ active_debates: 0, websocket_connections: 0 });
    expect(route).not.toHaveBeenCalled();
  });

  it('leaves HEAD, the alias and an unhealthy report to the route', async () => {
    const route = routeCalls();
    const head = await fetch(`${t.baseUrl}/api/v1/health`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('cache-control')).toBe('no-store');
    expect(route).toHaveBeenCalledTimes(1);
    expect((await http(`${t.baseUrl}/api/health`)).status).toBe(200);
    expect(route).toHaveBeenCalledTimes(2);

    const health = t.app.get(HealthService);
    const real = health.report();
    jest.spyOn(health, 'report').mockReturnValue({ ...real, status: 'unhealthy' });
    const unhealthy = await http(`${t.baseUrl}/api/v1/health`, {
      headers: { 'x-request-id': 'health-unhealthy' },
    });
    expect(unhealthy.status).toBe(503);
    expect(unhealthy.body).toMatchObject({ status: 'unhealthy' });
    expect(route).toHaveBeenCalledTimes(3);
    // The route logs a failing probe.
    expect(accessLines()).toEqual([
      expect.objectContaining({ request_id: 'health-unhealthy', status: 503 }),
    ]);
  });

  // Last: draining is final.
  it('leaves every request to the route once the pod drains', async () => {
    t.app.get(ReadinessState).markDraining();
    const route = routeCalls();
    const draining = await http(`${t.baseUrl}/api/v1/health`);
    expect(draining.status).toBe(503);
    expect(draining.body).toMatchObject({ status: 'draining' });
    expect(route).toHaveBeenCalledTimes(1);
  });
});
