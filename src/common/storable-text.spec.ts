import fc from 'fast-check';
import { unstorableTextAt } from './http/body-text';
import { isStorableText, toStorableText, toStorableValue } from './storable-text';

const unit = fc.oneof(
  fc.constantFrom('\u0000', '\ud800', '\udc00', '\ud83d\ude00'),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
);

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
