import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';

export type Outcome = 'win' | 'loss' | 'draw';

/** One agent's record in one scope; `domain` '' is the global rating. */
export interface RatingRow {
  agent: string;
  domain: string;
  rating: number;
  wins: number;
  losses: number;
  draws: number;
  debates: number;
}

export interface MatchRow {
  debateId: string;
  domain: string | null;
  outcome: string;
  ratingBefore: number;
  ratingAfter: number;
  createdAt: Date;
}

/** Current ratings by agent: global, and in the debate's domain (empty without one). */
export interface RatingSnapshot {
  global: Record<string, number>;
  domain: Record<string, number>;
}

/** What one debate writes: a match per agent, and each rating row's new value and result. */
export interface ApplyPlan<R> {
  matches: { agent: string; outcome: Outcome; before: number; after: number }[];
  ratings: { agent: string; domain: string; after: number; outcome: Outcome }[];
  result: R;
}

export interface RatedDebate {
  debateId: string;
  /** Distinct agent names. */
  agents: readonly string[];
  domain: string | null;
}

export const GLOBAL_DOMAIN = '';

/** Thrown inside the transaction to roll it back when the debate was counted before. */
class AlreadyApplied extends Error {}

/** Ratings and matches; every query is scoped by tenant. */
@Injectable()
export class LeaderboardRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Rating rows of the given agents in the given scopes ('' = global). */
  ratings(
    tenantId: string,
    agents: readonly string[],
    domains: readonly string[],
  ): Promise<RatingRow[]> {
    return selectRatings(this.dataSource.manager, tenantId, agents, domains, false);
  }

  /**
   * Applies one debate in one transaction, at most once. The rating rows are created if
   * missing and locked (in key order, so concurrent debates over the same agents queue instead
   * of deadlocking); a debate that already has matches is skipped, so a retried or concurrent
   * second apply changes nothing. `decide` computes the plan from the locked ratings; null
   * from it, or a debate applied before, rolls back and answers null.
   */
  async applyOnce<R>(
    tenantId: string,
    debate: RatedDebate,
    initialRating: number,
    decide: (ratings: RatingSnapshot) => ApplyPlan<R> | null,
  ): Promise<R | null> {
    const domains = debate.domain === null ? [GLOBAL_DOMAIN] : [GLOBAL_DOMAIN, debate.domain];
    try {
      return await this.dataSource.transaction(async (tx) => {
        await ensureRatingRows(tx, tenantId, debate.agents, domains, initialRating);
        const rows = await selectRatings(tx, tenantId, debate.agents, domains, true);
        if (await hasMatches(tx, debate.debateId)) throw new AlreadyApplied();
        const plan = decide(snapshotOf(rows, debate.domain));
        if (plan === null) throw new AlreadyApplied();
        const inserted = await insertMatches(tx, tenantId, debate, plan.matches);
        // the primary key is the last word on "once", should a match row exist after all
        if (inserted < plan.matches.length) throw new AlreadyApplied();
        await updateRatings(tx, tenantId, plan.ratings);
        return plan.result;
      });
    } catch (error) {
      if (error instanceof AlreadyApplied) return null;
      throw error;
    }
  }

  /** The agent's rows in every scope, global first, then domains by name. */
  agentRatings(tenantId: string, agent: string): Promise<RatingRow[]> {
    return this.dataSource.query<RatingRow[]>(
      `SELECT agent, domain, rating, wins, losses, draws, debates
         FROM agent_ratings
        WHERE tenant_id = $1 AND agent = $2
        ORDER BY domain`,
      [tenantId, agent],
    );
  }

  /** Newest first. */
  recentMatches(tenantId: string, agent: string, limit: number): Promise<MatchRow[]> {
    return this.dataSource.query<MatchRow[]>(
      `SELECT debate_id AS "debateId", domain, outcome, rating_before AS "ratingBefore",
              rating_after AS "ratingAfter", created_at AS "createdAt"
         FROM agent_matches
        WHERE tenant_id = $1 AND agent = $2
        ORDER BY created_at DESC, debate_id DESC
        LIMIT $3`,
      [tenantId, agent, limit],
    );
  }

  /** Highest rating first, ties by agent name. */
  board(tenantId: string, domain: string, limit: number): Promise<RatingRow[]> {
    return this.dataSource.query<RatingRow[]>(
      `SELECT agent, domain, rating, wins, losses, draws, debates
         FROM agent_ratings
        WHERE tenant_id = $1 AND domain = $2
        ORDER BY rating DESC, agent ASC
        LIMIT $3`,
      [tenantId, domain, limit],
    );
  }
}

