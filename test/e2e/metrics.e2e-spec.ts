import { http } from '../support/http';
import { rawExchange } from '../support/raw-http';
import { startTestApp, type TestApp } from '../support/test-app';

function sample(text: string, metric: string, labels: Record<string, string>): number | undefined {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  const line = text
    .split('\n')
    .find((l) => l.startsWith(`${metric}{`) && wanted.every((w) => l.includes(w)));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('metrics', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('labels request metrics by route template, method and status', async () => {
    for (let i = 0; i < 3; i++) await http(`${t.baseUrl}/api/v1/health`);
    await http(`${t.baseUrl}/api/health`);
    await http(`${t.baseUrl}/api/v1/nothing/here/123`);
    // refused by the router before routing: counted all the same
    await http(`${t.baseUrl}/api/v1/debates/%ff`);
    await http(`${t.baseUrl}/api/v1/debates/${'a'.repeat(101)}`);
    const { text, headers } = await http<string>(`${t.baseUrl}/metrics`);
    expect(headers.get('content-type')).toContain('text/plain');
    const labels = { route: '/api/v1/health', method: 'GET', status: '200' };
    expect(sample(text, 'aragora_request_total', labels)).toBe(4);
    expect(sample(text, 'aragora_request_duration_seconds_count', labels)).toBe(4);
    expect(sample(text, 'aragora_request_total', { route: 'unmatched', status: '404' })).toBe(1);
    expect(sample(text, 'aragora_request_total', { route: 'unmatched', status: '400' })).toBe(1);
    expect(sample(text, 'aragora_request_total', { route: 'unmatched', status: '414' })).toBe(1);
    // raw URLs never become labels
    expect(text).not.toContain('/api/v1/nothing/here/123');
  });

  it('counts connections whose bytes never became a request, by reason', async () => {
    await rawExchange(t.baseUrl, 'GARBAGE\r\n\r\n');
    await rawExchange(t.baseUrl, 'GET / HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n');
    await rawExchange(
      t.baseUrl,
      `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
    );
    const { text } = await http<string>(`${t.baseUrl}/metrics`);
    const metric = 'aragora_http_client_errors_total';
    expect(sample(text, metric, { reason: 'malformed_request' })).toBe(2);
    expect(sample(text, metric, { reason: 'headers_too_large' })).toBe(1);
  });

  it('exposes the database pool by state and process metrics', async () => {
    const { text } = await http<string>(`${t.baseUrl}/metrics`);
    expect(sample(text, 'aragora_db_connections', { state: 'max' })).toBe(10);
    expect(sample(text, 'aragora_db_connections', { state: 'total' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'aragora_db_connections', { state: 'waiting' })).toBe(0);
    expect(text).toMatch(/^process_resident_memory_bytes \d+/m);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds /m);
  });
});

describe('metrics turned off', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ ARAGORA_ENABLE_TELEMETRY: 'false' });
  });
  afterAll(() => t.close());

  it('serves no /metrics when ARAGORA_ENABLE_TELEMETRY=false', async () => {
    expect((await http(`${t.baseUrl}/metrics`)).status).toBe(404);
  });
});
