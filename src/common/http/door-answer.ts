import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AccessLog } from '../logging/access-log';
import { JSON_CONTENT_TYPE } from './content-type';
import { REQUEST_ID_HEADER, requestIdFrom } from './request-id';
import { recordCompleted, type RequestRecorder } from './request-observer';

/**
 * Whether a request is `GET route` exactly as routed (any query) with no body: what a gate may
 * answer in place of a plain GET route. HEAD, the unversioned aliases (rewritten by the router)
 * and any request with a body are left to the route.
 */
export function plainGet(route: string): (request: IncomingMessage) => boolean {
  const withQuery = `${route}?`;
  return ({ method, url = '', headers }) =>
    method === 'GET' &&
    (url === route || url.startsWith(withQuery)) &&
    headers['content-length'] === undefined &&
    headers['transfer-encoding'] === undefined;
}

/** Where the door's answers are counted and logged, as the request observer does for routes. */
export interface DoorRecords {
  readonly access: AccessLog;
  readonly recorder: RequestRecorder | undefined;
}

/** A JSON answer as a plain Fastify GET route sends it. */
export interface JsonAnswer {
  readonly route: string;
  readonly status: number;
  readonly body: string;
  /** The body's UTF-8 byte length, as text. */
  readonly length: string;
  /** Header lines the route sets itself (flat: name, value, …), sent before the content type. */
  readonly routeHeaders?: readonly string[];
}

/**
 * Writes `answer` at the front door exactly as Fastify's route would (the request id echoed or
 * minted, then the route's headers, the content type and length, in that order), and counts and
 * logs the request as the request observer does.
 */
export function answerJson(
  records: DoorRecords,
  request: IncomingMessage,
  response: ServerResponse,
  answer: JsonAnswer,
): void {
  const started = performance.now();
  const requestId = requestIdFrom(request);
  // Flat header lines: writeHead walks no object.
  const headerLines = [REQUEST_ID_HEADER, requestId];
  if (answer.routeHeaders) headerLines.push(...answer.routeHeaders);
  headerLines.push('content-type', JSON_CONTENT_TYPE, 'content-length', answer.length);
  response.writeHead(answer.status, headerLines);
  response.end(answer.body);
  recordCompleted(records.access, records.recorder, {
    requestId,
    method: 'GET',
    route: answer.route,
    path: request.url ?? answer.route,
    status: answer.status,
    elapsedMs: performance.now() - started,
  });
}
