/**
 * Text the service can keep: PostgreSQL's text and jsonb refuse NUL (U+0000), and an unpaired
 * surrogate is not Unicode at all (it has no UTF-8 form). Client input with either is refused
 * (jsonValueViolation: every JSON body and query); text from outside that must be kept
 * regardless — an LLM's answer — is repaired with U+FFFD, the replacement character, in place of
 * each offending unit.
 */
export const isStorableText = (text: string): boolean =>
  !text.includes('\0') && text.isWellFormed();

export const toStorableText = (text: string): string =>
  isStorableText(text) ? text : text.replaceAll('\0', '\uFFFD').toWellFormed();

/** toStorableText on every string of a JSON-like value, keys included; other values as they are. */
export function toStorableValue(value: unknown): unknown {
  if (typeof value === 'string') return toStorableText(value);
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(toStorableValue);
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [toStorableText(key), toStorableValue(item)]),
  );
}
