import { applyDebateElo, eloDeltas, eloUpdate, emptyEloLedger } from './index';

describe('ELO', () => {
  it('moves 16 points between two equal agents (K 32)', () => {
    expect(
      eloDeltas({ agents: ['a', 'b'], winner: 'a', consensusReached: true, ratings: {} }),
    ).toEqual({ a: 16, b: -16 });
  });

  it('scores two non-winners 0.5 each with consensus, and leaves them alone without', () => {
    const ratings = { a: 1500, b: 1600, c: 1400 };
    const withConsensus = eloDeltas({
      agents: ['a', 'b', 'c'],
      winner: 'a',
      consensusReached: true,
      ratings,
    });
    const without = eloDeltas({
      agents: ['a', 'b', 'c'],
      winner: 'a',
      consensusReached: false,
      ratings,
    });
    // b (1600) drawing c (1400) loses points to c
    expect((withConsensus.b ?? 0) - (without.b ?? 0)).toBeLessThan(0);
    expect((withConsensus.c ?? 0) - (without.c ?? 0)).toBeGreaterThan(0);
    expect(without.a).toBeCloseTo(withConsensus.a ?? NaN, 12);
  });

  it('counts repeated participants of one agent as that one agent', () => {
    expect(
      eloDeltas({
        agents: ['demo', 'demo', 'demo-skeptic'],
        winner: 'demo',
        consensusReached: true,
        ratings: {},
      }),
    ).toEqual({ demo: 16, 'demo-skeptic': -16 });
  });

  it('updates global and domain ratings, each debate once', () => {
    const debate = {
      debateId: 'd1',
      agents: ['a', 'b'],
      winner: 'b',
      consensusReached: true,
      domain: 'law',
    };
    const once = applyDebateElo(emptyEloLedger(), debate);
    expect(once.global).toEqual({ a: 1484, b: 1516 });
    expect(once.domains.law).toEqual({ a: 1484, b: 1516 });
    expect(applyDebateElo(once, debate)).toBe(once);
    expect(eloUpdate(debate, { global: {}, domain: {} }, new Set(['d1']))).toBeNull();
  });

  it('makes no change without a winner', () => {
    const ledger = applyDebateElo(emptyEloLedger(), {
      debateId: 'd1',
      agents: ['a', 'b'],
      winner: null,
      consensusReached: false,
      domain: null,
    });
    expect(ledger).toEqual({ global: {}, domains: {}, applied: ['d1'] });
  });
});
