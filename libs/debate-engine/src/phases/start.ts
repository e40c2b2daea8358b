import type { DebateState } from '../types';
import { afterRound, type PhaseContext, type PhaseOutcome } from './context';

/** Announces the debate; a fork then continues after its inherited rounds. */
export async function startPhase(ctx: PhaseContext, state: DebateState): Promise<PhaseOutcome> {
  const { spec } = state;
  await ctx.log.emit({
    type: 'debate_start',
    data: {
      task: spec.task,
      participants: spec.participants.map((p) => ({ id: p.id, agent: p.agent })),
      rounds: spec.rounds,
      consensus: spec.consensus,
      domain: spec.domain,
      fork: spec.fork,
    },
  });
  const inherited = state.messages.some((m) => m.kind === 'proposal');
  return {
    state,
    next: inherited ? afterRound(state, state.roundsCompleted) : { phase: 'proposals' },
  };
}
