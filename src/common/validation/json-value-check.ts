import { RequestValidationError, type FieldViolation } from '../errors';
import { isStorableText } from '../storable-text';

/**
 * The deepest nesting a request body may have. Real bodies use a handful of levels; a deeper one
 * only costs: recursive serializers (JSON.stringify, PostgreSQL's jsonb parser) fail on it.
 */
export const MAX_JSON_DEPTH = 64;

interface Pending {
  readonly value: unknown;
  readonly path: string;
  readonly depth: number;
}

const join = (path: string, key: string): string => (path ? `${path}.${key}` : key);

/**
 * The first thing in a parsed body or query the service cannot take, without recursion: text it
 * cannot store (NUL, an unpaired surrogate — in a value or a key), or nesting deeper than
 * MAX_JSON_DEPTH. The field is the dotted path (`agents.1`; `body` for the value itself).
 */
export function jsonValueViolation(value: unknown): FieldViolation | undefined {
  const stack: Pending[] = [{ value, path: '', depth: 0 }];
  for (let next = stack.pop(); next; next = stack.pop()) {
    const { value: item, path, depth } = next;
    if (typeof item === 'string') {
      if (!isStorableText(item)) return unstorable(path || 'body');
      continue;
    }
    if (typeof item !== 'object' || item === null) continue;
    if (depth >= MAX_JSON_DEPTH) {
      return {
        field: path || 'body',
        rule: 'too_deep',
        message: `nesting deeper than ${MAX_JSON_DEPTH} levels`,
      };
    }
    const entries = Array.isArray(item)
      ? item.map((element, index) => [String(index), element] as const)
      : Object.entries(item);
    // pushed in reverse, so that the first offending field in document order is reported
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, child] = entries[i] as readonly [string, unknown];
      if (!Array.isArray(item) && !isStorableText(key)) return unstorable(join(path, key));
      stack.push({ value: child, path: join(path, key), depth: depth + 1 });
    }
  }
  return undefined;
}

function unstorable(field: string): FieldViolation {
  return {
    field,
    rule: 'invalid_characters',
    message: 'text must not contain NUL (U+0000) or unpaired surrogate characters',
  };
}

/** The 422 for what jsonValueViolation() found. */
export const jsonValueError = (violation: FieldViolation): RequestValidationError =>
  new RequestValidationError([violation]);
