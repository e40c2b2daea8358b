import type { Candidate } from '../provider.types';
import { hashString, mix, pick } from './hash';
import type { Voice } from './demo-voices';
import type { TaskWords } from './task-words';

export interface DemoVote {
  readonly choice: string;
  readonly confidence: number;
  readonly reasoning: string;
}

/**
 * The position everyone but the contrarian backs, and the contrarian's pick: the candidates
 * with the smallest and second smallest hash(task, id). Different debates get different winners,
 * yet all agents of one debate agree without seeing each other's votes.
 */
export function rankedPicks(
  w: TaskWords,
  candidates: readonly Candidate[],
): { readonly winner: Candidate; readonly runnerUp: Candidate } | undefined {
  let winner: Candidate | undefined;
  let runnerUp: Candidate | undefined;
  let best = Infinity;
  let second = Infinity;
  for (const candidate of candidates) {
    const h = hashString(candidate.id, w.hash);
    if (h < best || (h === best && winner !== undefined && candidate.id < winner.id)) {
      second = best;
      runnerUp = winner;
      best = h;
      winner = candidate;
    } else if (h < second) {
      second = h;
      runnerUp = candidate;
    }
  }
  if (winner === undefined) return undefined;
  return { winner, runnerUp: runnerUp ?? winner };
}

/** A participant's vote; `dissent` (the contrarian) backs the runner-up when there is one. */
export function demoVote(
  voice: Voice,
  w: TaskWords,
  seed: number,
  candidates: readonly Candidate[],
  dissent: boolean,
): DemoVote | undefined {
  const picks = rankedPicks(w, candidates);
  if (picks === undefined) return undefined;
  const choice = dissent ? picks.runnerUp : picks.winner;
  return {
    choice: choice.id,
    confidence: jitter(voice.confidence, seed),
    reasoning: pick(voice.voteReasons, mix(seed, 11))(w, choice.id),
  };
}

/** The judge names the position the majority backs: it rules on the debate, not for its persona. */
export function demoJudgement(
  voice: Voice,
  w: TaskWords,
  seed: number,
  candidates: readonly Candidate[],
): DemoVote | undefined {
  const picks = rankedPicks(w, candidates);
  if (picks === undefined) return undefined;
  const { winner, runnerUp } = picks;
  const dissent =
    runnerUp === winner
      ? 'There was no competing position.'
      : `The strongest alternative, from ${runnerUp.id}, raises a fair point about ${w.k[1]} but does not outweigh it.`;
  return {
    choice: winner.id,
    confidence: jitter(voice.confidence, seed),
    reasoning:
      `Weighing all positions, ${winner.id} gives the most complete answer on ${w.k[0]}, ` +
      `addresses ${w.k[2]} and acknowledges its risks. ${dissent}`,
  };
}

/** ±0.03 around the persona's level, two decimals; stays inside 0.6–0.9. */
function jitter(level: number, seed: number): number {
  const offset = ((mix(seed, 13) % 7) - 3) / 100;
  return Math.min(0.9, Math.max(0.6, Math.round((level + offset) * 100) / 100));
}
