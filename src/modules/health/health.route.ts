import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { HealthService } from './health.service';

export const HEALTH_ROUTE = '/api/v1/health';
/** What the route (and the front door in its place) sends besides the JSON's own headers. */
export const HEALTH_HEADERS = ['cache-control', 'no-store'] as const;

/**
 * `GET /api/v1/health` as a plain Fastify route: load balancers and monitors poll it at high
 * rates, it is public, never rate limited and needs no guard, so it skips Nest's router pipeline
 * (the request observer still gives it a request id, metrics and the access log).
 */
export function registerHealthRoute(app: NestFastifyApplication): void {
  const health = app.get(HealthService);
  app
    .getHttpAdapter()
    .getInstance()
    .get(HEALTH_ROUTE, (_request, reply) => {
      const report = health.report();
      return reply
        .header(HEALTH_HEADERS[0], HEALTH_HEADERS[1])
        .code(report.status === 'healthy' ? 200 : 503)
        .send(report);
    });
}
