import { Injectable } from '@nestjs/common';
import { createCounter, createHistogram } from '../observability/metric-registry';
import type { AgentFailure } from './agent.types';
import type { TokenUsage } from './providers/provider.types';

export type CallOutcome = 'success' | 'fallback' | 'cancelled' | AgentFailure;

/** Agent call duration by outcome, retries, fallbacks and token usage, by provider. */
@Injectable()
export class AgentMetrics {
  private readonly duration = createHistogram({
    name: 'aragora_agent_call_duration_seconds',
    help: 'Agent calls (retries, waits and fallback included) by provider and outcome',
    labelNames: ['provider', 'outcome'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 240],
  });
  private readonly retries = createCounter({
    name: 'aragora_agent_retries_total',
    help: 'Provider calls retried after a retryable error',
    labelNames: ['provider'] as const,
  });
  private readonly tokens = createCounter({
    name: 'aragora_agent_tokens_total',
    help: 'Tokens used by agent calls by provider and direction (input, output)',
    labelNames: ['provider', 'direction'] as const,
  });
  private readonly fallbacks = createCounter({
    name: 'aragora_agent_fallbacks_total',
    help: 'Agent calls answered by the fallback provider after a quota or rate error',
    labelNames: ['from', 'to'] as const,
  });

  call(provider: string, outcome: CallOutcome, seconds: number): void {
    this.duration.observe({ provider, outcome }, seconds);
  }

  retry(provider: string): void {
    this.retries.inc({ provider });
  }

  usage(provider: string, usage: TokenUsage): void {
    if (usage.inputTokens > 0) this.tokens.inc({ provider, direction: 'input' }, usage.inputTokens);
    if (usage.outputTokens > 0)
      this.tokens.inc({ provider, direction: 'output' }, usage.outputTokens);
  }

  fallback(from: string, to: string): void {
    this.fallbacks.inc({ from, to });
  }
}
