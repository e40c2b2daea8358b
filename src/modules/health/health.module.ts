import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { DatabaseMonitor } from './database-monitor';
import { HealthController } from './health.controller';
import { HealthService } from './health.service';
import { LiveStats } from './live-stats';
import { ReadinessState } from './readiness.state';

@Module({
  imports: [TerminusModule.forRoot({ logger: false })],
  controllers: [HealthController],
  providers: [HealthService, DatabaseMonitor, LiveStats, ReadinessState],
  exports: [LiveStats, ReadinessState],
})
export class HealthModule {}
