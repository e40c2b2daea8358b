/** Everything here is plain JSON: the checkpoint that holds it is stored as jsonb. */

export type ConsensusMode =
  'majority' | 'supermajority' | 'unanimous' | 'judge' | 'hybrid' | 'none';

export const CONSENSUS_MODES: readonly ConsensusMode[] = [
  'majority',
  'supermajority',
  'unanimous',
  'judge',
  'hybrid',
  'none',
];

export type CallKind = 'proposal' | 'critique' | 'revision' | 'vote' | 'judge' | 'synthesis';

export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
}

export interface EloSnapshot {
  global: number;
  /** Rating in the debate's domain; null when the agent has none yet (the global one is used). */
  domain: number | null;
}

export interface Participant {
  /** Unique in the debate: `demo`, `demo#2`, `demo-skeptic` … */
  id: string;
  /** Registered agent name (the id without `#n`). */
  agent: string;
  persona: string;
  /** Ratings when the debate was created: fixed for the whole debate so a resume weighs alike. */
  elo: EloSnapshot;
}

export interface ConvergenceThresholds {
  /** Every similarity at or above → converged (early stop). */
  converged: number;
  /** Any similarity below → diverging. */
  diverging: number;
}

export interface ForkOrigin {
  parentId: string;
  /** Rounds inherited from the parent (0 = its proposals only). */
  fromRound: number;
}

/** What a debate is; fixed once created (kept in every checkpoint). */
export interface DebateSpec {
  debateId: string;
  task: string;
  /** Memory context (and a fork's extra context), injected into proposal and revision prompts. */
  context: string | null;
  domain: string | null;
  participants: Participant[];
  rounds: number;
  consensus: ConsensusMode;
  convergence: ConvergenceThresholds;
  fork: ForkOrigin | null;
}

export interface CritiqueOutput {
  issues: string[];
  suggestions: string[];
  severity: number;
}

/** A vote, and also the shape of a judge's verdict. */
export interface VoteOutput {
  choice: string;
  confidence: number;
  reasoning: string;
}

interface MessageBase {
  /** Deterministic (`r2:revision:demo#2`): a redone phase upserts instead of duplicating. */
  id: string;
  round: number;
  participant: string;
  text: string;
  usage: TokenUsage;
}

export interface TextMessage extends MessageBase {
  kind: 'proposal' | 'revision' | 'synthesis';
}

export interface CritiqueMessage extends MessageBase {
  kind: 'critique';
  target: string;
  critique: CritiqueOutput;
}

export interface VoteMessage extends MessageBase {
  kind: 'vote';
  vote: VoteOutput;
}

export interface JudgeMessage extends MessageBase {
  kind: 'judge';
  verdict: VoteOutput;
}

export type DebateMessage = TextMessage | CritiqueMessage | VoteMessage | JudgeMessage;

export interface AgentFailure {
  participant: string;
  kind: CallKind;
  round: number;
  reason: string;
  /** The critiqued participant, for critiques. */
  target: string | null;
}

export type ConvergenceStatus = 'converged' | 'refining' | 'diverging';

export interface ConvergenceCheck {
  round: number;
  status: ConvergenceStatus;
  /** Lowest similarity; null when no participant revised this round. */
  minSimilarity: number | null;
  /** Each participant that revised this round: its revision against its previous position. */
  similarities: { participant: string; similarity: number }[];
}

export interface HumanVoteRecord {
  principal: string;
  choice: string;
  intensity: number;
}

export interface CountedVote {
  voter: string;
  source: 'agent' | 'human';
  choice: string;
  weight: number;
  /** Agent votes only. */
  confidence: number | null;
  reasoning: string | null;
  /** Human votes only. */
  intensity: number | null;
}

export interface TallyEntry {
  choice: string;
  weight: number;
  votes: number;
}

export interface Tally {
  votes: CountedVote[];
  /** Highest weight first; ties in participant order. */
  entries: TallyEntry[];
  totalWeight: number;
  leader: string | null;
  /** leader weight / total weight, 0 without votes. */
  leaderShare: number;
  /** Human votes naming no live position: kept out of the tally. */
  ignoredHumanVotes: HumanVoteRecord[];
}

export type DecisionMethod = 'vote' | 'judge' | 'none';

export interface ConsensusDecision {
  reached: boolean;
  mode: ConsensusMode;
  method: DecisionMethod;
  /** The winning (or, without consensus, leading) participant; null in mode `none`. */
  winner: string | null;
  confidence: number;
  judge: string | null;
  /** Why the judge gave no verdict, when one was asked and failed. */
  judgeFailure: string | null;
  supportingAgents: string[];
  dissentingAgents: string[];
}

export interface SynthesisOutcome {
  by: string;
  messageId: string | null;
  finalAnswer: string;
  strongestDissent: string | null;
  /** True when the synthesis call failed and the winning position is the answer as is. */
  fallback: boolean;
}

export interface DissentEntry {
  participant: string;
  agent: string;
  messageId: string;
  position: string;
  voteWeight: number;
  /** Its own vote's reasoning and the issues it raised against the winner. */
  reasons: string[];
}

export interface FinalPosition {
  participant: string;
  agent: string;
  messageId: string;
  text: string;
}

export type DebateStatus = 'completed' | 'no_consensus' | 'failed';

export type FailureReason = 'insufficient_participation';

export interface DebateResult {
  debateId: string;
  status: DebateStatus;
  reason: FailureReason | null;
  consensus: ConsensusDecision & { finalAnswer: string | null };
  positions: FinalPosition[];
  tally: Tally | null;
  dissent: DissentEntry[];
  agentFailures: AgentFailure[];
  convergence: ConvergenceCheck[];
  roundsCompleted: number;
  earlyStop: boolean;
  usage: TokenUsage;
}

export interface DebateState {
  spec: DebateSpec;
  /** Every successful call, phase by phase, in participant order inside a phase. */
  messages: DebateMessage[];
  failures: AgentFailure[];
  convergence: ConvergenceCheck[];
  /** Highest round whose round_start was emitted. */
  startedRound: number;
  roundsCompleted: number;
  earlyStop: boolean;
  usage: TokenUsage;
  tally: Tally | null;
  decision: ConsensusDecision | null;
  synthesis: SynthesisOutcome | null;
  failure: FailureReason | null;
  result: DebateResult | null;
}

/** The next phase to run. */
export type Cursor =
  | { phase: 'start' }
  | { phase: 'proposals' }
  | { phase: 'critiques'; round: number }
  | { phase: 'revisions'; round: number }
  | { phase: 'convergence'; round: number }
  | { phase: 'vote' }
  | { phase: 'consensus' }
  | { phase: 'synthesis' }
  | { phase: 'finish' }
  | { phase: 'done' };

export type PhaseName = Cursor['phase'];

export interface Checkpoint {
  version: 1;
  next: Cursor;
  /** Seq of the last event emitted when the checkpoint was taken. */
  lastSeq: number;
  state: DebateState;
}
