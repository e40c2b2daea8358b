import { addUsage, callStructured } from '../call';
import { currentPosition, liveParticipants } from '../participants';
import { critiquePrompt } from '../prompts';
import { CRITIQUE_SCHEMA, validateCritique } from '../schemas';
import type { AgentFailure, CritiqueMessage, DebateState, Participant } from '../types';
import { runBounded, type PhaseContext, type PhaseOutcome } from './context';

/** Round r: one call per (critic, target) pair of distinct live participants. */
export async function critiquesPhase(
  ctx: PhaseContext,
  state: DebateState,
  round: number,
): Promise<PhaseOutcome> {
  if (state.startedRound < round) {
    await ctx.log.emit({ type: 'round_start', round, data: { round } });
  }
  const live = liveParticipants(state);
  const pairs: { critic: Participant; target: Participant; position: string }[] = [];
  for (const critic of live) {
    for (const target of live) {
      const position = currentPosition(state, target.id);
      if (critic.id !== target.id && position)
        pairs.push({ critic, target, position: position.text });
    }
  }
  const outcomes = await runBounded(pairs, ctx.limits.critiques, ctx.signal, async (pair) => {
    const { critic, target, position } = pair;
    const messageId = `r${round}:critique:${critic.id}>${target.id}`;
    const candidate = { id: target.id, text: position };
    const outcome = await callStructured(
      ctx,
      {
        participant: critic,
        kind: 'critique',
        round,
        messageId,
        target: target.id,
        candidates: [candidate],
        messages: critiquePrompt(state.spec, candidate),
      },
      { name: 'critique', schema: CRITIQUE_SCHEMA, validate: validateCritique },
    );
    if (outcome.ok) {
      await ctx.log.emit({
        type: 'critique',
        round,
        agent: critic.id,
        data: { messageId, target: target.id, ...outcome.value, usage: outcome.usage },
      });
    }
    return { pair, messageId, outcome };
  });
  const messages: CritiqueMessage[] = [];
  const failures: AgentFailure[] = [];
  let usage = state.usage;
  for (const { pair, messageId, outcome } of outcomes) {
    usage = addUsage(usage, outcome.usage);
    if (outcome.ok) {
      messages.push({
        id: messageId,
        kind: 'critique',
        round,
        participant: pair.critic.id,
        target: pair.target.id,
        text: outcome.text,
        critique: outcome.value,
        usage: outcome.usage,
      });
    } else failures.push(outcome.failure);
  }
  return {
    state: {
      ...state,
      messages: [...state.messages, ...messages],
      failures: [...state.failures, ...failures],
      startedRound: Math.max(state.startedRound, round),
      usage,
    },
    next: { phase: 'revisions', round },
  };
}
