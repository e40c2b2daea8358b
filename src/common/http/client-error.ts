import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import { rawProblemResponse, type RawProblem } from '../problem-details/raw-problem';

/** What Node's HTTP parser reports before any request exists, by its error code. */
const CLIENT_ERRORS: Record<string, RawProblem> = {
  ERR_HTTP_REQUEST_TIMEOUT: {
    status: 408,
    code: 'request_timeout',
    detail: 'The request was not received in time',
  },
  HPE_HEADER_OVERFLOW: {
    status: 431,
    code: 'headers_too_large',
    detail: 'The request headers are larger than the server accepts',
  },
};
const MALFORMED: RawProblem = {
  status: 400,
  code: 'malformed_request',
  detail: 'The request is not valid HTTP/1.1',
};

/**
 * The response to a connection whose bytes never became a request (a bad request line, a broken
 * header or length, headers over the limit): a problem document like every other error, with a
 * fresh request id to quote; the stream is unusable after it.
 */
export function clientErrorResponse(errorCode: string | undefined, requestId: string): string {
  return rawProblemResponse((errorCode && CLIENT_ERRORS[errorCode]) || MALFORMED, requestId);
}

/** Fastify's `clientErrorHandler`: answers the client's mistake, then drops the connection. */
export function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  // A reset connection has nobody left to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  if (socket.writable) socket.write(clientErrorResponse(error.code, randomUUID()));
  socket.destroy();
}
