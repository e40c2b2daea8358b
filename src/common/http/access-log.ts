import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';

/** Polled by load balancers and Prometheus: logging each call would drown everything else. */
const QUIET_ROUTES = new Set(['/healthz', '/readyz', '/metrics', '/api/v1/health']);

/**
 * Fastify's request logging, shaped for us: no "incoming request" line, one structured
 * "request completed" line per request (request id bound by Fastify's child logger), and
 * probe routes silent unless they fail.
 */
export class AccessLogController extends LogController {
  constructor() {
    super({ requestIdLogLabel: 'request_id' });
  }

  override incomingRequest(): void {}

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    const route = request.routeOptions.url;
    if (route !== undefined && QUIET_ROUTES.has(route) && reply.statusCode < 500) return;
    request.log.info(
      {
        method: request.method,
        route: route ?? null,
        path: request.url,
        status: reply.statusCode,
        duration_ms: Math.round(reply.elapsedTime * 100) / 100,
        ...(error ? { err: error } : {}),
      },
      'request completed',
    );
  }
}
