import fc from 'fast-check';
import { troublesomeTextUnit as unit } from '../../test/support/text-units';
import { isStorableText, toStorableText, toStorableValue } from './storable-text';
import { jsonValueViolation } from './validation/json-value-check';

const unstorableTextAt = (value: unknown): string | undefined => jsonValueViolation(value)?.field;

describe('storable text', () => {
  it('repairs NUL and unpaired surrogates with U+FFFD, keeping pairs', () => {
    expect(toStorableText('a\u0000b\ud800c\ud83d\ude00')).toBe('a\ufffdb\ufffdc\ud83d\ude00');
  });

  it('makes any JSON value storable, and leaves a storable one as it was', () => {
    fc.assert(
      fc.property(fc.jsonValue({ stringUnit: unit }), (value) => {
        const repaired = toStorableValue(value);
        expect(unstorableTextAt(repaired)).toBeUndefined();
        if (unstorableTextAt(value) === undefined) expect(repaired).toEqual(value);
      }),
      { numRuns: 1_000 },
    );
  });

  it('keeps the length of a text (one unit for one)', () => {
    fc.assert(
      fc.property(fc.string({ unit }), (text) => {
        const repaired = toStorableText(text);
        expect(isStorableText(repaired)).toBe(true);
        expect(repaired.length).toBe(text.length);
      }),
    );
  });
});
