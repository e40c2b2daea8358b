import { ReadinessState } from '../../src/modules/health/readiness.state';
import { dropTestDatabase } from '../support/database';
import { http, waitFor } from '../support/http';
import { startTestApp, type TestApp } from '../support/test-app';

describe('probes and health', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp();
  });
  afterEach(() => t.close());

  it('answers liveness without touching dependencies', async () => {
    const res = await http(`${t.baseUrl}/healthz`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('is ready once migrations ran and the pool is open', async () => {
    const res = await http(`${t.baseUrl}/readyz`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ready' });
  });

  it('reports the seed health fields, also on the unversioned alias', async () => {
    for (const path of ['/api/v1/health', '/api/health']) {
      const res = await http(`${t.baseUrl}${path}`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        status: 'healthy',
        version: expect.stringMatching(/^\d+\.\d+\.\d+/),
        uptime_seconds: expect.any(Number),
        active_debates: 0,
        websocket_connections: 0,
        database: 'connected',
        redis: 'not_configured',
      });
    }
  });

  it('answers 503 problem details while draining', async () => {
    t.app.get(ReadinessState).markDraining();
    const ready = await http(`${t.baseUrl}/readyz`);
    expect(ready.status).toBe(503);
    expect(ready.headers.get('content-type')).toContain('application/problem+json');
    expect(ready.headers.get('retry-after')).toBe('1');
    expect(ready.body).toMatchObject({
      status: 503,
      code: 'service_unavailable',
      phase: 'draining',
    });
    const health = await http(`${t.baseUrl}/api/v1/health`);
    expect(health.status).toBe(503);
    expect(health.body).toMatchObject({ status: 'draining' });
    // liveness is unaffected: the process is fine, it is just leaving
    expect((await http(`${t.baseUrl}/healthz`)).status).toBe(200);
  });

  it('answers 503 when the database becomes unreachable', async () => {
    await dropTestDatabase(t.databaseUrl);
    const ready = await http(`${t.baseUrl}/readyz`);
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({ checks: { database: 'down' } });
    const health = await waitFor(
      async () => {
        const res = await http<{ database: string }>(`${t.baseUrl}/api/v1/health`);
        return res.body.database === 'disconnected' ? res : undefined;
      },
      { what: 'health to report the database down' },
    );
    expect(health.status).toBe(503);
    expect(health.body).toMatchObject({ status: 'unhealthy', database: 'disconnected' });
  });
});
