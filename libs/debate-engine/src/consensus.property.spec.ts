import fc from 'fast-check';
import {
  decideByVotes,
  judgeDecision,
  tallyVotes,
  type ConsensusMode,
  type HumanVoteRecord,
  type Participant,
} from './index';

const RUNS = { numRuns: 400 };

interface Scenario {
  participants: Participant[];
  agentVotes: {
    participant: string;
    vote: { choice: string; confidence: number; reasoning: string };
  }[];
  humanVotes: HumanVoteRecord[];
}

const scenarioArb: fc.Arbitrary<Scenario> = fc.integer({ min: 2, max: 7 }).chain((n) => {
  const ids = Array.from({ length: n }, (_, i) => `p${i}`);
  return fc.record({
    participants: fc.tuple(
      ...ids.map((id) =>
        fc.record({
          id: fc.constant(id),
          agent: fc.constant(id),
          persona: fc.constant(''),
          elo: fc.record({
            global: fc.integer({ min: 0, max: 3500 }),
            domain: fc.constant(null),
          }),
        }),
      ),
    ),
    agentVotes: fc.subarray(ids).chain((voters) =>
      fc.tuple(
        ...voters.map((voter) =>
          fc.record({
            participant: fc.constant(voter),
            vote: fc.record({
              choice: fc.constantFrom(...ids),
              confidence: fc.double({ min: 0, max: 1, noNaN: true }),
              reasoning: fc.constant(''),
            }),
          }),
        ),
      ),
    ),
    humanVotes: fc.array(
      fc.record({
        principal: fc.constantFrom('u1', 'u2', 'u3', 'u4'),
        choice: fc.constantFrom(...ids, 'nobody'),
        intensity: fc.integer({ min: 1, max: 10 }),
      }),
      { maxLength: 6 },
    ),
  });
});

/** The SPEC's weights, written out again independently of the implementation. */
function expectedShares(s: Scenario): Map<string, number> {
  const weights = new Map<string, number>();
  const add = (choice: string, w: number): void => {
    weights.set(choice, (weights.get(choice) ?? 0) + w);
  };
  for (const { participant, vote } of s.agentVotes) {
    const elo = s.participants.find((p) => p.id === participant)?.elo.global ?? 1500;
    add(vote.choice, Math.min(2, Math.max(0.5, 1 + ((elo - 1500) / 500) * 0.3)));
  }
  const humans = new Map(s.humanVotes.map((h) => [h.principal, h]));
  for (const h of humans.values()) {
    if (!s.participants.some((p) => p.id === h.choice)) continue;
    const m = h.intensity <= 5 ? 0.5 + (h.intensity - 1) / 8 : 1 + (h.intensity - 5) / 5;
    add(h.choice, 0.5 * m);
  }
  const total = [...weights.values()].reduce((a, b) => a + b, 0);
  return new Map([...weights].map(([c, w]) => [c, total > 0 ? w / total : 0]));
}

const voteModes: ConsensusMode[] = ['majority', 'supermajority', 'unanimous', 'hybrid', 'none'];

describe('consensus properties', () => {
  it('confidence is the winner’s real weighted share, in [0, 1], and the winner leads', () => {
    fc.assert(
      fc.property(scenarioArb, fc.constantFrom(...voteModes), (s, mode) => {
        const tally = tallyVotes({ candidates: s.participants, domain: null, ...s });
        const decision = decideByVotes(mode, tally);
        if (decision === 'judge') return; // hybrid below the majority share: see the judge property
        const shares = expectedShares(s);
        const top = Math.max(0, ...shares.values());
        expect(decision.confidence).toBeGreaterThanOrEqual(0);
        expect(decision.confidence).toBeLessThanOrEqual(1 + 1e-12);
        expect(decision.confidence).toBeCloseTo(top, 9);
        if (decision.winner !== null) {
          expect(decision.confidence).toBeCloseTo(shares.get(decision.winner) ?? NaN, 9);
        }
        if (decision.reached) expect(decision.confidence).toBeGreaterThanOrEqual(0.6 - 1e-9);
      }),
      RUNS,
    );
  });

  it('a judge’s confidence is its own × the share of agents agreeing, in [0, 1]', () => {
    fc.assert(
      fc.property(scenarioArb, fc.double({ min: 0, max: 1, noNaN: true }), fc.nat(), (s, c, i) => {
        const tally = tallyVotes({ candidates: s.participants, domain: null, ...s });
        const choice = s.participants[i % s.participants.length]?.id ?? 'p0';
        const decision = judgeDecision('judge', tally, 'p0', {
          choice,
          confidence: c,
          reasoning: '',
        });
        const agreeing = s.agentVotes.filter((v) => v.vote.choice === choice).length;
        const share = s.agentVotes.length > 0 ? agreeing / s.agentVotes.length : 0;
        expect(decision.confidence).toBeCloseTo(c * share, 12);
        expect(decision.confidence).toBeGreaterThanOrEqual(0);
        expect(decision.confidence).toBeLessThanOrEqual(1);
      }),
      RUNS,
    );
  });
});
