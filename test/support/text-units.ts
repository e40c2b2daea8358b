import fc from 'fast-check';

/**
 * Single text units with the troublesome ones made common — NUL, unpaired surrogate halves, a
 * valid pair, and a backslash and `u` to tempt escape-parsing oracles — among any others.
 */
export const troublesomeTextUnit = fc.oneof(
  fc.constantFrom('\u0000', '\ud800', '\udbff', '\udc00', '\udfff', '\ud83d\ude00', '\\', 'u'),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
);
