import { Controller, Get, Header, HttpCode, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { Public } from '../../common/http/public.decorator';
import { HealthService, type HealthReport } from './health.service';

@Controller()
@Public()
export class HealthController {
  constructor(private readonly health: HealthService) {}

  /** Liveness: the event loop answers. Never touches dependencies. */
  @Get('healthz')
  @Header('cache-control', 'no-store')
  liveness(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Readiness: 503 while starting, draining or when the database is unreachable. */
  @Get('readyz')
  @HttpCode(200)
  @Header('cache-control', 'no-store')
  async readiness(): Promise<{ status: 'ready' }> {
    await this.health.assertReady();
    return { status: 'ready' };
  }

  @Get('api/v1/health')
  @Header('cache-control', 'no-store')
  report(@Res({ passthrough: true }) reply: FastifyReply): HealthReport {
    const report = this.health.report();
    if (report.status !== 'healthy') void reply.status(503);
    return report;
  }
}
