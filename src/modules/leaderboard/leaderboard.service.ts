import { Injectable } from '@nestjs/common';
import {
  ELO_INITIAL,
  eloUpdate,
  type EloDebate,
  type EloSnapshot,
  type EloUpdate,
} from '@aragora/debate-engine';
import { InjectConfig, type AppConfig } from '../../config';
import { AppCache } from '../cache/app-cache';
import {
  toMatchView,
  toRecordView,
  type AgentStatsView,
  type LeaderboardQuery,
  type LeaderboardView,
  type RecordView,
} from './leaderboard.dto';
import {
  GLOBAL_DOMAIN,
  LeaderboardRepository,
  type ApplyPlan,
  type Outcome,
} from './leaderboard.repository';

const RECENT_MATCHES = 10;

const UNRATED: RecordView = { rating: ELO_INITIAL, wins: 0, losses: 0, draws: 0, debates: 0 };

/** Every cached board of a tenant lives under this namespace; one bump drops them all. */
function boardNamespace(tenantId: string): string {
  return `leaderboard:${tenantId}`;
}

/** '' would be the global scope's key: a debate without a domain is global only. */
function scopeOf(domain: string | null): string | null {
  return domain || null;
}

/**
 * Win/loss/draw of one agent in a rated debate: the winner wins; the others draw when the
 * debate reached consensus (they agreed with the outcome, and ELO scores them 0.5 among
 * themselves) and lose otherwise.
 */
export function outcomeOf(agent: string, debate: EloDebate): Outcome {
  if (agent === debate.winner) return 'win';
  return debate.consensusReached ? 'draw' : 'loss';
}

function planOf(debate: EloDebate, update: EloUpdate): ApplyPlan<EloUpdate> {
  const outcome = (agent: string) => outcomeOf(agent, debate);
  return {
    // a match records the global rating; the domain one is in agent_ratings
    matches: update.global.map((c) => ({
      agent: c.agent,
      outcome: outcome(c.agent),
      before: c.before,
      after: c.after,
    })),
    ratings: [
      ...update.global.map((c) => ({
        agent: c.agent,
        domain: GLOBAL_DOMAIN,
        after: c.after,
        outcome: outcome(c.agent),
      })),
      ...update.domainChanges.map((c) => ({
        agent: c.agent,
        domain: debate.domain ?? GLOBAL_DOMAIN,
        after: c.after,
        outcome: outcome(c.agent),
      })),
    ],
    result: update,
  };
}

/** ELO ratings per tenant: frozen into debates at start, updated once at the end, ranked. */
@Injectable()
export class LeaderboardService {
  private readonly boardTtlMs: number;

  constructor(
    private readonly ratings: LeaderboardRepository,
    private readonly cache: AppCache,
    @InjectConfig() config: AppConfig,
  ) {
    this.boardTtlMs = config.caches.leaderboardTtlSeconds * 1000;
  }

  /** Current ratings of the agents; unrated → 1500 global, and null in a domain they lack. */
  async ratingsFor(
    tenantId: string,
    agents: readonly string[],
    domain: string | null,
  ): Promise<Record<string, EloSnapshot>> {
    const names = [...new Set(agents)];
    const scope = scopeOf(domain);
    const rows = await this.ratings.ratings(
      tenantId,
      names,
      scope === null ? [GLOBAL_DOMAIN] : [GLOBAL_DOMAIN, scope],
    );
    const snapshots: Record<string, EloSnapshot> = {};
    for (const name of names) snapshots[name] = { global: ELO_INITIAL, domain: null };
    for (const row of rows) {
      const snapshot = snapshots[row.agent];
      if (!snapshot) continue;
      if (row.domain === GLOBAL_DOMAIN) snapshot.global = row.rating;
      else snapshot.domain = row.rating;
    }
    return snapshots;
  }

  /**
   * Rates a finished debate once: null when it was applied before, has no winner, or has a
   * single distinct agent (`demo` against `demo#2` has no opponent to rate against).
   */
  async applyDebate(tenantId: string, debate: EloDebate): Promise<EloUpdate | null> {
    const agents = [...new Set(debate.agents)];
    if (debate.winner === null || agents.length < 2) return null;
    if (!agents.includes(debate.winner)) {
      throw new RangeError(`winner ${debate.winner} is not one of the debate's agents`);
    }
    const rated: EloDebate = { ...debate, agents, domain: scopeOf(debate.domain) };
    const update = await this.ratings.applyOnce(tenantId, rated, ELO_INITIAL, (current) => {
      const computed = eloUpdate(rated, current, new Set());
      return computed && planOf(rated, computed);
    });
    if (update !== null) await this.cache.bump(boardNamespace(tenantId));
    return update;
  }

  /** Highest rating first, ties by name; cached per tenant until a debate is applied. */
  leaderboard(tenantId: string, query: LeaderboardQuery): Promise<LeaderboardView> {
    const scope = scopeOf(query.domain);
    return this.cache.wrapIn(
      boardNamespace(tenantId),
      `board:${query.limit}:${scope ?? ''}`,
      this.boardTtlMs,
      async () => {
        const rows = await this.ratings.board(tenantId, scope ?? GLOBAL_DOMAIN, query.limit);
        return {
          items: rows.map((row, i) => ({ rank: i + 1, agent: row.agent, ...toRecordView(row) })),
          domain: scope,
        };
      },
    );
  }

  /** An agent never rated answers 1500 and zeros. */
  async agentStats(tenantId: string, agent: string): Promise<AgentStatsView> {
    const [rows, matches] = await Promise.all([
      this.ratings.agentRatings(tenantId, agent),
      this.ratings.recentMatches(tenantId, agent, RECENT_MATCHES),
    ]);
    const global = rows.find((row) => row.domain === GLOBAL_DOMAIN);
    return {
      agent,
      ...(global ? toRecordView(global) : UNRATED),
      domains: rows
        .filter((row) => row.domain !== GLOBAL_DOMAIN)
        .map((row) => ({ domain: row.domain, ...toRecordView(row) })),
      recent_matches: matches.map(toMatchView),
    };
  }
}
