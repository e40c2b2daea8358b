import { addUsage, callText } from '../call';
import { strongestDissent } from '../dissent';
import { currentPosition, finalRound, participantById } from '../participants';
import { synthesisPrompt } from '../prompts';
import type { DebateState, SynthesisOutcome, TextMessage } from '../types';
import { type PhaseContext, type PhaseOutcome } from './context';

/**
 * One call, to the judge when it decided, else to the winner. If it fails the winning position
 * itself is the final answer (marked as a fallback), never an invented one.
 */
export async function synthesisPhase(ctx: PhaseContext, state: DebateState): Promise<PhaseOutcome> {
  const decision = state.decision;
  if (!decision?.winner) throw new Error('synthesis phase without a winner');
  const winner = decision.winner;
  const authorId = decision.method === 'judge' && decision.judge ? decision.judge : winner;
  const author = participantById(state, authorId);
  const round = finalRound(state);
  const messageId = `r${round}:synthesis:${author.id}`;
  const winning = { id: winner, text: currentPosition(state, winner)?.text ?? '' };
  const dissentId = strongestDissent(state, winner);
  const dissent = dissentId
    ? { id: dissentId, text: currentPosition(state, dissentId)?.text ?? '' }
    : null;
  const outcome = await callText(ctx, {
    participant: author,
    kind: 'synthesis',
    round,
    messageId,
    candidates: dissent ? [winning, dissent] : [winning],
    messages: synthesisPrompt(state.spec, winning, dissent),
  });
  const synthesis: SynthesisOutcome = {
    by: author.id,
    messageId: outcome.ok ? messageId : null,
    finalAnswer: outcome.ok ? outcome.value : winning.text,
    strongestDissent: dissentId,
    fallback: !outcome.ok,
  };
  if (outcome.ok) {
    await ctx.log.emit({
      type: 'agent_message',
      round,
      agent: author.id,
      data: { messageId, kind: 'synthesis', text: outcome.value, usage: outcome.usage },
    });
  }
  await ctx.log.emit({ type: 'synthesis', round, agent: author.id, data: synthesis });
  const message: TextMessage[] = outcome.ok
    ? [
        {
          id: messageId,
          kind: 'synthesis',
          round,
          participant: author.id,
          text: outcome.value,
          usage: outcome.usage,
        },
      ]
    : [];
  return {
    state: {
      ...state,
      messages: [...state.messages, ...message],
      failures: outcome.ok ? state.failures : [...state.failures, outcome.failure],
      usage: addUsage(state.usage, outcome.usage),
      synthesis,
    },
    next: { phase: 'finish' },
  };
}
