import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import {
  answerJson,
  plainGet,
  type DoorRecords,
  type JsonAnswer,
} from '../../common/http/door-answer';
import type { FrontDoor } from '../../common/http/front-door';
import { isLimited, TIER_LIMITS_ONLY } from '../rate-limit/rate-limit.guard';
import { bearerToken } from './api-key-secret';
import type { ActiveKey } from './api-keys.repository';
import { KeyAuthenticator } from './key-authenticator';
import { ME_ROUTE, meView } from './me.route';
import { keyPrincipal } from './principal';

/** A key's `/me` answer; null for a key buckets apply to. */
type Answer = JsonAnswer | null;

/**
 * Answers `GET /api/v1/me` at the front door for a key the key cache knows and no bucket applies
 * to (the internal tier): the answer the route gives such a caller — same status, headers and
 * body (the route's own `meView`), request id, request metrics and access-log line — written
 * straight to the socket, before Fastify's router, reply object and hooks. Internal services poll
 * it; the benchmark holds it to a share of a bare server's rate. Everything else goes to the
 * route: another method, path or alias, a request with a body, a missing, unknown or uncached
 * key and a limited tier (and, as for every gate, everything once the pod drains). The key cache
 * decides as it does for the route (a key revoked on this pod leaves it at once; on other pods
 * within its TTL).
 */
export function installMeEdge(
  app: NestFastifyApplication,
  door: FrontDoor,
  records: DoorRecords,
): void {
  const authenticator = app.get(KeyAuthenticator);
  const isPlainMe = plainGet(ME_ROUTE);
  // The cache hands out the same ActiveKey object for as long as it trusts it.
  const answers = new WeakMap<ActiveKey, Answer>();
  const answerFor = (key: ActiveKey): Answer => {
    let answer = answers.get(key);
    if (answer === undefined) {
      const principal = keyPrincipal(key);
      const body = isLimited(principal, TIER_LIMITS_ONLY)
        ? undefined
        : JSON.stringify(meView(principal, undefined));
      answer =
        body === undefined
          ? null
          : { route: ME_ROUTE, status: 200, body, length: String(Buffer.byteLength(body)) };
      answers.set(key, answer);
    }
    return answer;
  };

  door.addGate((request, response) => {
    if (!isPlainMe(request)) return false;
    const token = bearerToken(request.headers.authorization);
    if (!token) return false;
    const key = authenticator.resolveCached(token);
    if (!key) return false;
    const answer = answerFor(key);
    if (answer === null) return false;
    answerJson(records, request, response, answer);
    return true;
  });
}
