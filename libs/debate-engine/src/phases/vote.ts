import { addUsage, callStructured } from '../call';
import { tallyVotes } from '../consensus';
import { currentPosition, finalRound, liveParticipants, quorum } from '../participants';
import type { Candidate } from '../prompts';
import { votePrompt } from '../prompts';
import { choiceSchema, validateChoice } from '../schemas';
import type { AgentFailure, DebateState, VoteMessage } from '../types';
import { agentVoteWeight, effectiveElo } from '../vote-weight';
import { runBounded, type PhaseContext, type PhaseOutcome } from './context';

/** The live positions, in debate order: the ballot of votes, the judge and synthesis. */
export function ballot(state: DebateState): Candidate[] {
  return liveParticipants(state).flatMap((p) => {
    const position = currentPosition(state, p.id);
    return position ? [{ id: p.id, text: position.text }] : [];
  });
}

/** Every live participant votes; human votes are read once, here, and kept in the tally. */
export async function votePhase(ctx: PhaseContext, state: DebateState): Promise<PhaseOutcome> {
  const { spec } = state;
  const round = finalRound(state);
  const candidates = ballot(state);
  const ids = candidates.map((c) => c.id);
  const outcomes = await runBounded(
    liveParticipants(state),
    ctx.limits.votes,
    ctx.signal,
    async (p) => {
      const messageId = `r${round}:vote:${p.id}`;
      const outcome = await callStructured(
        ctx,
        {
          participant: p,
          kind: 'vote',
          round,
          messageId,
          candidates,
          messages: votePrompt(spec, candidates),
        },
        { name: 'vote', schema: choiceSchema(ids), validate: (v) => validateChoice(v, ids) },
      );
      if (outcome.ok) {
        await ctx.log.emit({
          type: 'vote',
          round,
          agent: p.id,
          data: {
            messageId,
            ...outcome.value,
            weight: agentVoteWeight(effectiveElo(p, spec.domain)),
            usage: outcome.usage,
          },
        });
      }
      return { p, messageId, outcome };
    },
  );
  const messages: VoteMessage[] = [];
  const failures: AgentFailure[] = [];
  let usage = state.usage;
  for (const { p, messageId, outcome } of outcomes) {
    usage = addUsage(usage, outcome.usage);
    if (outcome.ok) {
      messages.push({
        id: messageId,
        kind: 'vote',
        round,
        participant: p.id,
        text: outcome.text,
        vote: outcome.value,
        usage: outcome.usage,
      });
    } else failures.push(outcome.failure);
  }
  const next: DebateState = {
    ...state,
    messages: [...state.messages, ...messages],
    failures: [...state.failures, ...failures],
    usage,
  };
  if (messages.length < quorum(spec.participants.length)) {
    return { state: { ...next, failure: 'insufficient_participation' }, next: { phase: 'finish' } };
  }
  const humanVotes = (await ctx.humanVotes.current()).map((v) => ({
    principal: v.principal,
    choice: v.choice,
    intensity: v.intensity,
  }));
  const tally = tallyVotes({
    candidates: liveParticipants(state),
    domain: spec.domain,
    agentVotes: messages.map((m) => ({ participant: m.participant, vote: m.vote })),
    humanVotes,
  });
  return { state: { ...next, tally }, next: { phase: 'consensus' } };
}
