import type { Candidate } from '../provider.types';
import { mix, pick } from './hash';
import type { Voice } from './demo-voices';
import { rankedPicks } from './demo-vote';
import type { TaskWords } from './task-words';

/**
 * A participant's position. The sentence choice depends on the participant, never on the round,
 * so the profile the convergence check sees is fixed: revision 1 keeps the opening and first
 * point of the proposal and replaces the rest (TF-IDF cosine ≈ 0.45–0.8, "refining"); in round 2
 * one clause of the last sentence changes (≥ 0.95, "converged"), after that nothing does.
 */
export function positionText(
  voice: Voice,
  w: TaskWords,
  seed: number,
  kind: 'proposal' | 'revision',
  round: number,
): string {
  const opening = pick(voice.openings, mix(seed, 1))(w);
  const points = voice.points;
  const first = mix(seed, 2) % points.length;
  const second = (first + 1 + (mix(seed, 3) % (points.length - 1))) % points.length;
  const point = (points[first] ?? points[0])(w);
  if (kind === 'proposal') {
    const other = (points[second] ?? points[1])(w);
    return `${opening} ${point} ${other} ${pick(voice.closings, mix(seed, 4))(w)}`;
  }
  const refinements = voice.refinements;
  const r1 = mix(seed, 5) % refinements.length;
  const r2 = (r1 + 1) % refinements.length;
  const last = round >= 2 ? voice.settledPoint(w) : voice.openPoint(w);
  return (
    `${opening} ${point} ${(refinements[r1] ?? refinements[0])(w)} ` +
    `${(refinements[r2] ?? refinements[1])(w)} ${voice.commonGround(w)} ${last}`
  );
}

/** The final answer: the position most agents back, the strongest dissent, and a note. */
export function synthesisText(
  voice: Voice,
  w: TaskWords,
  candidates: readonly Candidate[],
): string {
  const picks = rankedPicks(w, candidates);
  const note = voice.synthesisNote(w);
  if (picks === undefined) {
    return `Final answer on "${w.topic}": start with ${w.k[0]}, then address ${w.k[1]} once there is evidence. ${note}`;
  }
  const { winner, runnerUp } = picks;
  const head =
    `Final answer on "${w.topic}": the position of ${winner.id} carried the debate. ` +
    `${keySentence(winner.text)} It puts ${w.k[0]} first and treats ${w.k[1]} as a follow-up backed by evidence.`;
  if (runnerUp === winner) return `${head} ${note}`;
  return (
    `${head} The strongest dissent came from ${runnerUp.id}: ${keySentence(runnerUp.text)} ` +
    `That concern is kept as a condition: revisit the decision if ${w.k[2]} does not develop as expected. ${note}`
  );
}

const SENTENCE_MAX = 300;

/** The second sentence of a position (its first argument; the first one restates the question). */
function keySentence(text: string): string {
  const first = text.indexOf('. ');
  const start = first < 0 ? 0 : first + 2;
  const end = text.indexOf('. ', start);
  const sentence = (end < 0 ? text.slice(start) : text.slice(start, end + 1)).trim();
  if (sentence.length === 0) return text.slice(0, SENTENCE_MAX);
  return sentence.length <= SENTENCE_MAX ? sentence : `${sentence.slice(0, SENTENCE_MAX)}…`;
}
