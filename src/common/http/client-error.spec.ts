import { clientErrorResponse } from './client-error';

function parse(response: string): { statusLine: string; headers: string[]; body: unknown } {
  const [head = '', body = ''] = response.split('\r\n\r\n');
  const [statusLine = '', ...headers] = head.split('\r\n');
  const length = Number(/content-length: (\d+)/.exec(head)?.[1]);
  expect(Buffer.byteLength(body)).toBe(length);
  return { statusLine, headers, body: JSON.parse(body) };
}

describe('clientErrorResponse', () => {
  it.each([
    ['ERR_HTTP_REQUEST_TIMEOUT', 408, 'Request Timeout', 'request_timeout'],
    ['HPE_HEADER_OVERFLOW', 431, 'Request Header Fields Too Large', 'headers_too_large'],
    ['HPE_INVALID_METHOD', 400, 'Bad Request', 'malformed_request'],
    [undefined, 400, 'Bad Request', 'malformed_request'],
  ])('maps %s to %i %s', (errorCode, status, title, code) => {
    const { statusLine, headers, body } = parse(clientErrorResponse(errorCode, 'rid-1'));
    expect(statusLine).toBe(`HTTP/1.1 ${status} ${title}`);
    expect(headers).toEqual(
      expect.arrayContaining([
        'content-type: application/problem+json; charset=utf-8',
        'x-request-id: rid-1',
        'connection: close',
      ]),
    );
    expect(body).toMatchObject({
      type: `urn:aragora:problem:${code}`,
      title,
      status,
      code,
      request_id: 'rid-1',
    });
  });
});
