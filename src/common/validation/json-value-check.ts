import { RequestValidationError, type FieldViolation } from '../errors';
import { isStorableText } from '../storable-text';

/**
 * The deepest nesting a request body may have. Real bodies use a handful of levels; a deeper one
 * only costs: recursive serializers (JSON.stringify, PostgreSQL's jsonb parser) fail on it.
 */
export const MAX_JSON_DEPTH = 64;

/** A container being walked: its keys (undefined for an array), how many there are, the next. */
interface Frame {
  readonly container: object;
  readonly keys: readonly string[] | undefined;
  readonly size: number;
  next: number;
}

const isContainer = (value: unknown): value is object =>
  typeof value === 'object' && value !== null;

const frameOf = (container: object): Frame => {
  const keys = Array.isArray(container) ? undefined : Object.keys(container);
  const size = keys ? keys.length : (container as unknown[]).length;
  return { container, keys, size, next: 0 };
};

/** The dotted path of the entry each frame is at (`body` for the value itself). */
const pathOf = (stack: readonly Frame[]): string =>
  stack.map((f) => (f.keys ? f.keys[f.next - 1] : String(f.next - 1))).join('.') || 'body';

/**
 * The first thing in a parsed body or query the service cannot take, in document order and
 * without recursion: text it cannot store (NUL, an unpaired surrogate — in a value or a key), or
 * nesting deeper than MAX_JSON_DEPTH. The field is the dotted path (`agents.1`; `body` for the
 * value itself); it is only built when something is found, so a clean body costs one frame per
 * object or array and nothing per string.
 */
export function jsonValueViolation(value: unknown): FieldViolation | undefined {
  if (typeof value === 'string') return isStorableText(value) ? undefined : unstorable('body');
  if (!isContainer(value)) return undefined;
  const stack: Frame[] = [frameOf(value)];
  while (stack.length > 0) {
    const frame = stack[stack.length - 1] as Frame;
    if (frame.next === frame.size) {
      stack.pop();
      continue;
    }
    const index = frame.next++;
    const key = frame.keys?.[index];
    if (key !== undefined && !isStorableText(key)) return unstorable(pathOf(stack));
    const child: unknown =
      key === undefined
        ? (frame.container as readonly unknown[])[index]
        : (frame.container as Readonly<Record<string, unknown>>)[key];
    if (typeof child === 'string') {
      if (!isStorableText(child)) return unstorable(pathOf(stack));
    } else if (isContainer(child)) {
      // the child sits at depth stack.length (the value itself at 0)
      if (stack.length >= MAX_JSON_DEPTH) {
        return {
          field: pathOf(stack),
          rule: 'too_deep',
          message: `nesting deeper than ${MAX_JSON_DEPTH} levels`,
        };
      }
      stack.push(frameOf(child));
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
