import fc from 'fast-check';
import { troublesomeTextUnit as unit } from '../../../test/support/text-units';
import { MAX_JSON_DEPTH, jsonValueViolation } from './json-value-check';

const unstorableTextAt = (value: unknown): string | undefined => jsonValueViolation(value)?.field;

describe('jsonValueViolation', () => {
  it('refuses nesting deeper than MAX_JSON_DEPTH, at any depth of a million, without recursion', () => {
    const nest = (depth: number): unknown => {
      let value: unknown = 1;
      for (let i = 0; i < depth; i++) value = { a: value };
      return value;
    };
    expect(jsonValueViolation(nest(MAX_JSON_DEPTH))).toBeUndefined();
    expect(jsonValueViolation(nest(MAX_JSON_DEPTH + 1))).toMatchObject({ rule: 'too_deep' });
    expect(jsonValueViolation(nest(1_000_000))).toMatchObject({
      rule: 'too_deep',
      field: Array.from({ length: MAX_JSON_DEPTH }, () => 'a').join('.'),
    });
  });

  it('reports the first offending field in document order', () => {
    expect(jsonValueViolation({ a: 'ok', b: ['x', 'y\u0000'], c: '\u0000' })?.field).toBe('b.1');
    expect(jsonValueViolation({ a: { b: '\u0000' }, 'c\u0000': 1 })?.field).toBe('a.b');
    expect(jsonValueViolation({ a: 1, 'b\ud800': 'x', c: '\u0000' })?.field).toBe('b\ud800');
    expect(jsonValueViolation([[1, [2, '\u0000']], { 'x\u0000': 1 }])?.field).toBe('0.1.1');
  });

  it('names the too-deep value in an array, and keeps going past shallow siblings', () => {
    const deep: unknown[] = [];
    let inner = deep;
    for (let i = 0; i < MAX_JSON_DEPTH; i++) inner.push((inner = []));
    expect(jsonValueViolation({ ok: [[1]], list: [0, deep] })).toMatchObject({
      rule: 'too_deep',
      field: ['list', '1', ...Array.from({ length: MAX_JSON_DEPTH - 2 }, () => '0')].join('.'),
    });
  });

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
