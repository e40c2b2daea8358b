import { RequestValidationError } from './errors';

/**
 * Text the service can keep: PostgreSQL's text and jsonb refuse NUL (U+0000), and an unpaired
 * surrogate is not Unicode at all (it has no UTF-8 form). Client input with either is refused
 * (unstorableTextAt: every JSON body, query and validated value); text from outside that must be kept regardless — an LLM's answer — is repaired
 * with U+FFFD, the replacement character, in place of each offending unit.
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

/**
 * Where a parsed body or query holds text the service cannot keep — a NUL character (PostgreSQL's text and
 * jsonb refuse U+0000) or an unpaired surrogate (not Unicode, so not UTF-8) — in a value or a key:
 * the field's path (`agents.1`, or `body` for the body itself); undefined when all text is fine.
 */
export function unstorableTextAt(value: unknown, path = ''): string | undefined {
  if (typeof value === 'string') return isStorableText(value) ? undefined : path || 'body';
  if (typeof value !== 'object' || value === null) return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = unstorableTextAt(value[i], join(path, String(i)));
      if (found) return found;
    }
    return undefined;
  }
  for (const [key, item] of Object.entries(value)) {
    if (!isStorableText(key)) return join(path, key);
    const found = unstorableTextAt(item, join(path, key));
    if (found) return found;
  }
  return undefined;
}

const join = (path: string, key: string): string => (path ? `${path}.${key}` : key);

/** The 422 for a body unstorableTextAt() found fault with. */
export function unstorableTextError(field: string): RequestValidationError {
  return new RequestValidationError([
    {
      field,
      rule: 'invalid_characters',
      message: 'text must not contain NUL (U+0000) or unpaired surrogate characters',
    },
  ]);
}
