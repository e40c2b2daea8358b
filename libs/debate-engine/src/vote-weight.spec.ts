import { agentVoteWeight, humanVoteWeight, intensityMultiplier } from './index';

describe('vote weights', () => {
  it('weighs agents by ELO: 1 + ((elo − 1500)/500)·0.3, clamped to [0.5, 2]', () => {
    expect(agentVoteWeight(1500)).toBe(1);
    expect(agentVoteWeight(2000)).toBeCloseTo(1.3, 12);
    expect(agentVoteWeight(1000)).toBeCloseTo(0.7, 12);
    expect(agentVoteWeight(0)).toBe(0.5);
    expect(agentVoteWeight(5000)).toBe(2);
  });

  it('maps intensity 1 → 0.5, 5 → 1, 10 → 2, linearly in between', () => {
    expect([1, 3, 5, 7.5, 10].map(intensityMultiplier)).toEqual([0.5, 0.75, 1, 1.5, 2]);
    expect(intensityMultiplier(0)).toBe(0.5);
    expect(intensityMultiplier(11)).toBe(2);
  });

  it('counts a human vote as 0.5 × the intensity multiplier', () => {
    expect([1, 5, 10].map(humanVoteWeight)).toEqual([0.25, 0.5, 1]);
  });
});
