import { Controller, Get, Inject } from '@nestjs/common';
import type { CircuitBreakerRegistry, CircuitState } from '@aragora/resilience';
import { InjectCircuitBreakers } from '../resilience/resilience.decorators';
import { ProviderBudget, type BudgetState } from './provider-budget';
import { ProviderRegistry } from './providers/provider-registry';

export interface ProviderView {
  id: string;
  /** Circuits of this provider's models that have been called, by model. */
  circuits: { model: string; state: CircuitState }[];
  /** Worst state over its circuits (`closed` when none was called yet). */
  state: CircuitState;
  /** RPM budget (null for the demo provider, which has none). */
  budget: BudgetState | null;
}

const SEVERITY: Record<CircuitState, number> = { closed: 0, half_open: 1, open: 2 };

/** Configured providers with their breaker state and RPM budget left (no secrets). */
@Controller('api/v1/providers')
export class ProvidersController {
  constructor(
    private readonly registry: ProviderRegistry,
    @Inject(ProviderBudget) private readonly budget: ProviderBudget,
    @InjectCircuitBreakers() private readonly breakers: CircuitBreakerRegistry,
  ) {}

  @Get()
  list(): { items: ProviderView[] } {
    const circuits = this.breakers.list();
    const items = this.registry.ids().map((id): ProviderView => {
      const own = circuits
        .filter((c) => c.name.startsWith(`${id}:`))
        .map((c) => ({ model: c.name.slice(id.length + 1), state: c.snapshot.state }));
      const state = own.reduce<CircuitState>(
        (worst, c) => (SEVERITY[c.state] > SEVERITY[worst] ? c.state : worst),
        'closed',
      );
      return { id, circuits: own, state, budget: id === 'demo' ? null : this.budget.state(id) };
    });
    return { items };
  }
}
