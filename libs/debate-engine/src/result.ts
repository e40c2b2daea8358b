import { dissentEntries } from './dissent';
import { currentPosition, liveParticipants } from './participants';
import type { ConsensusDecision, DebateResult, DebateState, DebateStatus } from './types';

function failedDecision(state: DebateState): ConsensusDecision {
  return {
    reached: false,
    mode: state.spec.consensus,
    method: 'none',
    winner: null,
    confidence: 0,
    judge: null,
    judgeFailure: null,
    supportingAgents: [],
    dissentingAgents: [],
  };
}

/** The verdict as the app stores it; a debate without quorum is `failed` with confidence 0. */
export function buildResult(state: DebateState): DebateResult {
  const failed = state.failure !== null;
  const decision = failed ? failedDecision(state) : state.decision;
  if (!decision) throw new Error('a debate cannot end without a decision');
  const status: DebateStatus = failed ? 'failed' : decision.reached ? 'completed' : 'no_consensus';
  return {
    debateId: state.spec.debateId,
    status,
    reason: state.failure,
    consensus: {
      ...decision,
      finalAnswer: failed ? null : (state.synthesis?.finalAnswer ?? null),
    },
    positions: liveParticipants(state).flatMap((p) => {
      const position = currentPosition(state, p.id);
      return position
        ? [{ participant: p.id, agent: p.agent, messageId: position.id, text: position.text }]
        : [];
    }),
    tally: state.tally,
    dissent: failed ? [] : dissentEntries(state, decision.winner),
    agentFailures: state.failures,
    convergence: state.convergence,
    roundsCompleted: state.roundsCompleted,
    earlyStop: state.earlyStop,
    usage: state.usage,
  };
}
