import { InvalidDebateError } from './errors';
import { liveParticipants, quorum } from './participants';
import { initialState, validateSpec } from './spec';
import type { Checkpoint, ConsensusMode, DebateState } from './types';

export interface ForkRequest {
  debateId: string;
  /** Rounds to inherit: 0 = the parent's proposals only, k = through round k's revisions. */
  fromRound: number;
  /** Extra context for the fork's prompts; the parent's when omitted. */
  context?: string | null;
  rounds?: number;
  consensus?: ConsensusMode;
}

function inherited(round: number, kind: string, fromRound: number): boolean {
  return (
    kind === 'proposal' || ((kind === 'critique' || kind === 'revision') && round <= fromRound)
  );
}

/**
 * A new debate that inherits the parent's transcript up to `fromRound` and continues with the
 * critiques of round fromRound + 1 (or goes straight to the vote when no rounds are left).
 */
export function forkCheckpoint(parent: DebateState, fork: ForkRequest): Checkpoint {
  const { fromRound } = fork;
  if (!Number.isInteger(fromRound) || fromRound < 0 || fromRound > parent.roundsCompleted) {
    throw new InvalidDebateError(
      `fromRound must be between 0 and ${parent.roundsCompleted} (the parent's completed rounds)`,
    );
  }
  if (liveParticipants(parent).length < quorum(parent.spec.participants.length)) {
    throw new InvalidDebateError('the parent debate has no live positions to fork from');
  }
  const spec = {
    ...parent.spec,
    debateId: fork.debateId,
    context: fork.context === undefined ? parent.spec.context : fork.context,
    rounds: fork.rounds ?? parent.spec.rounds,
    consensus: fork.consensus ?? parent.spec.consensus,
    fork: { parentId: parent.spec.debateId, fromRound },
  };
  validateSpec(spec);
  const state: DebateState = {
    ...initialState(spec),
    messages: parent.messages.filter((m) => inherited(m.round, m.kind, fromRound)),
    failures: parent.failures.filter((f) => inherited(f.round, f.kind, fromRound)),
    convergence: parent.convergence.filter((c) => c.round <= fromRound),
    startedRound: fromRound,
    roundsCompleted: fromRound,
  };
  return { version: 1, next: { phase: 'start' }, lastSeq: 0, state };
}
