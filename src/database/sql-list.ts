/** `'a', 'b'` for a CHECK (… IN (…)) over a fixed list of identifiers (never user input). */
export const sqlList = (values: readonly string[]): string =>
  values.map((v) => `'${v}'`).join(', ');
