import fc from 'fast-check';
import { isStorableText, toStorableText, toStorableValue, unstorableTextAt } from './storable-text';

/** Text units with the troublesome ones (and backslashes, to tempt the oracle below) made common. */
const unit = fc.oneof(
  fc.constantFrom('\u0000', '\ud800', '\udbff', '\udc00', '\udfff', '\ud83d\ude00', '\\', 'u'),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
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

describe('unstorableTextAt', () => {
  it.each([
    [{ topic: 'fine', agents: ['a', 'b'], n: 1, x: null }, undefined],
    ['a\u0000b', 'body'],
    [{ topic: 'a\u0000' }, 'topic'],
    [{ agents: ['ok', 'b\ud800'] }, 'agents.1'],
    [{ nested: { deep: [{ text: '\udc00x' }] } }, 'nested.deep.0.text'],
    [{ 'k\u0000': 'v' }, 'k\u0000'],
    [{ emoji: '\ud83d\ude00 paired surrogates are fine' }, undefined],
  ])('%j → %s', (value, expected) => {
    expect(unstorableTextAt(value)).toBe(expected);
  });

  /**
   * An independent oracle: well-formed JSON.stringify writes NUL as `\u0000` and a lone surrogate as
   * `\udXXX`, and nothing else as such an escape (a backslash written by the text itself is doubled).
   */
  const UNSTORABLE_ESCAPE = /(?<!\\)(?:\\\\)*\\u(?:0000|d[89a-f][0-9a-f]{2})/i;

  it('agrees with the serialized text on any JSON value, keys included', () => {
    fc.assert(
      fc.property(fc.jsonValue({ stringUnit: unit }), (value) => {
        const oracle = UNSTORABLE_ESCAPE.test(JSON.stringify(value));
        expect(unstorableTextAt(value) !== undefined).toBe(oracle);
      }),
      { numRuns: 2_000 },
    );
  });

  const clean = (s: string): string => s.replaceAll('\u0000', '').toWellFormed();

  it('finds a NUL or a lone surrogate wherever it is put', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string(), { minLength: 1, maxLength: 5 }),
        fc.nat(),
        fc.constantFrom('\u0000', '\ud800', '\udfff'),
        (texts, at, bad) => {
          const index = at % texts.length;
          const items = texts.map((t, i) => (i === index ? `${clean(t)}${bad}` : clean(t)));
          expect(unstorableTextAt({ items })).toBe(`items.${index}`);
        },
      ),
    );
  });
});
