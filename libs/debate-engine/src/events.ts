import type {
  AgentFailure,
  ConsensusDecision,
  ConsensusMode,
  ConvergenceCheck,
  ConvergenceStatus,
  DebateStatus,
  FailureReason,
  ForkOrigin,
  TallyEntry,
  TextMessage,
  TokenUsage,
  VoteOutput,
} from './types';

/** Payload of each durable event type (SPEC §9). */
export interface EventDataMap {
  debate_start: {
    task: string;
    participants: { id: string; agent: string }[];
    rounds: number;
    consensus: ConsensusMode;
    domain: string | null;
    fork: ForkOrigin | null;
  };
  round_start: { round: number };
  agent_message: {
    messageId: string;
    kind: TextMessage['kind'];
    text: string;
    usage: TokenUsage;
  };
  critique: {
    messageId: string;
    target: string;
    issues: string[];
    suggestions: string[];
    severity: number;
    usage: TokenUsage;
  };
  revision: { messageId: string; previousMessageId: string; critiques: string[] };
  convergence_check: ConvergenceCheck & { converged: number; diverging: number };
  vote: {
    messageId: string;
    choice: string;
    confidence: number;
    reasoning: string;
    weight: number;
    usage: TokenUsage;
  };
  consensus: ConsensusDecision & {
    verdict: VoteOutput | null;
    tally: TallyEntry[];
    totalWeight: number;
  };
  synthesis: {
    messageId: string | null;
    by: string;
    finalAnswer: string;
    strongestDissent: string | null;
    fallback: boolean;
  };
  agent_error: AgentFailure & { attempts: number };
  round_complete: { round: number; convergence: ConvergenceStatus };
  debate_end: {
    status: DebateStatus;
    reason: FailureReason | null;
    winner: string | null;
    confidence: number;
    roundsCompleted: number;
  };
}

export type DebateEventType = keyof EventDataMap;

interface Envelope<T extends DebateEventType> {
  type: T;
  /** Per-debate, 1, 2, 3 … without gaps. */
  seq: number;
  /** Clock port milliseconds. */
  ts: number;
  round?: number;
  /** Participant id. */
  agent?: string;
  data: EventDataMap[T];
}

export type DebateEvent = { [T in DebateEventType]: Envelope<T> }[DebateEventType];

/** An event before the engine stamps seq and ts. */
export type DebateEventDraft = {
  [T in DebateEventType]: Omit<Envelope<T>, 'seq' | 'ts'>;
}[DebateEventType];

export interface TokenDeltaEvent {
  type: 'token_delta';
  ts: number;
  round: number;
  agent: string;
  data: { messageId: string; kind: TextMessage['kind']; text: string };
}
