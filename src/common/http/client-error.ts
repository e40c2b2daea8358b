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

const problemFor = (errorCode: string | undefined): RawProblem =>
  (errorCode && CLIENT_ERRORS[errorCode]) || MALFORMED;

/**
 * The response to a connection whose bytes never became a request (a bad request line, a broken
 * header or length, headers over the limit): a problem document like every other error, with a
 * fresh request id to quote; the stream is unusable after it.
 */
export function clientErrorResponse(errorCode: string | undefined, requestId: string): string {
  return rawProblemResponse(problemFor(errorCode), requestId);
}

/** Where such connections are counted (the metrics module when telemetry is on). */
export interface ClientErrorRecorder {
  clientError(reason: string): void;
}

/**
 * Fastify's `clientErrorHandler`: answers the client's mistake, counts it by its problem code,
 * then drops the connection.
 */
export function answerClientErrors(
  recorder: ClientErrorRecorder | undefined,
): (error: Error & { code?: string }, socket: Socket) => void {
  return (error, socket) => {
    // A reset connection has nobody left to answer.
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    const problem = problemFor(error.code);
    recorder?.clientError(problem.code);
    if (socket.writable) socket.write(rawProblemResponse(problem, randomUUID()));
    socket.destroy();
  };
}
