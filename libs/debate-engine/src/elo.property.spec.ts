import fc from 'fast-check';
import { applyDebateElo, eloDeltas, emptyEloLedger, type EloDebate, type EloLedger } from './index';

const RUNS = { numRuns: 300 };
const names = fc.constantFrom('demo', 'demo-analyst', 'demo-skeptic', 'claude', 'gpt');

const debateArb: fc.Arbitrary<EloDebate> = fc
  .record({
    debateId: fc.constantFrom('d1', 'd2', 'd3', 'd4', 'd5'),
    agents: fc.array(names, { minLength: 2, maxLength: 8 }),
    winnerIndex: fc.option(fc.nat(), { nil: null }),
    consensusReached: fc.boolean(),
    domain: fc.constantFrom(null, 'law', 'code'),
  })
  .map(({ winnerIndex, ...d }) => ({
    ...d,
    winner: winnerIndex === null ? null : (d.agents[winnerIndex % d.agents.length] ?? null),
  }));

const ratingsArb = fc.dictionary(names, fc.double({ min: 0, max: 3000, noNaN: true }));

function total(ratings: Record<string, number>, agents: Iterable<string>): number {
  let sum = 0;
  for (const a of agents) sum += ratings[a] ?? 1500;
  return sum;
}

describe('ELO properties', () => {
  it('is zero-sum: the changes of one debate add up to 0', () => {
    fc.assert(
      fc.property(debateArb, ratingsArb, (debate, ratings) => {
        const deltas = eloDeltas({ ...debate, ratings });
        const sum = Object.values(deltas).reduce((s, d) => s + d, 0);
        expect(Math.abs(sum)).toBeLessThan(1e-9);
        // K bounds each pair's change, and each distinct agent plays every other once
        const n = new Set(debate.agents).size;
        for (const d of Object.values(deltas))
          expect(Math.abs(d)).toBeLessThanOrEqual(32 * (n - 1));
      }),
      RUNS,
    );
  });

  it('counts each debate once: replaying debates changes nothing', () => {
    fc.assert(
      fc.property(fc.array(debateArb, { maxLength: 12 }), (debates) => {
        const apply = (list: EloDebate[]): EloLedger =>
          list.reduce((ledger, d) => applyDebateElo(ledger, d), emptyEloLedger());
        const firstOccurrences = debates.filter(
          (d, i) => debates.findIndex((x) => x.debateId === d.debateId) === i,
        );
        const all = apply(debates);
        expect(apply([...debates, ...debates])).toEqual(all);
        expect(all).toEqual(apply(firstOccurrences));
        expect(new Set(all.applied).size).toBe(all.applied.length);
        // the global pool of points never changes
        const agents = new Set(debates.flatMap((d) => d.agents));
        expect(Math.abs(total(all.global, agents) - 1500 * agents.size)).toBeLessThan(1e-6);
      }),
      RUNS,
    );
  });
});
