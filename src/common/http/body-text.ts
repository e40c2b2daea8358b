import type { Server } from 'node:http';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { RequestValidationError } from '../errors';
import { isStorableText } from '../storable-text';

/**
 * Where a parsed body holds text the service cannot keep — a NUL character (PostgreSQL's text and
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

/**
 * The JSON body parser: Fastify's own (prototype-poisoning keys refused), then the text check
 * above. Installed with Nest's `bodyParser: false`, which also leaves its form parser out: the API
 * takes JSON, and a form body gets 415.
 */
export function installJsonBodyParser(app: NestFastifyApplication, bodyLimit: number): void {
  const parse = app.getHttpAdapter().getInstance().getDefaultJsonParser('error', 'error');
  app.useBodyParser<Server>('application/json', { bodyLimit }, (request, body, done) => {
    const text = body.toString('utf8');
    void parse(request, text, (error, value) => {
      if (error) return done(error, undefined);
      // JSON carries NUL and surrogates only as \u escapes: a body without one needs no walk.
      const field = text.includes('\\u') ? unstorableTextAt(value) : undefined;
      if (field) return done(unstorableTextError(field), undefined);
      done(null, value);
    });
  });
}
