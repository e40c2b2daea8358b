import { Global, Module } from '@nestjs/common';
import type { Logger } from '../../common/logging/logger';
import { LOGGER } from '../../common/logging/logger.module';
import { createCircuitBreakers } from './circuit-breakers.factory';
import { CircuitsController } from './circuits.controller';
import { CIRCUIT_BREAKERS } from './resilience.tokens';

/** The process-wide circuit breakers (per provider+model) and their admin endpoints. */
@Global()
@Module({
  controllers: [CircuitsController],
  providers: [
    {
      provide: CIRCUIT_BREAKERS,
      inject: [LOGGER],
      useFactory: (log: Logger) => createCircuitBreakers(log),
    },
  ],
  exports: [CIRCUIT_BREAKERS],
})
export class ResilienceModule {}
