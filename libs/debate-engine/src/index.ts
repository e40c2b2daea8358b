export type * from './types';
export { CONSENSUS_MODES } from './types';
export type {
  DebateEvent,
  DebateEventDraft,
  DebateEventType,
  EventDataMap,
  TokenDeltaEvent,
} from './events';
export type {
  AgentInvocation,
  AgentPort,
  AgentReply,
  CheckpointStore,
  Clock,
  DebatePorts,
  EventSink,
  HumanVote,
  HumanVoteSource,
} from './ports';
export { DebateEngine, type EngineOptions, type RunOptions } from './engine';
export { DEFAULT_CONCURRENCY, type ConcurrencyLimits } from './phases/context';
export {
  createDebateSpec,
  DEFAULT_CONSENSUS,
  DEFAULT_ROUNDS,
  initialCheckpoint,
  isCheckpoint,
  validateSpec,
  type DebateSpecInput,
} from './spec';
export { forkCheckpoint, type ForkRequest } from './fork';
export { abortOutcome, DebateAbortedError, InvalidDebateError } from './errors';
export { agentOf, participantIds, quorum } from './participants';
export {
  classifyConvergence,
  DEFAULT_CONVERGENCE,
  jaccard,
  textSimilarity,
  tfidfCosine,
} from './convergence';
export {
  chooseJudge,
  decideByVotes,
  judgeDecision,
  judgeFailedDecision,
  MAJORITY_SHARE,
  SUPERMAJORITY_SHARE,
  tallyVotes,
  type TallyInput,
} from './consensus';
export {
  agentVoteWeight,
  BASE_ELO,
  effectiveElo,
  HUMAN_VOTE_BASE,
  humanVoteWeight,
  intensityMultiplier,
  MAX_VOTE_WEIGHT,
  MIN_VOTE_WEIGHT,
} from './vote-weight';
export {
  applyDebateElo,
  ELO_INITIAL,
  ELO_K,
  eloDeltas,
  eloUpdate,
  emptyEloLedger,
  expectedScore,
  type EloChange,
  type EloDebate,
  type EloDeltaInput,
  type EloLedger,
  type EloUpdate,
  type Ratings,
} from './elo';
export {
  choiceSchema,
  CRITIQUE_SCHEMA,
  structuredPayload,
  validateChoice,
  validateCritique,
  type Validation,
} from './schemas';
