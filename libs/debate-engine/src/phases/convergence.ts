import { classifyConvergence, textSimilarity } from '../convergence';
import { liveParticipants, positionHistory } from '../participants';
import type { ConvergenceCheck, DebateState } from '../types';
import { afterRound, type PhaseContext, type PhaseOutcome } from './context';

/**
 * Each revision of round r against the same participant's previous position. A participant
 * whose revision failed this round is left out: an unchanged position is no sign of agreement.
 */
export async function convergencePhase(
  ctx: PhaseContext,
  state: DebateState,
  round: number,
): Promise<PhaseOutcome> {
  const thresholds = state.spec.convergence;
  const similarities: ConvergenceCheck['similarities'] = [];
  for (const p of liveParticipants(state)) {
    const history = positionHistory(state, p.id);
    const latest = history.at(-1);
    const previous = history.at(-2);
    if (latest?.kind === 'revision' && latest.round === round && previous) {
      similarities.push({
        participant: p.id,
        similarity: textSimilarity(previous.text, latest.text),
      });
    }
  }
  const values = similarities.map((s) => s.similarity);
  const check: ConvergenceCheck = {
    round,
    status: classifyConvergence(values, thresholds),
    minSimilarity: values.length > 0 ? Math.min(...values) : null,
    similarities,
  };
  await ctx.log.emit({ type: 'convergence_check', round, data: { ...check, ...thresholds } });
  await ctx.log.emit({
    type: 'round_complete',
    round,
    data: { round, convergence: check.status },
  });
  const next: DebateState = {
    ...state,
    convergence: [...state.convergence, check],
    roundsCompleted: round,
    earlyStop: check.status === 'converged' && round < state.spec.rounds,
  };
  return { state: next, next: afterRound(next, round) };
}
