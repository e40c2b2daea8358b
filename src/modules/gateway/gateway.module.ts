import { Module } from '@nestjs/common';
import { HealthModule } from '../health/health.module';
import { GatewayMetrics } from './gateway.metrics';
import { WsGateway } from './ws-gateway';

/** The WebSocket stream of debate events at /ws (SPEC §9). */
@Module({
  imports: [HealthModule],
  providers: [GatewayMetrics, WsGateway],
  exports: [WsGateway],
})
export class GatewayModule {}
