/**
 * ELO (SPEC §3): initial 1500, K 32, pairwise over the debate's distinct agents, all pairs
 * scored from the ratings before the debate (so the order of pairs does not matter).
 *
 * Scores: winner vs anyone → 1 : 0. Two non-winners → 0.5 : 0.5 when consensus was reached;
 * without consensus that pair is not updated at all. The spec's "else 0" for both would take
 * points from both sides of the pair and break the zero-sum; skipping it is the zero-sum reading.
 * Repeated participants of one agent (`demo`, `demo#2`) are one agent: one rating, updated once
 * per pair of distinct agents; a pair of the same agent is never scored.
 */
export const ELO_INITIAL = 1500;
export const ELO_K = 32;

export type Ratings = Readonly<Record<string, number>>;

export interface EloDeltaInput {
  /** Agent names of the participants; repeats collapse. */
  agents: readonly string[];
  /** Winning agent name; null → no update. */
  winner: string | null;
  consensusReached: boolean;
  /** Current ratings; a missing agent starts at 1500. */
  ratings: Ratings;
  k?: number;
}

export function expectedScore(rating: number, opponent: number): number {
  return 1 / (1 + 10 ** ((opponent - rating) / 400));
}

/** Rating change per agent; the changes sum to 0. */
export function eloDeltas(input: EloDeltaInput): Record<string, number> {
  const agents = [...new Set(input.agents)];
  const deltas = new Map(agents.map((a) => [a, 0]));
  if (input.winner === null) return Object.fromEntries(deltas);
  if (!deltas.has(input.winner)) {
    throw new RangeError(`winner ${input.winner} is not one of the debate's agents`);
  }
  const k = input.k ?? ELO_K;
  const rating = (agent: string): number => input.ratings[agent] ?? ELO_INITIAL;
  for (let i = 0; i < agents.length; i++) {
    for (let j = i + 1; j < agents.length; j++) {
      const a = agents[i] as string;
      const b = agents[j] as string;
      let scoreA: number;
      if (a === input.winner) scoreA = 1;
      else if (b === input.winner) scoreA = 0;
      else if (input.consensusReached) scoreA = 0.5;
      else continue;
      const change = k * (scoreA - expectedScore(rating(a), rating(b)));
      // b's change is exactly the negation: each pair is zero-sum by construction
      deltas.set(a, (deltas.get(a) ?? 0) + change);
      deltas.set(b, (deltas.get(b) ?? 0) - change);
    }
  }
  return Object.fromEntries(deltas);
}

export interface EloDebate {
  debateId: string;
  agents: readonly string[];
  winner: string | null;
  consensusReached: boolean;
  domain: string | null;
}

export interface EloChange {
  agent: string;
  before: number;
  after: number;
  delta: number;
}

export interface EloUpdate {
  debateId: string;
  domain: string | null;
  global: EloChange[];
  /** Empty without a domain. */
  domainChanges: EloChange[];
}

function changes(debate: EloDebate, ratings: Ratings, k: number | undefined): EloChange[] {
  const deltas = eloDeltas({ ...debate, ratings, ...(k === undefined ? {} : { k }) });
  return Object.entries(deltas).map(([agent, delta]) => {
    const before = ratings[agent] ?? ELO_INITIAL;
    return { agent, before, after: before + delta, delta };
  });
}

/**
 * The rating changes of one debate, or null when it was already applied (the app stores the
 * applied ids with the ratings, in one transaction, so a debate counts once).
 */
export function eloUpdate(
  debate: EloDebate,
  ratings: { global: Ratings; domain: Ratings },
  applied: ReadonlySet<string>,
  k?: number,
): EloUpdate | null {
  if (applied.has(debate.debateId) || debate.winner === null) return null;
  return {
    debateId: debate.debateId,
    domain: debate.domain,
    global: changes(debate, ratings.global, k),
    domainChanges: debate.domain === null ? [] : changes(debate, ratings.domain, k),
  };
}

/** Ratings plus the debates already counted, e.g. an in-memory leaderboard or a test model. */
export interface EloLedger {
  global: Record<string, number>;
  domains: Record<string, Record<string, number>>;
  applied: string[];
}

export function emptyEloLedger(): EloLedger {
  return { global: {}, domains: {}, applied: [] };
}

/** Applies a debate once: a second application of the same debate id changes nothing. */
export function applyDebateElo(ledger: EloLedger, debate: EloDebate, k?: number): EloLedger {
  const domainRatings = debate.domain === null ? {} : (ledger.domains[debate.domain] ?? {});
  const update = eloUpdate(
    debate,
    { global: ledger.global, domain: domainRatings },
    new Set(ledger.applied),
    k,
  );
  if (update === null) {
    return ledger.applied.includes(debate.debateId)
      ? ledger
      : { ...ledger, applied: [...ledger.applied, debate.debateId] };
  }
  const global = { ...ledger.global };
  for (const c of update.global) global[c.agent] = c.after;
  const domains = { ...ledger.domains };
  if (debate.domain !== null) {
    const ratings = { ...domainRatings };
    for (const c of update.domainChanges) ratings[c.agent] = c.after;
    domains[debate.domain] = ratings;
  }
  return { global, domains, applied: [...ledger.applied, debate.debateId] };
}
