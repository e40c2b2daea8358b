import {
  abortReason,
  CircuitOpenError,
  classifyHttpError,
  RETRY_ANTHROPIC,
  RETRY_DEFAULT,
  RETRY_PROVIDER_DEFAULT,
  retry,
  TimeoutError,
  withTimeout,
  type CircuitBreakerRegistry,
  type Clock,
  type RetryPolicy,
  type SetTimer,
} from '@aragora/resilience';
import type { AgentMetrics } from './agent.metrics';
import {
  AgentCallError,
  type AgentCallInput,
  type AgentCallResult,
  type AgentFailure,
  type AgentSpec,
  type AgentTarget,
} from './agent.types';
import type { ProviderBudget } from './provider-budget';
import {
  ProviderCallError,
  type LlmProvider,
  type ProviderId,
  type ProviderRequest,
  type ProviderResult,
} from './providers/provider.types';

export interface AgentCallerPorts {
  readonly clock: Clock;
  readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly random: () => number;
  readonly setTimer: SetTimer;
}

export interface AgentCallerDeps {
  readonly providers: (id: ProviderId) => LlmProvider | undefined;
  readonly breakers: CircuitBreakerRegistry;
  readonly budget: ProviderBudget;
  readonly metrics: AgentMetrics;
  readonly agentTimeoutMs: number;
  readonly ports: AgentCallerPorts;
  /** Test seam: per-provider retry policy. */
  readonly retryPolicy?: (provider: ProviderId) => RetryPolicy;
}

/** Errors about the request itself: a retry cannot fix them and they say nothing of the provider's health. */
const CLIENT_ERRORS: ReadonlySet<number> = new Set([400, 404, 413, 422]);
/** Errors that make the fallback provider worth trying. */
const QUOTA_ERRORS: ReadonlySet<number> = new Set([402, 429]);

export function defaultRetryPolicy(provider: ProviderId): RetryPolicy {
  if (provider === 'anthropic') return RETRY_ANTHROPIC;
  if (provider === 'demo') return RETRY_DEFAULT;
  return RETRY_PROVIDER_DEFAULT;
}

export function breakerName(target: AgentTarget): string {
  return `${target.provider}:${target.model}`;
}

interface Attempts {
  count: number;
  /** True once a delta reached the caller: a retry would repeat it. */
  streamed: boolean;
}

/**
 * One agent call through the whole resilience pipeline: circuit breaker for provider+model, RPM
 * budget and stagger, the provider call, retry with backoff (honouring Retry-After), the agent
 * timeout over everything, fallback on quota/rate errors, and usage accounting.
 */
export class AgentCaller {
  constructor(private readonly deps: AgentCallerDeps) {}

  async call(agent: AgentSpec, input: AgentCallInput): Promise<AgentCallResult> {
    const { clock } = this.deps.ports;
    const started = clock.now();
    const timeoutMs = input.timeoutMs ?? this.deps.agentTimeoutMs;
    const attempts: Attempts = { count: 0, streamed: false };
    let target: AgentTarget = agent;
    try {
      const { result, fallback } = await withTimeout(
        async (signal) => {
          try {
            return { result: await this.callTarget(agent, agent, input, signal, attempts) };
          } catch (error) {
            if (!agent.fallback || attempts.streamed || !isQuotaError(error)) throw error;
            target = agent.fallback;
            this.deps.metrics.fallback(agent.provider, target.provider);
            const reason = describe(error);
            const result = await this.callTarget(agent, target, input, signal, attempts);
            return { result, fallback: { from: targetOf(agent), to: target, reason } };
          }
        },
        timeoutMs,
        { ...(input.signal && { parent: input.signal }), setTimer: this.deps.ports.setTimer },
      );
      const durationMs = clock.now() - started;
      this.deps.metrics.usage(target.provider, result.usage);
      this.deps.metrics.call(agent.provider, fallback ? 'fallback' : 'success', durationMs / 1000);
      return {
        text: result.text,
        ...(result.object !== undefined && { object: result.object }),
        usage: result.usage,
        provider: target.provider,
        model: target.model,
        attempts: attempts.count,
        durationMs,
        ...(fallback && { fallback }),
      };
    } catch (error) {
      const seconds = (clock.now() - started) / 1000;
      if (input.signal?.aborted) {
        this.deps.metrics.call(agent.provider, 'cancelled', seconds);
        throw abortReason(input.signal);
      }
      const failure = this.failure(error, target, attempts.count, timeoutMs);
      this.deps.metrics.call(agent.provider, failure.code, seconds);
      throw failure;
    }
  }

