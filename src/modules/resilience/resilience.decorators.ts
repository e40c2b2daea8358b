import { Inject } from '@nestjs/common';
import { CIRCUIT_BREAKERS } from './resilience.tokens';

export const InjectCircuitBreakers = (): ParameterDecorator & PropertyDecorator =>
  Inject(CIRCUIT_BREAKERS);
