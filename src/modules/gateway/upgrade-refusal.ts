import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { rawProblemResponse, type RawProblem } from '../../common/problem-details/raw-problem';

export type Refusal = RawProblem;

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
 * Answers an upgrade with a plain HTTP error (the RFC 9457 document REST would answer, request id
 * included) and closes the socket: nothing of a WebSocket is allocated for a refused client.
 */
export function refuseUpgrade(socket: Duplex, refusal: Refusal, requestId: string): void {
  if (socket.destroyed) return;
  socket.once('finish', () => socket.destroy());
  socket.end(rawProblemResponse(refusal, requestId));
}

/**
 * The refusal of a handshake `ws` found malformed (its `wsClientError`: a wrong method, Upgrade
 * header, Sec-WebSocket-Key or -Version), with `ws`'s own explanation as the detail.
 */
export function handshakeRefusal(message: string): Refusal {
  if (/method/i.test(message)) {
    return { status: 405, code: 'malformed_upgrade', detail: message, headers: { allow: 'GET' } };
  }
  if (/Sec-WebSocket-Version/i.test(message)) {
    return {
      status: 400,
      code: 'malformed_upgrade',
      detail: message,
      headers: { 'sec-websocket-version': '13, 8' },
    };
  }
  return { status: 400, code: 'malformed_upgrade', detail: message };
}
