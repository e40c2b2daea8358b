import type { Participant } from './types';

export const BASE_ELO = 1500;
export const MIN_VOTE_WEIGHT = 0.5;
export const MAX_VOTE_WEIGHT = 2;
/** A human vote counts half an average agent's before the intensity multiplier. */
export const HUMAN_VOTE_BASE = 0.5;

/** SPEC §2.2: `1 + ((elo − 1500)/500)·0.3`, clamped to [0.5, 2.0]. */
export function agentVoteWeight(elo: number): number {
  const raw = 1 + ((elo - BASE_ELO) / 500) * 0.3;
  return Math.min(MAX_VOTE_WEIGHT, Math.max(MIN_VOTE_WEIGHT, raw));
}

/** Intensity 1 → 0.5, 5 → 1, 10 → 2, linear in between; out-of-range intensities are clamped. */
export function intensityMultiplier(intensity: number): number {
  const i = Math.min(10, Math.max(1, intensity));
  return i <= 5 ? 0.5 + ((i - 1) / 4) * 0.5 : 1 + ((i - 5) / 5) * 1;
}

export function humanVoteWeight(intensity: number): number {
  return HUMAN_VOTE_BASE * intensityMultiplier(intensity);
}

/** The rating that weighs a participant: its domain rating when the debate has a domain and it has one. */
export function effectiveElo(participant: Participant, domain: string | null): number {
  return domain !== null && participant.elo.domain !== null
    ? participant.elo.domain
    : participant.elo.global;
}
