import { addUsage, callText } from '../call';
import { quorum } from '../participants';
import { proposalPrompt } from '../prompts';
import type { AgentFailure, DebateState, TextMessage } from '../types';
import { runBounded, type PhaseContext, type PhaseOutcome } from './context';

const ROUND = 1;

/** Round 1: every participant answers; one whose proposal fails is out of the debate. */
export async function proposalsPhase(ctx: PhaseContext, state: DebateState): Promise<PhaseOutcome> {
  const { spec } = state;
  if (state.startedRound < ROUND) {
    await ctx.log.emit({ type: 'round_start', round: ROUND, data: { round: ROUND } });
  }
  const outcomes = await runBounded(
    spec.participants,
    ctx.limits.proposals,
    ctx.signal,
    async (p) => {
      const messageId = `r${ROUND}:proposal:${p.id}`;
      const outcome = await callText(ctx, {
        participant: p,
        kind: 'proposal',
        round: ROUND,
        messageId,
        messages: proposalPrompt(spec),
      });
      if (outcome.ok) {
        await ctx.log.emit({
          type: 'agent_message',
          round: ROUND,
          agent: p.id,
          data: { messageId, kind: 'proposal', text: outcome.value, usage: outcome.usage },
        });
      }
      return { p, messageId, outcome };
    },
  );
  const messages: TextMessage[] = [];
  const failures: AgentFailure[] = [];
  let usage = state.usage;
  for (const { p, messageId, outcome } of outcomes) {
    usage = addUsage(usage, outcome.usage);
    if (outcome.ok) {
      messages.push({
        id: messageId,
        kind: 'proposal',
        round: ROUND,
        participant: p.id,
        text: outcome.value,
        usage: outcome.usage,
      });
    } else failures.push(outcome.failure);
  }
  const next: DebateState = {
    ...state,
    messages: [...state.messages, ...messages],
    failures: [...state.failures, ...failures],
    startedRound: Math.max(state.startedRound, ROUND),
    usage,
  };
  if (messages.length < quorum(spec.participants.length)) {
    return { state: { ...next, failure: 'insufficient_participation' }, next: { phase: 'finish' } };
  }
  return { state: next, next: { phase: 'critiques', round: ROUND } };
}
