import { buildResult } from '../result';
import type { DebateState } from '../types';
import { type PhaseContext, type PhaseOutcome } from './context';

export async function finishPhase(ctx: PhaseContext, state: DebateState): Promise<PhaseOutcome> {
  const result = buildResult(state);
  await ctx.log.emit({
    type: 'debate_end',
    data: {
      status: result.status,
      reason: result.reason,
      winner: result.consensus.winner,
      confidence: result.consensus.confidence,
      roundsCompleted: result.roundsCompleted,
    },
  });
  return { state: { ...state, result }, next: { phase: 'done' } };
}
