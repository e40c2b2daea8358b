/**
 * The port every LLM provider adapter implements (the AI SDK adapters and the demo provider).
 * Resilience (RPM budget, stagger, breaker, retry, timeout) wraps it in AgentCaller, not here.
 */

export const PROVIDER_IDS = [
  'anthropic',
  'openai',
  'gemini',
  'mistral',
  'deepseek',
  'grok',
  'openrouter',
  'openai-compatible',
  'demo',
] as const;
export type ProviderId = (typeof PROVIDER_IDS)[number];

/** What the debate engine is asking for; real providers see only the messages. */
export const AGENT_TASK_KINDS = [
  'proposal',
  'critique',
  'revision',
  'vote',
  'judge',
  'synthesis',
] as const;
export type AgentTaskKind = (typeof AGENT_TASK_KINDS)[number];

export interface Candidate {
  /** participant name, e.g. `demo#2` */
  readonly id: string;
  readonly text: string;
}

/**
 * Structured description of a call. The demo provider answers from it (deterministically);
 * real providers ignore it and answer the prompt in `messages`.
 */
export interface AgentTaskHint {
  readonly kind: AgentTaskKind;
  /** the debate question */
  readonly task: string;
  /** 1 for proposals, then the critique/revision round; the final round for vote/judge/synthesis */
  readonly round: number;
  /** the participant being asked, e.g. `demo-skeptic` or `demo#2` */
  readonly participant: string;
  /** the agent's persona name (demo: `analyst`, `skeptic`, … or `default`) */
  readonly persona: string;
  /** critique: the one position criticised; vote/judge/synthesis: every position */
  readonly candidates?: readonly Candidate[];
  /** revision: the participant's own current position */
  readonly ownPosition?: string;
}

export interface ChatMessage {
  readonly role: 'user' | 'assistant';
  readonly content: string;
}

/** A JSON Schema (draft 7 subset) object. */
export type JsonSchemaObject = Readonly<Record<string, unknown>>;

export interface StructuredOutput {
  readonly name: string;
  readonly schema: JsonSchemaObject;
}

export interface ProviderRequest {
  readonly model: string;
  readonly system?: string;
  readonly messages: readonly ChatMessage[];
  readonly temperature?: number;
  readonly maxTokens?: number;
  /** ask for JSON matching this schema; the result then carries `object` */
  readonly output?: StructuredOutput;
  readonly hint?: AgentTaskHint;
  readonly signal: AbortSignal;
}

export interface TokenUsage {
  readonly inputTokens: number;
  readonly outputTokens: number;
}

export interface ProviderResult {
  readonly text: string;
  /** the parsed object when `output` was requested */
  readonly object?: unknown;
  readonly usage: TokenUsage;
  readonly finishReason: string;
}

export type ProviderEvent =
  | { readonly type: 'delta'; readonly text: string }
  | { readonly type: 'done'; readonly result: ProviderResult };

export interface LlmProvider {
  readonly id: ProviderId;
  /** Streams text deltas in order, then exactly one `done`. */
  stream(request: ProviderRequest): AsyncIterable<ProviderEvent>;
  complete(request: ProviderRequest): Promise<ProviderResult>;
}

/** Thrown by a provider for a failed call; `status` mirrors the HTTP status when there was one. */
export class ProviderCallError extends Error {
  constructor(
    message: string,
    readonly details: {
      readonly provider: ProviderId;
      readonly status?: number;
      readonly retryAfter?: string;
      readonly kind: 'http' | 'network' | 'malformed' | 'simulated';
    },
  ) {
    super(message);
    this.name = 'ProviderCallError';
  }

  /** Read by the retry classifier (non-retryable statuses). */
  get status(): number | undefined {
    return this.details.status;
  }

  /** Read by the retry classifier (`Retry-After`). */
  get headers(): Readonly<Record<string, string>> {
    const { retryAfter } = this.details;
    return retryAfter === undefined ? {} : { 'retry-after': retryAfter };
  }
}
