import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { HealthService } from './health.service';

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
    .get('/api/v1/health', (_request, reply) => {
      const report = health.report();
      return reply
        .header('cache-control', 'no-store')
        .code(report.status === 'healthy' ? 200 : 503)
        .send(report);
    });
}
