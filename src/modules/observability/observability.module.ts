import { Module, type DynamicModule } from '@nestjs/common';
import { PrometheusModule } from '@willsoto/nestjs-prometheus';
import { collectDefaultMetrics, register } from 'prom-client';
import { MetricsController } from './metrics.controller';

@Module({})
export class ObservabilityModule {
  /** `/metrics` with process metrics; request metrics are recorded by the RequestObserver (http-metrics.ts). */
  static forRoot(): DynamicModule {
    // Process metrics once per registry, however many app instances a process builds.
    if (!register.getSingleMetric('process_cpu_user_seconds_total')) collectDefaultMetrics();
    return {
      module: ObservabilityModule,
      imports: [
        PrometheusModule.register({
          path: '/metrics',
          defaultMetrics: { enabled: false },
          controller: MetricsController,
        }),
      ],
    };
  }
}
