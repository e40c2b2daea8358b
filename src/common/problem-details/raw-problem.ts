import { PROBLEM_CONTENT_TYPE, problemType, statusTitle } from './problem';

/** A problem to answer on a bare socket, where no Fastify reply exists. */
export interface RawProblem {
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  /** Extra response headers (Retry-After, Sec-WebSocket-Version, …). */
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * A whole HTTP/1.1 response carrying an RFC 9457 document — the same document a REST error gets,
 * request id included — for the places that answer before or outside Fastify (refused
 * WebSocket upgrades, bytes that never became a request). It ends with `Connection: close`: the
 * caller closes the socket after writing it.
 */
export function rawProblemResponse(problem: RawProblem, requestId: string): string {
  const title = statusTitle(problem.status);
  const body = JSON.stringify({
    type: problemType(problem.code),
    title,
    status: problem.status,
    code: problem.code,
    detail: problem.detail,
    request_id: requestId,
  });
  return [
    `HTTP/1.1 ${problem.status} ${title}`,
    `content-type: ${PROBLEM_CONTENT_TYPE}`,
    `content-length: ${Buffer.byteLength(body)}`,
    `x-request-id: ${requestId}`,
    'connection: close',
    ...Object.entries(problem.headers ?? {}).map(([name, value]) => `${name}: ${value}`),
    '',
    body,
  ].join('\r\n');
}
