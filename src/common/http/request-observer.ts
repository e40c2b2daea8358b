import { LogController, type FastifyError, type FastifyReply, type FastifyRequest } from 'fastify';
import type { AccessLog } from '../logging/access-log';
import { sendProblem } from '../problem-details/problem-details.filter';
import { REQUEST_ID_HEADER } from './request-id';

/** Polled by load balancers and Prometheus: logging each call would drown everything else. */
const QUIET_ROUTES = new Set(['/healthz', '/readyz', '/metrics', '/api/v1/health']);
export const UNMATCHED_ROUTE = 'unmatched';

/** Where finished requests are counted (the metrics module when telemetry is on). */
export interface RequestRecorder {
  record(route: string, method: string, status: number, seconds: number): void;
}

/**
 * Fastify calls its log controller at the start and at the end of every request, matched or
 * not, before any hook: the cheapest place for what every request needs. It echoes the request
 * id, records request metrics, and writes one structured access-log line per request with its
 * request id; probe routes stay silent unless they fail. Fastify gets no logger of its own: a
 * pino child per request and an `onResponse` hook each cost several % of a probe's throughput.
 */
export class RequestObserver extends LogController {
  constructor(
    private readonly access: AccessLog,
    private readonly recorder: RequestRecorder | undefined,
  ) {
    super();
  }

  override incomingRequest(request: FastifyRequest, reply: FastifyReply): void {
    void reply.header(REQUEST_ID_HEADER, request.id);
  }

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    recordCompleted(this.access, this.recorder, {
      requestId: request.id,
      method: request.method,
      route: request.routeOptions.url,
      path: request.url,
      status: reply.statusCode,
      elapsedMs: reply.elapsedTime,
      error,
    });
  }
}

/** A finished request, as metrics and the access log see it. */
export interface CompletedRequest {
  readonly requestId: string;
  readonly method: string;
  /** The route template; undefined when no route matched. */
  readonly route: string | undefined;
  readonly path: string;
  readonly status: number;
  readonly elapsedMs: number;
  readonly error?: Error | null;
}

/**
 * Counts a finished request in the request metrics and writes its access-log line (probe routes
 * only when they fail; refusals at debug level). What every request gets, whoever answered it.
 */
export function recordCompleted(
  access: AccessLog,
  recorder: RequestRecorder | undefined,
  done: CompletedRequest,
): void {
  const { route, status, elapsedMs } = done;
  recorder?.record(route ?? UNMATCHED_ROUTE, done.method, status, elapsedMs / 1000);
  if (route !== undefined && QUIET_ROUTES.has(route) && status < 500) return;
  // A flood of refusals must not become a flood of log lines: aragora_rate_limited_total counts them.
  access.write(
    status === 429 ? 'debug' : 'info',
    {
      requestId: done.requestId,
      method: done.method,
      route: route ?? null,
      path: done.path,
      status,
      durationMs: Math.round(elapsedMs * 100) / 100,
    },
    done.error,
  );
}

/**
 * Fastify's `frameworkErrors`: a URL its router cannot take (broken percent-encoding, an
 * over-long path parameter) is answered with a problem document, and — since Fastify runs none of
 * its completion hooks for these — logged and counted here like every other request.
 */
export function answerFrameworkError(
  access: AccessLog,
  recorder: RequestRecorder | undefined,
): (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => void {
  return (error, request, reply) => {
    const started = performance.now();
    reply.raw.once('finish', () =>
      recordCompleted(access, recorder, {
        requestId: request.id,
        method: request.method,
        route: undefined,
        path: request.url,
        status: reply.statusCode,
        elapsedMs: performance.now() - started,
      }),
    );
    sendProblem(access.log, request, reply, error);
  };
}
