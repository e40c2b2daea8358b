import { choiceSchema, structuredPayload, validateChoice, validateCritique } from './index';

describe('structured outputs', () => {
  it('accepts a valid critique and names what is wrong with an invalid one', () => {
    expect(validateCritique({ issues: ['a'], suggestions: [], severity: 10 })).toEqual({
      ok: true,
      value: { issues: ['a'], suggestions: [], severity: 10 },
    });
    expect(validateCritique({ issues: ['a'], suggestions: [], severity: 11 })).toEqual({
      ok: false,
      error: 'severity must be a number from 0 to 10',
    });
    expect(validateCritique({ issues: 'a', suggestions: [], severity: 1 }).ok).toBe(false);
  });

  it('accepts only a choice on the ballot with confidence in [0, 1]', () => {
    const ids = ['demo', 'demo#2'];
    expect(validateChoice({ choice: 'demo#2', confidence: 0, reasoning: '' }, ids).ok).toBe(true);
    expect(validateChoice({ choice: 'other', confidence: 0.5, reasoning: '' }, ids).ok).toBe(false);
    expect(validateChoice({ choice: 'demo', confidence: 1.5, reasoning: '' }, ids).ok).toBe(false);
    expect(validateChoice({ choice: 'demo', confidence: 0.5 }, ids).ok).toBe(false);
    expect(choiceSchema(ids)).toMatchObject({ properties: { choice: { enum: ids } } });
  });

  it('reads the object, else JSON in the text (whole, fenced or braced)', () => {
    expect(structuredPayload({ text: 'x', object: { a: 1 } })).toEqual({ a: 1 });
    expect(structuredPayload({ text: '{"a":1}' })).toEqual({ a: 1 });
    expect(structuredPayload({ text: 'Here:\n```json\n{"a":2}\n```' })).toEqual({ a: 2 });
    expect(structuredPayload({ text: 'My vote is {"a":3}.' })).toEqual({ a: 3 });
    expect(structuredPayload({ text: 'no json' })).toBeUndefined();
  });
});
