import { Controller, Get, Header, HttpCode } from '@nestjs/common';
import { Public } from '../../common/http/public.decorator';
import { HealthService } from './health.service';

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

  // GET /api/v1/health is a plain Fastify route (health.route.ts).
}
