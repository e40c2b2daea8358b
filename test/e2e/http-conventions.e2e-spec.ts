import { http } from '../support/http';
import { startTestApp, type TestApp } from '../support/test-app';

const PROBLEM = 'application/problem+json';

describe('HTTP conventions', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('answers unknown routes with a 404 problem document naming the path', async () => {
    const res = await http(`${t.baseUrl}/api/v1/does-not-exist?x=1`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain(PROBLEM);
    expect(res.body).toEqual({
      type: 'urn:aragora:problem:not_found',
      title: 'Not Found',
      status: 404,
      code: 'not_found',
      detail: 'No resource at /api/v1/does-not-exist',
      instance: '/api/v1/does-not-exist',
      request_id: res.headers.get('x-request-id'),
    });
  });

  it('rejects malformed JSON with 400 and never leaks a stack', async () => {
    const res = await http(`${t.baseUrl}/api/v1/health`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"topic": ',
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain(PROBLEM);
    expect(res.body).toMatchObject({
      status: 400,
      code: 'malformed_body',
      title: 'Malformed request body',
    });
    expect(res.text).not.toMatch(/at .+\.(js|ts):\d+/);
  });

  it('rejects a JSON body over 10 MB with 413', async () => {
    const body = JSON.stringify({ blob: 'x'.repeat(10 * 1024 * 1024) });
    const res = await http(`${t.baseUrl}/api/v1/health`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toContain(PROBLEM);
    expect(res.body).toMatchObject({ status: 413, code: 'payload_too_large' });
  });

  it('accepts a body just under the limit (the 413 is about size, not JSON)', async () => {
    const body = JSON.stringify({ blob: 'x'.repeat(10 * 1024 * 1024 - 100) });
    const res = await http(`${t.baseUrl}/api/v1/health`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(res.status).toBe(404);
  });

  it('echoes a caller X-Request-Id and mints one otherwise', async () => {
    const given = await http(`${t.baseUrl}/healthz`, {
      headers: { 'x-request-id': 'trace-abc.123' },
    });
    expect(given.headers.get('x-request-id')).toBe('trace-abc.123');
    const minted = await http(`${t.baseUrl}/healthz`);
    expect(minted.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const hostile = await http(`${t.baseUrl}/healthz`, {
      headers: { 'x-request-id': 'a b<script>' },
    });
    expect(hostile.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('HTTP conventions with a small body limit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ MAX_JSON_CONTENT_LENGTH: '2048' });
  });
  afterAll(() => t.close());

  it('applies MAX_JSON_CONTENT_LENGTH', async () => {
    const res = await http(`${t.baseUrl}/api/v1/health`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ blob: 'x'.repeat(3000) }),
    });
    expect(res.status).toBe(413);
  });
});