  private async callTarget(
    agent: AgentSpec,
    target: AgentTarget,
    input: AgentCallInput,
    signal: AbortSignal,
    attempts: Attempts,
  ): Promise<ProviderResult> {
    const provider = this.deps.providers(target.provider);
    if (!provider) {
      throw new AgentCallError(
        'not_configured',
        `Provider ${target.provider} is not configured`,
        target,
        attempts.count,
      );
    }
    const breaker = this.deps.breakers.get(breakerName(target));
    const request: ProviderRequest = {
      model: target.model,
      ...systemOf(agent, input),
      messages: input.messages,
      ...(agent.temperature !== null && { temperature: agent.temperature }),
      ...(agent.maxTokens !== null && { maxTokens: agent.maxTokens }),
      ...(input.output && { output: input.output }),
      ...(input.hint && { hint: input.hint }),
      signal,
    };
    const policy = (this.deps.retryPolicy ?? defaultRetryPolicy)(target.provider);
    return retry(
      async () => {
        const permit = breaker.tryAcquire();
        if (permit instanceof CircuitOpenError) throw permit;
        try {
          if (target.provider !== 'demo') await this.deps.budget.acquire(target.provider, signal);
          attempts.count++;
          const result = await this.invoke(provider, request, input.onDelta, attempts);
          permit.success();
          return result;
        } catch (error) {
          // Cancelled by the caller, or the request's own fault: says nothing of the provider.
          if (input.signal?.aborted || isClientError(error)) permit.release();
          else permit.failure();
          throw error;
        }
      },
      policy,
      this.deps.ports,
      {
        signal,
        onRetry: () => this.deps.metrics.retry(target.provider),
        classify: (error, nowMs) =>
          attempts.streamed ? { retryable: false } : classifyHttpError(error, nowMs),
      },
    );
  }

  private async invoke(
    provider: LlmProvider,
    request: ProviderRequest,
    onDelta: ((text: string) => void) | undefined,
    attempts: Attempts,
  ): Promise<ProviderResult> {
    if (!onDelta) return provider.complete(request);
    for await (const event of provider.stream(request)) {
      if (event.type === 'done') return event.result;
      attempts.streamed = true;
      onDelta(event.text);
    }
    throw new ProviderCallError(`${provider.id}: the stream ended without a result`, {
      provider: provider.id,
      kind: 'malformed',
    });
  }

  private failure(
    error: unknown,
    target: AgentTarget,
    attempts: number,
    timeoutMs: number,
  ): AgentCallError {
    if (error instanceof AgentCallError) return error;
    const fail = (code: AgentFailure, message: string) =>
      new AgentCallError(code, message, target, attempts, { cause: error });
    if (error instanceof TimeoutError) {
      return fail('timeout', `No answer from ${breakerName(target)} within ${timeoutMs} ms`);
    }
    if (error instanceof CircuitOpenError) {
      return fail('circuit_open', `The circuit for ${breakerName(target)} is open`);
    }
    if (isQuotaError(error)) return fail('rate_limited', describe(error));
    if (isClientError(error)) return fail('invalid_request', describe(error));
    return fail('provider_error', describe(error));
  }
}

function targetOf(agent: AgentTarget): AgentTarget {
  return { provider: agent.provider, model: agent.model };
}

function systemOf(agent: AgentSpec, input: AgentCallInput): { system?: string } {
  const parts = [agent.systemPrompt, input.system].filter((p): p is string => !!p);
  return parts.length > 0 ? { system: parts.join('\n\n') } : {};
}

function statusOf(error: unknown): number | undefined {
  return error instanceof ProviderCallError ? error.status : undefined;
}

function isClientError(error: unknown): boolean {
  const status = statusOf(error);
  return status !== undefined && CLIENT_ERRORS.has(status);
}

function isQuotaError(error: unknown): boolean {
  const status = statusOf(error);
  return status !== undefined && QUOTA_ERRORS.has(status);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
