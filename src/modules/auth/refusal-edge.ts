import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FrontDoor } from '../../common/http/front-door';
import type { DoorRecords } from '../../common/http/door-answer';
import { recordCompleted } from '../../common/http/request-observer';
import { REQUEST_ID_HEADER, requestIdFrom } from '../../common/http/request-id';
import type { Logger } from '../../common/logging/logger';
import { problemAnswer } from '../../common/problem-details/problem-details.filter';
import { RateLimitGuard, refusalError } from '../rate-limit/rate-limit.guard';
import type { RecalledRefusal, Refusal } from '../rate-limit/refusal-cache';
import { KeyAuthenticator } from './key-authenticator';

/** Stands for the request id while a refusal's answer is rendered (no JSON escaping needed). */
const REQUEST_ID_SLOT = 'request-id-slot-5c1e2b7d';
const REQUEST_ID_SLOT_JSON = JSON.stringify(REQUEST_ID_SLOT);

/** A refusal's answer as rendered for one (retry, reset) state: all but the request id. */
interface Page {
  readonly retryAfterSeconds: number;
  readonly resetSeconds: number;
  readonly status: number;
  /**
   * The response's header lines as writeHead takes them flat (name, value, …): the request id's
   * value at index 1 and the content length's last, both filled in per request.
   */
  readonly headerLines: readonly string[];
  /** The problem document's JSON, split where the request id goes, and their UTF-8 bytes. */
  readonly head: string;
  readonly tail: string;
  readonly fixedBytes: number;
}

/**
 * Refusals' answers, rendered by the exception filter's own `problemAnswer` once per refusal and
 * per second of their waits (what the headers and document show), so that a flood's 429s cost a
 * string concatenation each.
 */
class RefusalPages {
  private readonly pages = new WeakMap<Refusal, Page>();

  constructor(private readonly log: Logger) {}

  page({ refusal, state }: RecalledRefusal): Page {
    const kept = this.pages.get(refusal);
    if (
      kept?.retryAfterSeconds === state.retryAfterSeconds &&
      kept.resetSeconds === state.resetSeconds
    ) {
      return kept;
    }
    const answer = problemAnswer(this.log, refusalError(state), refusal.instance, REQUEST_ID_SLOT);
    const json = JSON.stringify(answer.problem);
    const at = json.indexOf(REQUEST_ID_SLOT_JSON);
    const head = json.slice(0, at);
    const tail = json.slice(at + REQUEST_ID_SLOT_JSON.length);
    const page: Page = {
      retryAfterSeconds: state.retryAfterSeconds,
      resetSeconds: state.resetSeconds,
      status: answer.status,
      headerLines: [
        REQUEST_ID_HEADER,
        '',
        ...Object.entries(answer.headers).flat(),
        'content-length',
        '',
      ],
      head,
      tail,
      fixedBytes: Buffer.byteLength(head) + Buffer.byteLength(tail),
    };
    this.pages.set(refusal, page);
    return page;
  }
}

/**
 * Refuses a flood at the front door: a request whose caller was just refused on the same path,
 * by a bucket that cannot have refilled yet (RateLimitGuard.recallRefusal), gets the same 429 —
 * request id, rate-limit headers, Retry-After, problem document, request and refusal metrics —
 * written straight to the socket, before Fastify routes it and before Nest's pipeline,
 * authentication or the buckets run. A key revoked on this pod loses its remembered refusals at
 * once; once the pod drains, requests go through to the application's own answers.
 */
export function installRefusalEdge(
  app: NestFastifyApplication,
  door: FrontDoor,
  records: DoorRecords,
): void {
  const limits = app.get(RateLimitGuard);
  const pages = new RefusalPages(records.access.log);
  const stopListening = app
    .get(KeyAuthenticator)
    .onRevoked((keyId) => limits.forgetRefusals(keyId));
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onClose', (_instance, done) => {
      stopListening();
      done();
    });
  door.addGate((request, response) => {
    const recalled = limits.recallRefusal(request);
    if (recalled === undefined) return false;
    const started = performance.now();
    const requestId = requestIdFrom(request);
    const page = pages.page(recalled);
    // A request id is an ASCII token (requestIdFrom): its JSON is itself in quotes, byte for char.
    const quotedId = `"${requestId}"`;
    const headerLines = page.headerLines.slice();
    headerLines[1] = requestId;
    headerLines[headerLines.length - 1] = String(page.fixedBytes + quotedId.length);
    response.writeHead(page.status, headerLines);
    response.end(page.head + quotedId + page.tail);
    recordCompleted(records.access, records.recorder, {
      requestId,
      method: request.method ?? 'GET',
      route: recalled.refusal.route,
      path: request.url ?? recalled.refusal.instance,
      status: page.status,
      elapsedMs: performance.now() - started,
    });
    return true;
  });
}
