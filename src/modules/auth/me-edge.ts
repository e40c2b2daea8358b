import type { IncomingMessage } from 'node:http';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FrontDoor } from '../../common/http/front-door';
import { REQUEST_ID_HEADER, requestIdFrom } from '../../common/http/request-id';
import { recordCompleted, type RequestRecorder } from '../../common/http/request-observer';
import type { AccessLog } from '../../common/logging/access-log';
import { isLimited, TIER_LIMITS_ONLY } from '../rate-limit/rate-limit.guard';
import { bearerToken } from './api-key-secret';
import type { ActiveKey } from './api-keys.repository';
import { KeyAuthenticator } from './key-authenticator';
import { ME_ROUTE, meView } from './me.route';
import { keyPrincipal } from './principal';

/** Fastify's content type for a JSON reply, as `/api/v1/me`'s route sends it. */
const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';
const ME_ROUTE_WITH_QUERY = `${ME_ROUTE}?`;

/** A key's `/me` answer: its body and byte length; null for a key buckets apply to. */
type Answer = { readonly body: string; readonly length: string } | null;

/** `GET /api/v1/me` exactly as routed (any query), with no body: the requests MeEdge may take. */
function isPlainMeRequest(request: IncomingMessage): boolean {
  const { method, url = '', headers } = request;
  return (
    method === 'GET' &&
    (url === ME_ROUTE || url.startsWith(ME_ROUTE_WITH_QUERY)) &&
    headers['content-length'] === undefined &&
    headers['transfer-encoding'] === undefined
  );
}

/**
 * Answers `GET /api/v1/me` at the front door for a key the key cache knows and no bucket applies
 * to (the internal tier): the answer the route gives such a caller — same status, headers and
 * body (the route's own `meView`), request id, request metrics and access-log line — written
 * straight to the socket, before Fastify's router, reply object and hooks. Internal services poll
 * it; the benchmark holds it to a share of a bare server's rate. Everything else goes to the
 * route: another method, path or alias, a request with a body, a missing, unknown or uncached
 * key and a limited tier (and, as for every gate, everything once the pod drains). The key cache decides as it does
 * for the route (a key revoked on this pod leaves it at once; on other pods within its TTL).
 */
export function installMeEdge(
  app: NestFastifyApplication,
  door: FrontDoor,
  access: AccessLog,
  recorder: RequestRecorder | undefined,
): void {
  const authenticator = app.get(KeyAuthenticator);
  // The cache hands out the same ActiveKey object for as long as it trusts it.
  const answers = new WeakMap<ActiveKey, Answer>();
  const answerFor = (key: ActiveKey): Answer => {
    let answer = answers.get(key);
    if (answer === undefined) {
      const principal = keyPrincipal(key);
      const body = isLimited(principal, TIER_LIMITS_ONLY)
        ? undefined
        : JSON.stringify(meView(principal, undefined));
      answer = body === undefined ? null : { body, length: String(Buffer.byteLength(body)) };
      answers.set(key, answer);
    }
    return answer;
  };

  door.addGate((request, response) => {
    if (!isPlainMeRequest(request)) return false;
    const token = bearerToken(request.headers.authorization);
    if (!token) return false;
    const key = authenticator.resolveCached(token);
    if (!key) return false;
    const answer = answerFor(key);
    if (answer === null) return false;
    const started = performance.now();
    const requestId = requestIdFrom(request);
    // Flat header lines: writeHead then walks no object.
    response.writeHead(200, [
      REQUEST_ID_HEADER,
      requestId,
      'content-type',
      JSON_CONTENT_TYPE,
      'content-length',
      answer.length,
    ]);
    response.end(answer.body);
    recordCompleted(access, recorder, {
      requestId,
      method: 'GET',
      route: ME_ROUTE,
      path: request.url ?? ME_ROUTE,
      status: 200,
      elapsedMs: performance.now() - started,
    });
    return true;
  });
}
