import type { DebateEvent, TokenDeltaEvent } from './events';
import type { CallKind, Checkpoint } from './types';

export interface AgentInvocation {
  participant: string;
  agent: string;
  persona: string;
  kind: CallKind;
  /** 1 for proposals; r for critiques/revisions of round r; the final round for vote/judge/synthesis. */
  round: number;
  /** Deterministic id of the message this call produces (for logs and idempotent adapters). */
  messageId: string;
  task: string;
  system: string;
  messages: { role: 'user' | 'assistant'; content: string }[];
  /** JSON Schema for structured output (critique, vote, judge). */
  output?: { name: string; schema: Record<string, unknown> };
  /** critique: [the target]; vote/judge/synthesis: the positions to weigh. */
  candidates?: { id: string; text: string }[];
  /** revision: the participant's current position. */
  ownPosition?: string;
  /** True for proposal/revision/synthesis text: the adapter may deliver deltas via onDelta. */
  stream: boolean;
  onDelta?: (text: string) => void;
}

export interface AgentReply {
  text: string;
  /** The structured object when the provider returned one; otherwise the engine parses `text`. */
  object?: unknown;
  usage: { inputTokens: number; outputTokens: number };
}

export interface AgentPort {
  /** One LLM call. Any rejection is a failed call (timeout, provider error, open circuit). */
  invoke(call: AgentInvocation, signal: AbortSignal): Promise<AgentReply>;
}

export interface EventSink {
  /** Durable events, handed over one at a time in seq order. */
  emit(event: DebateEvent): Promise<void>;
  /** token_delta: not persisted, no seq. */
  ephemeral(event: TokenDeltaEvent): void;
}

export interface CheckpointStore {
  /**
   * Called after each phase; must be durable when it resolves (the next phase starts then). The
   * checkpoint is read-only: the engine never changes it afterwards, and neither may the store.
   */
  save(checkpoint: Readonly<Checkpoint>): Promise<void>;
}

export interface HumanVote {
  principal: string;
  /** A participant id (the position voted for). */
  choice: string;
  /** 1–10. */
  intensity: number;
}

export interface HumanVoteSource {
  /** Read once, when the votes are tallied. */
  current(): Promise<HumanVote[]>;
}

export interface Clock {
  now(): number;
}

export interface DebatePorts {
  agents: AgentPort;
  events: EventSink;
  checkpoints: CheckpointStore;
  humanVotes: HumanVoteSource;
  clock: Clock;
}
