import fc from 'fast-check';
import { textSimilarity } from './index';

const RUNS = { numRuns: 500 };
const words = fc.constantFrom(
  'cache',
  'reads',
  'TTL',
  'eviction',
  'shard',
  'the',
  'a',
  '!!',
  '—',
  'Ünïcode',
  '42',
);
const textArb = fc.oneof(
  fc.string(),
  fc.array(words, { maxLength: 30 }).map((w) => w.join(' ')),
);

describe('convergence similarity properties', () => {
  it('lies in [0, 1], is symmetric, and is 1 for identical texts', () => {
    fc.assert(
      fc.property(textArb, textArb, (a, b) => {
        const s = textSimilarity(a, b);
        expect(s).toBeGreaterThanOrEqual(0);
        expect(s).toBeLessThanOrEqual(1);
        expect(textSimilarity(b, a)).toBe(s);
        expect(textSimilarity(a, a)).toBe(1);
        // the same words in another case or spacing are still identical in substance
        expect(textSimilarity(a, `  ${a.toUpperCase()}  `)).toBeCloseTo(
          textSimilarity(a.toUpperCase(), a),
          12,
        );
      }),
      RUNS,
    );
  });
});
