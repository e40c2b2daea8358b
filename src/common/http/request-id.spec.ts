import type { IncomingMessage } from 'node:http';
import fc from 'fast-check';
import { requestIdFrom } from './request-id';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const withHeader = (value: string | string[] | undefined): IncomingMessage =>
  ({ headers: value === undefined ? {} : { 'x-request-id': value } }) as IncomingMessage;

describe('requestIdFrom', () => {
  it('keeps a sane token and mints a UUID for none, a list, or anything else', () => {
    expect(requestIdFrom(withHeader('trace-1.a:b_C'))).toBe('trace-1.a:b_C');
    expect(requestIdFrom(withHeader(undefined))).toMatch(UUID);
    expect(requestIdFrom(withHeader(['a', 'b']))).toMatch(UUID);
    expect(requestIdFrom(withHeader('has space'))).toMatch(UUID);
    expect(requestIdFrom(withHeader('x'.repeat(129)))).toMatch(UUID);
    expect(requestIdFrom(withHeader('é'))).toMatch(UUID);
  });

  // The front door's answers count on it: an id's JSON is the id in quotes, one byte a character.
  it('always gives 1–128 printable ASCII characters that JSON leaves as they are', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ unit: 'binary', maxLength: 140 }), fc.stringMatching(/^[\w.:-]+$/)),
        (header) => {
          const id = requestIdFrom(withHeader(header));
          expect(id).toMatch(/^[\x21-\x7e]{1,128}$/);
          expect(JSON.stringify(id)).toBe(`"${id}"`);
          expect(Buffer.byteLength(id)).toBe(id.length);
          if (/^[\w.:-]{1,128}$/.test(header)) expect(id).toBe(header);
          else expect(id).toMatch(UUID);
        },
      ),
    );
  });
});
