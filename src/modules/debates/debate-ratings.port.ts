import type { EloDebate, EloSnapshot } from '@aragora/debate-engine';

/** What the debates module needs from the leaderboard: ELO in at the start, results out at the end. */
export interface DebateRatings {
  ratingsFor(
    tenantId: string,
    agents: readonly string[],
    domain: string | null,
  ): Promise<Record<string, EloSnapshot>>;
  /** Applies a finished debate once (a second call for the same debate changes nothing). */
  applyDebate(tenantId: string, debate: EloDebate): Promise<unknown>;
}

export const DEBATE_RATINGS = Symbol('DEBATE_RATINGS');
