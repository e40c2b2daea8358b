import type { Server } from 'node:http';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { unstorableTextAt, unstorableTextError } from '../storable-text';

/**
 * The only body parser: Fastify's JSON parser (prototype-poisoning keys refused), then the
 * storable-text check. Installed with Nest's `bodyParser: false`, which leaves its form parser
 * out, and Fastify's plain-text parser is removed: the API takes JSON, anything else is 415.
 */
export function installJsonBodyParser(app: NestFastifyApplication, bodyLimit: number): void {
  const fastify = app.getHttpAdapter().getInstance();
  fastify.removeContentTypeParser('text/plain');
  const parse = fastify.getDefaultJsonParser('error', 'error');
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
