import { http, type HttpResult } from '../support/http';
import { parseRaw, rawExchange } from '../support/raw-http';
import { startTestApp, type TestApp } from '../support/test-app';

const PROBLEM = 'application/problem+json';

/** The whole problem document: its type from its code, the request id from the header. */
function expectProblem(
  res: HttpResult,
  problem: { status: number; code: string; title: string; detail: string; instance: string },
): void {
  expect(res.status).toBe(problem.status);
  expect(res.headers.get('content-type')).toContain(PROBLEM);
  expect(res.body).toEqual({
    type: `urn:aragora:problem:${problem.code}`,
    ...problem,
    request_id: res.headers.get('x-request-id'),
  });
}

describe('HTTP conventions', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('answers unknown routes with a 404 problem document naming the path', async () => {
    const res = await http(`${t.baseUrl}/api/v1/does-not-exist?x=1`);
    expectProblem(res, {
      status: 404,
      code: 'not_found',
      title: 'Not Found',
      detail: 'No resource at /api/v1/does-not-exist',
      instance: '/api/v1/does-not-exist',
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

  it('rejects a path that is not valid percent-encoding with a 400 problem document', async () => {
    const res = await http(`${t.baseUrl}/api/v1/debates/%ff/events?after_seq=1`);
    expectProblem(res, {
      status: 400,
      code: 'malformed_url',
      title: 'Malformed URL',
      detail: 'The path is not valid percent-encoding',
      instance: '/api/v1/debates/%ff/events',
    });
  });

  it('rejects a path parameter over 100 characters with a 414 problem document', async () => {
    const id = 'a'.repeat(101);
    const res = await http(`${t.baseUrl}/api/v1/debates/${id}`);
    expectProblem(res, {
      status: 414,
      code: 'uri_too_long',
      title: 'URI Too Long',
      detail: 'A path segment is longer than 100 characters',
      instance: `/api/v1/debates/${id}`,
    });
    // one character less reaches the route (and its own validation)
    const fits = await http(`${t.baseUrl}/api/v1/debates/${'a'.repeat(100)}`);
    expect(fits.status).not.toBe(414);
    expect(fits.headers.get('content-type')).toContain(PROBLEM);
  });

  it('answers bytes that are not HTTP/1.1 with a 400 problem document, then closes', async () => {
    for (const request of [
      'GARBAGE\r\n\r\n',
      'POST /api/v1/debates HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n',
      'GET /api/v1/health HTTP/1.1\r\nHost: x\r\nX-A: a\u0000b\r\n\r\n',
    ]) {
      const res = parseRaw(await rawExchange(t.baseUrl, request));
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toContain(PROBLEM);
      expect(res.headers.connection).toBe('close');
      expect(res.body).toEqual({
        type: 'urn:aragora:problem:malformed_request',
        title: 'Bad Request',
        status: 400,
        code: 'malformed_request',
        detail: 'The request is not valid HTTP/1.1',
        request_id: res.headers['x-request-id'],
      });
      expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it('answers request headers over the size limit with a 431 problem document', async () => {
    const request = `GET /api/v1/health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`;
    const res = parseRaw(await rawExchange(t.baseUrl, request));
    expect(res.status).toBe(431);
    expect(res.headers['content-type']).toContain(PROBLEM);
    expect(res.body).toMatchObject({
      status: 431,
      code: 'headers_too_large',
      title: 'Request Header Fields Too Large',
    });
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
