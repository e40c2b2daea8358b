import { connect } from 'node:net';

/** Sends raw bytes and returns everything the server writes before it closes the connection. */
export function rawExchange(baseUrl: string, request: string): Promise<string> {
  const { port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1', () => socket.write(request));
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('utf8')));
    socket.on('close', () => resolve(received));
    socket.on('error', reject);
  });
}

/** Status, headers (lower-case names) and parsed body of a raw HTTP/1.1 response. */
export function parseRaw(response: string): {
  status: number;
  headers: Record<string, string>;
  body: unknown;
} {
  const [head = '', body = ''] = response.split('\r\n\r\n');
  const [statusLine = '', ...lines] = head.split('\r\n');
  const headers = Object.fromEntries(
    lines.map((line) => {
      const colon = line.indexOf(':');
      return [line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim()];
    }),
  );
  return { status: Number(statusLine.split(' ')[1]), headers, body: JSON.parse(body) };
}

/** A raw `GET path` that closes the connection after the answer, with the given header lines. */
export const rawGet = (path: string, headers: Record<string, string>): string =>
  [
    `GET ${path} HTTP/1.1`,
    'Host: localhost',
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
    'Connection: close',
    '',
    '',
  ].join('\r\n');

/** Every header line of a raw response as sent (name case and order), but the date. */
export function headerLines(raw: string): string[] {
  const head = raw.slice(0, raw.indexOf('\r\n\r\n'));
  return head
    .split('\r\n')
    .slice(1)
    .filter((line) => !/^date:/i.test(line));
}

/** The body of a raw response, as sent. */
export const bodyOf = (raw: string): string => raw.slice(raw.indexOf('\r\n\r\n') + 4);
