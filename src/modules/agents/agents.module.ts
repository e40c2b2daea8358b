import { Module } from '@nestjs/common';
import type { CircuitBreakerRegistry } from '@aragora/resilience';
import { APP_CONFIG, type AppConfig } from '../../config';
import { RATE_LIMIT_STORE } from '../rate-limit/rate-limit.tokens';
import type { RateLimitStore } from '../rate-limit/rate-limit.store';
import { CIRCUIT_BREAKERS } from '../resilience/resilience.tokens';
import { AgentCaller } from './agent-caller';
import { realAgentCallerPorts } from './agent-caller.ports';
import { AgentMetrics } from './agent.metrics';
import { LeaderboardModule } from '../leaderboard/leaderboard.module';
import { AgentsController } from './agents.controller';
import { AgentsRepository } from './agents.repository';
import { AgentsService } from './agents.service';
import { ProviderBudget } from './provider-budget';
import { ProvidersController } from './providers.controller';
import { ProviderRegistry } from './providers/provider-registry';

/** Agent configurations, the provider adapters and the resilient call pipeline (AgentCaller). */
@Module({
  imports: [LeaderboardModule],
  controllers: [AgentsController, ProvidersController],
  providers: [
    AgentsRepository,
    AgentsService,
    AgentMetrics,
    {
      provide: ProviderRegistry,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => new ProviderRegistry(config),
    },
    {
      provide: ProviderBudget,
      inject: [APP_CONFIG, RATE_LIMIT_STORE],
      useFactory: (config: AppConfig, store: RateLimitStore) =>
        new ProviderBudget(store, budgetSettings(config), realAgentCallerPorts),
    },
    {
      provide: AgentCaller,
      inject: [APP_CONFIG, ProviderRegistry, CIRCUIT_BREAKERS, ProviderBudget, AgentMetrics],
      useFactory: (
        config: AppConfig,
        registry: ProviderRegistry,
        breakers: CircuitBreakerRegistry,
        budget: ProviderBudget,
        metrics: AgentMetrics,
      ) =>
        new AgentCaller({
          providers: (id) => registry.get(id),
          breakers,
          budget,
          metrics,
          agentTimeoutMs: config.debates.agentTimeoutMs,
          ports: realAgentCallerPorts,
        }),
    },
  ],
  exports: [AgentsService, AgentCaller, ProviderRegistry],
})
export class AgentsModule {}

function budgetSettings(config: AppConfig) {
  const { rpm, burstShare, interRequestDelayMs, openrouterInterRequestDelayMs } = config.providers;
  const staggerMs = Object.fromEntries(
    Object.keys(rpm).map((p) => [
      p,
      p === 'openrouter' ? openrouterInterRequestDelayMs : interRequestDelayMs,
    ]),
  ) as Record<keyof typeof rpm, number>;
  return { rpm, burstShare, staggerMs };
}
