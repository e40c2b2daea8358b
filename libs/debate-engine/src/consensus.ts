import type {
  ConsensusDecision,
  ConsensusMode,
  CountedVote,
  HumanVoteRecord,
  Participant,
  Tally,
  TallyEntry,
  VoteOutput,
} from './types';
import { agentVoteWeight, effectiveElo, humanVoteWeight } from './vote-weight';

export const MAJORITY_SHARE = 0.6;
export const SUPERMAJORITY_SHARE = 2 / 3;
// Weighted shares are float sums: 3 × 0.2 of 1.0 must still count as 0.6.
const EPSILON = 1e-9;

export interface TallyInput {
  /** Live participants in debate order: the ballot, and the tie-break order. */
  candidates: readonly Participant[];
  domain: string | null;
  agentVotes: readonly { participant: string; vote: VoteOutput }[];
  humanVotes: readonly HumanVoteRecord[];
}

/** Weighted tally: agents by ELO, humans by 0.5 × intensity multiplier (one vote per principal, the last). */
export function tallyVotes(input: TallyInput): Tally {
  const byId = new Map(input.candidates.map((p) => [p.id, p]));
  const votes: CountedVote[] = [];
  for (const { participant, vote } of input.agentVotes) {
    const voter = byId.get(participant);
    if (!voter || !byId.has(vote.choice)) continue;
    votes.push({
      voter: participant,
      source: 'agent',
      choice: vote.choice,
      weight: agentVoteWeight(effectiveElo(voter, input.domain)),
      confidence: vote.confidence,
      reasoning: vote.reasoning,
      intensity: null,
    });
  }
  const lastByPrincipal = new Map(input.humanVotes.map((v) => [v.principal, v]));
  const ignoredHumanVotes: HumanVoteRecord[] = [];
  for (const human of lastByPrincipal.values()) {
    if (!byId.has(human.choice) || !Number.isFinite(human.intensity)) {
      ignoredHumanVotes.push(human);
      continue;
    }
    votes.push({
      voter: human.principal,
      source: 'human',
      choice: human.choice,
      weight: humanVoteWeight(human.intensity),
      confidence: null,
      reasoning: null,
      intensity: human.intensity,
    });
  }
  const entries: TallyEntry[] = input.candidates
    .map((c) => {
      const mine = votes.filter((v) => v.choice === c.id);
      return { choice: c.id, weight: sum(mine.map((v) => v.weight)), votes: mine.length };
    })
    .filter((e) => e.votes > 0)
    // stable: equal weights keep debate order
    .sort((a, b) => b.weight - a.weight);
  const totalWeight = sum(votes.map((v) => v.weight));
  const top = entries[0];
  return {
    votes,
    entries,
    totalWeight,
    leader: top?.choice ?? null,
    leaderShare: top && totalWeight > 0 ? top.weight / totalWeight : 0,
    ignoredHumanVotes,
  };
}

function sum(values: readonly number[]): number {
  return values.reduce((total, v) => total + v, 0);
}

/** Agents that voted for / against the winner (humans are audience, not agents). */
function sides(
  tally: Tally,
  winner: string | null,
): Pick<ConsensusDecision, 'supportingAgents' | 'dissentingAgents'> {
  const agents = tally.votes.filter((v) => v.source === 'agent');
  if (winner === null) return { supportingAgents: [], dissentingAgents: [] };
  return {
    supportingAgents: agents.filter((v) => v.choice === winner).map((v) => v.voter),
    dissentingAgents: agents.filter((v) => v.choice !== winner).map((v) => v.voter),
  };
}

function byVotes(mode: ConsensusMode, tally: Tally, reached: boolean): ConsensusDecision {
  return {
    reached,
    mode,
    method: 'vote',
    winner: tally.leader,
    confidence: tally.leaderShare,
    judge: null,
    judgeFailure: null,
    ...sides(tally, tally.leader),
  };
}

/** The verdict the votes alone give, or 'judge' when the mode asks a judge to decide. */
export function decideByVotes(mode: ConsensusMode, tally: Tally): ConsensusDecision | 'judge' {
  switch (mode) {
    case 'none':
      // No verdict; the confidence still says how strongly the leading position was backed.
      return {
        ...byVotes(mode, tally, false),
        method: 'none',
        winner: null,
        ...sides(tally, null),
      };
    case 'majority':
      return byVotes(mode, tally, tally.leaderShare >= MAJORITY_SHARE - EPSILON);
    case 'supermajority':
      return byVotes(mode, tally, tally.leaderShare >= SUPERMAJORITY_SHARE - EPSILON);
    case 'unanimous':
      return byVotes(mode, tally, tally.votes.length > 0 && tally.entries.length === 1);
    case 'hybrid':
      return tally.leaderShare >= MAJORITY_SHARE - EPSILON ? byVotes(mode, tally, true) : 'judge';
    case 'judge':
      return 'judge';
  }
}

/** Judge confidence = its stated confidence × the share of agent votes agreeing with the verdict. */
export function judgeDecision(
  mode: ConsensusMode,
  tally: Tally,
  judge: string,
  verdict: VoteOutput,
): ConsensusDecision {
  const agentVotes = tally.votes.filter((v) => v.source === 'agent');
  const agreeing = agentVotes.filter((v) => v.choice === verdict.choice).length;
  const share = agentVotes.length > 0 ? agreeing / agentVotes.length : 0;
  return {
    reached: true,
    mode,
    method: 'judge',
    winner: verdict.choice,
    confidence: verdict.confidence * share,
    judge,
    judgeFailure: null,
    ...sides(tally, verdict.choice),
  };
}

/** No verdict from the judge: no consensus; the vote leader and its share are still reported. */
export function judgeFailedDecision(
  mode: ConsensusMode,
  tally: Tally,
  judge: string,
  reason: string,
): ConsensusDecision {
  return { ...byVotes(mode, tally, false), judge, judgeFailure: reason };
}

/** Highest rating among the live participants; ties go to the earlier participant. */
export function chooseJudge(
  live: readonly Participant[],
  domain: string | null,
): Participant | null {
  let best: Participant | null = null;
  for (const p of live) {
    if (!best || effectiveElo(p, domain) > effectiveElo(best, domain)) best = p;
  }
  return best;
}
