import { addUsage, callStructured } from '../call';
import { chooseJudge, decideByVotes, judgeDecision, judgeFailedDecision } from '../consensus';
import { finalRound, liveParticipants } from '../participants';
import { judgePrompt } from '../prompts';
import { choiceSchema, validateChoice } from '../schemas';
import type { ConsensusDecision, DebateState, JudgeMessage, VoteOutput } from '../types';
import { type PhaseContext, type PhaseOutcome } from './context';
import { ballot } from './vote';

/** The verdict by mode; `judge`, and `hybrid` below the majority share, ask the top-rated agent. */
export async function consensusPhase(ctx: PhaseContext, state: DebateState): Promise<PhaseOutcome> {
  const { spec, tally } = state;
  if (!tally) throw new Error('consensus phase without a tally');
  let decision: ConsensusDecision | 'judge' = decideByVotes(spec.consensus, tally);
  let verdict: VoteOutput | null = null;
  let next = state;
  if (decision === 'judge') {
    const judge = chooseJudge(liveParticipants(state), spec.domain);
    if (!judge) throw new Error('no live participant to judge');
    const round = finalRound(state);
    const messageId = `r${round}:judge:${judge.id}`;
    const candidates = ballot(state);
    const ids = candidates.map((c) => c.id);
    const outcome = await callStructured(
      ctx,
      {
        participant: judge,
        kind: 'judge',
        round,
        messageId,
        candidates,
        messages: judgePrompt(spec, candidates, tally),
      },
      { name: 'verdict', schema: choiceSchema(ids), validate: (v) => validateChoice(v, ids) },
    );
    next = { ...next, usage: addUsage(next.usage, outcome.usage) };
    if (outcome.ok) {
      verdict = outcome.value;
      decision = judgeDecision(spec.consensus, tally, judge.id, outcome.value);
      const message: JudgeMessage = {
        id: messageId,
        kind: 'judge',
        round,
        participant: judge.id,
        text: outcome.text,
        verdict: outcome.value,
        usage: outcome.usage,
      };
      next = { ...next, messages: [...next.messages, message] };
    } else {
      decision = judgeFailedDecision(spec.consensus, tally, judge.id, outcome.failure.reason);
      next = { ...next, failures: [...next.failures, outcome.failure] };
    }
  }
  await ctx.log.emit({
    type: 'consensus',
    round: finalRound(state),
    data: { ...decision, verdict, tally: tally.entries, totalWeight: tally.totalWeight },
  });
  return {
    state: { ...next, decision },
    next: decision.winner === null ? { phase: 'finish' } : { phase: 'synthesis' },
  };
}
