import { CircuitBreakerRegistry, type CircuitState, type Clock } from '@aragora/resilience';
import type { Logger } from '../../common/logging/logger';
import { createGauge } from '../observability/metric-registry';

/** Seed semantics: 3 consecutive failures open; 60 s cooldown; 3 trial calls; 2 successes close. */
export const BREAKER_DEFAULTS = {
  failureThreshold: 3,
  cooldownMs: 60_000,
  halfOpenMaxCalls: 3,
  halfOpenSuccessThreshold: 2,
} as const;

const STATE_VALUE: Record<CircuitState, number> = { closed: 0, open: 1, half_open: 2 };

/** One registry per process; `aragora_circuit_breaker_state{name}` is read from it on scrape. */
export function createCircuitBreakers(log: Logger, clock: Clock = Date): CircuitBreakerRegistry {
  const registry: CircuitBreakerRegistry = new CircuitBreakerRegistry({
    clock,
    defaults: BREAKER_DEFAULTS,
    onStateChange: (name, from, to) => {
      const entry = { circuit: name, from, to };
      if (to === 'open') log.warn(entry, 'circuit opened');
      else log.info(entry, 'circuit state changed');
    },
  });
  createGauge({
    name: 'aragora_circuit_breaker_state',
    help: 'Circuit breaker state by name: 0 closed, 1 open, 2 half-open',
    labelNames: ['name'] as const,
    collect() {
      this.reset();
      for (const { name, snapshot } of registry.list()) {
        this.set({ name }, STATE_VALUE[snapshot.state]);
      }
    },
  });
  return registry;
}
