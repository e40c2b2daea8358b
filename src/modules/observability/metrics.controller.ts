import { Controller, Get, Res } from '@nestjs/common';
import { PrometheusController } from '@willsoto/nestjs-prometheus';
import type { FastifyReply } from 'fastify';
import { Public } from '../../common/http/public.decorator';

/** /metrics is scraped by Prometheus: no key, no tier limit. */
@Controller()
@Public()
export class MetricsController extends PrometheusController {
  @Get()
  override index(@Res({ passthrough: true }) response: FastifyReply): Promise<string> {
    return super.index(response);
  }
}
