import type { Server } from 'node:http';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { unstorableTextAt, unstorableTextError } from '../storable-text';

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
