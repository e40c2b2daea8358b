import { addUsage, callText } from '../call';
import { currentPosition, liveParticipants } from '../participants';
import { revisionPrompt } from '../prompts';
import type { AgentFailure, CritiqueMessage, DebateState, TextMessage } from '../types';
import { runBounded, type PhaseContext, type PhaseOutcome } from './context';

/** Round r: each live participant rewrites its position given the critiques it received. */
export async function revisionsPhase(
  ctx: PhaseContext,
  state: DebateState,
  round: number,
): Promise<PhaseOutcome> {
  const work = liveParticipants(state).flatMap((p) => {
    const own = currentPosition(state, p.id);
    const critiques = state.messages.filter(
      (m): m is CritiqueMessage => m.kind === 'critique' && m.round === round && m.target === p.id,
    );
    return own ? [{ p, own, critiques }] : [];
  });
  const outcomes = await runBounded(work, ctx.limits.revisions, ctx.signal, async (item) => {
    const { p, own, critiques } = item;
    const messageId = `r${round}:revision:${p.id}`;
    const outcome = await callText(ctx, {
      participant: p,
      kind: 'revision',
      round,
      messageId,
      ownPosition: own.text,
      messages: revisionPrompt(state.spec, own.text, critiques),
    });
    if (outcome.ok) {
      await ctx.log.emit({
        type: 'agent_message',
        round,
        agent: p.id,
        data: { messageId, kind: 'revision', text: outcome.value, usage: outcome.usage },
      });
      await ctx.log.emit({
        type: 'revision',
        round,
        agent: p.id,
        data: { messageId, previousMessageId: own.id, critiques: critiques.map((c) => c.id) },
      });
    }
    return { p, messageId, outcome };
  });
  const messages: TextMessage[] = [];
  const failures: AgentFailure[] = [];
  let usage = state.usage;
  for (const { p, messageId, outcome } of outcomes) {
    usage = addUsage(usage, outcome.usage);
    // a failed revision keeps the previous position
    if (outcome.ok) {
      messages.push({
        id: messageId,
        kind: 'revision',
        round,
        participant: p.id,
        text: outcome.value,
        usage: outcome.usage,
      });
    } else failures.push(outcome.failure);
  }
  return {
    state: {
      ...state,
      messages: [...state.messages, ...messages],
      failures: [...state.failures, ...failures],
      usage,
    },
    next: { phase: 'convergence', round },
  };
}
