import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import {
  PROBLEM_CONTENT_TYPE,
  problemType,
  statusTitle,
} from '../../common/problem-details/problem';

export interface Refusal {
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * The bearer token of an upgrade request: the Authorization header (as for REST), else `?token=`
 * (browsers cannot set headers on a WebSocket). Undefined when neither is given.
 */
export function upgradeToken(request: IncomingMessage, url: URL): string | undefined {
  const header = request.headers.authorization;
  if (header) return /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1] ?? '';
  return url.searchParams.get('token') ?? undefined;
}

/**
 * Answers an upgrade with a plain HTTP error (RFC 9457 body, like REST) and closes the socket:
 * nothing of a WebSocket is allocated for a refused client.
 */
export function refuseUpgrade(socket: Duplex, refusal: Refusal): void {
  if (socket.destroyed) return;
  const title = statusTitle(refusal.status);
  const body = JSON.stringify({
    type: problemType(refusal.code),
    title,
    status: refusal.status,
    detail: refusal.detail,
    code: refusal.code,
  });
  const head = [
    `HTTP/1.1 ${refusal.status} ${title}`,
    `Content-Type: ${PROBLEM_CONTENT_TYPE}`,
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
    ...Object.entries(refusal.headers ?? {}).map(([name, value]) => `${name}: ${value}`),
  ];
  socket.once('finish', () => socket.destroy());
  socket.end(`${head.join('\r\n')}\r\n\r\n${body}`);
}
