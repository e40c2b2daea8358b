import type {
  AgentTaskHint,
  ChatMessage,
  ProviderId,
  StructuredOutput,
  TokenUsage,
} from './providers/provider.types';

export interface AgentTarget {
  readonly provider: ProviderId;
  readonly model: string;
}

/** A resolved agent: a tenant's own configuration or a built-in preset. */
export interface AgentSpec extends AgentTarget {
  readonly name: string;
  /** Persona label (the demo provider's voice: default, analyst, skeptic, pragmatist, contrarian). */
  readonly persona: string;
  /** The agent's own instructions, put before the debate's role instructions. */
  readonly systemPrompt: string | null;
  readonly temperature: number | null;
  readonly maxTokens: number | null;
  /** Used once the primary provider answers with a quota or rate error. */
  readonly fallback: AgentTarget | null;
  readonly builtin: boolean;
}

export interface AgentCallInput {
  /** Role instructions for this call (appended to the agent's own system prompt). */
  readonly system?: string;
  readonly messages: readonly ChatMessage[];
  readonly output?: StructuredOutput;
  readonly hint?: AgentTaskHint;
  /** Cancels the call (never counted as a provider failure). */
  readonly signal?: AbortSignal;
  /** Stream token deltas to this callback, in order; a retry never repeats a delivered delta. */
  readonly onDelta?: (text: string) => void;
  /** Overrides ARAGORA_AGENT_TIMEOUT for this call (all attempts, waits and fallback included). */
  readonly timeoutMs?: number;
}

export interface FallbackRecord {
  readonly from: AgentTarget;
  readonly to: AgentTarget;
  readonly reason: string;
}

export interface AgentCallResult {
  readonly text: string;
  readonly object?: unknown;
  readonly usage: TokenUsage;
  /** The target that answered (the fallback's when one was used). */
  readonly provider: ProviderId;
  readonly model: string;
  /** Provider calls made, retries and fallback included. */
  readonly attempts: number;
  readonly durationMs: number;
  readonly fallback?: FallbackRecord;
}

export const AGENT_FAILURES = [
  'timeout',
  'circuit_open',
  'rate_limited',
  'provider_error',
  'invalid_request',
  'not_configured',
] as const;
export type AgentFailure = (typeof AGENT_FAILURES)[number];

/** A failed agent call after retries and fallback; `cause` is the last provider error. */
export class AgentCallError extends Error {
  override readonly name = 'AgentCallError';
  constructor(
    readonly code: AgentFailure,
    message: string,
    readonly target: AgentTarget,
    readonly attempts: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