function selectRatings(
  tx: EntityManager,
  tenantId: string,
  agents: readonly string[],
  domains: readonly string[],
  lock: boolean,
): Promise<RatingRow[]> {
  if (agents.length === 0) return Promise.resolve([]);
  return tx.query<RatingRow[]>(
    `SELECT agent, domain, rating, wins, losses, draws, debates
       FROM agent_ratings
      WHERE tenant_id = $1 AND agent = ANY($2::text[]) AND domain = ANY($3::text[])
      ORDER BY agent, domain${lock ? ' FOR UPDATE' : ''}`,
    [tenantId, [...agents], [...domains]],
  );
}

async function ensureRatingRows(
  tx: EntityManager,
  tenantId: string,
  agents: readonly string[],
  domains: readonly string[],
  initialRating: number,
): Promise<void> {
  const keys = agents.flatMap((agent) => domains.map((domain) => [agent, domain] as const));
  await tx.query(
    `INSERT INTO agent_ratings (tenant_id, agent, domain, rating)
     SELECT $1::uuid, k.agent, k.domain, $4::float8
       FROM unnest($2::text[], $3::text[]) AS k(agent, domain)
      ORDER BY k.agent, k.domain
     ON CONFLICT (tenant_id, agent, domain) DO NOTHING`,
    [tenantId, keys.map(([a]) => a), keys.map(([, d]) => d), initialRating],
  );
}

async function hasMatches(tx: EntityManager, debateId: string): Promise<boolean> {
  const rows = await tx.query<unknown[]>(
    'SELECT 1 FROM agent_matches WHERE debate_id = $1 LIMIT 1',
    [debateId],
  );
  return rows.length > 0;
}

async function insertMatches(
  tx: EntityManager,
  tenantId: string,
  debate: RatedDebate,
  matches: ApplyPlan<unknown>['matches'],
): Promise<number> {
  const rows = await tx.query<unknown[]>(
    `INSERT INTO agent_matches
            (debate_id, agent, tenant_id, domain, outcome, rating_before, rating_after)
     SELECT $1::uuid, m.agent, $2::uuid, $3::text, m.outcome, m.before, m.after
       FROM unnest($4::text[], $5::text[], $6::float8[], $7::float8[])
            AS m(agent, outcome, before, after)
     ON CONFLICT (debate_id, agent) DO NOTHING
     RETURNING agent`,
    [
      debate.debateId,
      tenantId,
      debate.domain,
      matches.map((m) => m.agent),
      matches.map((m) => m.outcome),
      matches.map((m) => m.before),
      matches.map((m) => m.after),
    ],
  );
  return rows.length;
}

async function updateRatings(
  tx: EntityManager,
  tenantId: string,
  ratings: ApplyPlan<unknown>['ratings'],
): Promise<void> {
  await tx.query(
    `UPDATE agent_ratings r
        SET rating = u.after,
            wins = r.wins + (u.outcome = 'win')::int,
            losses = r.losses + (u.outcome = 'loss')::int,
            draws = r.draws + (u.outcome = 'draw')::int,
            debates = r.debates + 1,
            updated_at = now()
       FROM unnest($2::text[], $3::text[], $4::float8[], $5::text[])
            AS u(agent, domain, after, outcome)
      WHERE r.tenant_id = $1 AND r.agent = u.agent AND r.domain = u.domain`,
    [
      tenantId,
      ratings.map((r) => r.agent),
      ratings.map((r) => r.domain),
      ratings.map((r) => r.after),
      ratings.map((r) => r.outcome),
    ],
  );
}

function snapshotOf(rows: readonly RatingRow[], domain: string | null): RatingSnapshot {
  const snapshot: RatingSnapshot = { global: {}, domain: {} };
  for (const row of rows) {
    if (row.domain === GLOBAL_DOMAIN) snapshot.global[row.agent] = row.rating;
    else if (row.domain === domain) snapshot.domain[row.agent] = row.rating;
  }
  return snapshot;
}
