import { z } from 'zod';
import type { MatchRow, RatingRow } from './leaderboard.repository';

export const leaderboardQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  /** Absent or empty: the global board. */
  domain: z
    .string()
    .trim()
    .max(100)
    .optional()
    .transform((domain) => (domain ? domain : null)),
});
export type LeaderboardQuery = z.infer<typeof leaderboardQuerySchema>;

export interface RecordView {
  rating: number;
  wins: number;
  losses: number;
  draws: number;
  debates: number;
}

export interface LeaderboardEntryView extends RecordView {
  rank: number;
  agent: string;
}

export interface LeaderboardView {
  items: LeaderboardEntryView[];
  domain: string | null;
}

export interface MatchView {
  debate_id: string;
  domain: string | null;
  outcome: string;
  rating_before: number;
  rating_after: number;
  at: string;
}

export interface AgentStatsView extends RecordView {
  agent: string;
  domains: (RecordView & { domain: string })[];
  recent_matches: MatchView[];
}

/** Ratings are stored at full precision and rounded only here, on the way out. */
export function roundRating(rating: number): number {
  return Math.round(rating * 100) / 100;
}

export function toRecordView(row: RatingRow): RecordView {
  return {
    rating: roundRating(row.rating),
    wins: row.wins,
    losses: row.losses,
    draws: row.draws,
    debates: row.debates,
  };
}

export function toMatchView(row: MatchRow): MatchView {
  return {
    debate_id: row.debateId,
    domain: row.domain,
    outcome: row.outcome,
    rating_before: roundRating(row.ratingBefore),
    rating_after: roundRating(row.ratingAfter),
    at: row.createdAt.toISOString(),
  };
}
