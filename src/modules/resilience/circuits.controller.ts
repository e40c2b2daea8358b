import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import type { CircuitBreakerRegistry, CircuitState } from '@aragora/resilience';
import { NotFoundError } from '../../common/errors';
import { MinRole } from '../auth/auth.decorators';
import { BREAKER_DEFAULTS } from './circuit-breakers.factory';
import { InjectCircuitBreakers } from './resilience.decorators';

export interface CircuitView {
  name: string;
  state: CircuitState;
  consecutive_failures: number;
  half_open_in_flight: number;
  opened_at: string | null;
  last_change_at: string;
  /** Seconds until an open circuit admits trial calls; 0 otherwise. */
  retry_in_seconds: number;
}

/** Breakers are per provider+model and shared by all tenants: readable by any key, reset by admins. */
@Controller('api/v1/resilience/circuits')
export class CircuitsController {
  constructor(@InjectCircuitBreakers() private readonly breakers: CircuitBreakerRegistry) {}

  @Get()
  list(): { items: CircuitView[] } {
    const now = Date.now();
    const items = this.breakers.list().map(({ name, snapshot }) => ({
      name,
      state: snapshot.state,
      consecutive_failures: snapshot.consecutiveFailures,
      half_open_in_flight: snapshot.halfOpenInFlight,
      opened_at: snapshot.openedAt === undefined ? null : new Date(snapshot.openedAt).toISOString(),
      last_change_at: new Date(snapshot.lastChangeAt).toISOString(),
      retry_in_seconds:
        snapshot.state === 'open' && snapshot.openedAt !== undefined
          ? Math.max(0, Math.ceil((snapshot.openedAt + BREAKER_DEFAULTS.cooldownMs - now) / 1000))
          : 0,
    }));
    return { items: items.sort((a, b) => a.name.localeCompare(b.name)) };
  }

  @Post(':name/reset')
  @HttpCode(204)
  @MinRole('admin')
  reset(@Param('name') name: string): void {
    if (!this.breakers.reset(name)) throw new NotFoundError(`No circuit named ${name}`);
  }
}
