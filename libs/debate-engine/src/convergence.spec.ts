import {
  classifyConvergence,
  DEFAULT_CONVERGENCE,
  jaccard,
  textSimilarity,
  tfidfCosine,
} from './index';

describe('textSimilarity', () => {
  it('is 1 for identical texts and 0 for texts with no word in common', () => {
    expect(textSimilarity('cache reads near the user', 'cache reads near the user')).toBe(1);
    expect(textSimilarity('cache reads near the user', 'shard every table')).toBe(0);
  });

  it('ignores case and punctuation in the TF-IDF comparison', () => {
    expect(tfidfCosine('Cache, reads!', 'cache reads')).toBeCloseTo(1, 12);
  });

  it('falls back to Jaccard when TF-IDF has no vocabulary', () => {
    expect(tfidfCosine('!!!', '???')).toBeNull();
    expect(textSimilarity('!!! ???', '!!! ...')).toBeCloseTo(1 / 3, 12);
    expect(textSimilarity('', '   ')).toBe(1);
    expect(jaccard('a b', 'b c')).toBeCloseTo(1 / 3, 12);
  });
});

describe('classifyConvergence', () => {
  it('converged when all ≥ 0.85, diverging when any < 0.40, else refining', () => {
    expect(classifyConvergence([0.85, 0.99], DEFAULT_CONVERGENCE)).toBe('converged');
    expect(classifyConvergence([0.9, 0.39], DEFAULT_CONVERGENCE)).toBe('diverging');
    expect(classifyConvergence([0.9, 0.4], DEFAULT_CONVERGENCE)).toBe('refining');
    expect(classifyConvergence([], DEFAULT_CONVERGENCE)).toBe('refining');
  });
});
