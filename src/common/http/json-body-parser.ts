import type { Server } from 'node:http';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { jsonValueError, jsonValueViolation } from '../validation/json-value-check';

/**
 * The only body parser: Fastify's JSON parser (prototype-poisoning keys refused), then
 * jsonValueViolation (unstorable text, nesting too deep). Installed with Nest's
 * `bodyParser: false`, which leaves its form parser out, and Fastify's plain-text parser is
 * removed: the API takes JSON, anything else is 415.
 */
export function installJsonBodyParser(app: NestFastifyApplication, bodyLimit: number): void {
  const fastify = app.getHttpAdapter().getInstance();
  fastify.removeContentTypeParser('text/plain');
  const parse = fastify.getDefaultJsonParser('error', 'error');
  app.useBodyParser<Server>('application/json', { bodyLimit }, (request, body, done) => {
    const text = body.toString('utf8');
    void parse(request, text, (error, value) => {
      if (error) return done(error, undefined);
      const violation = jsonValueViolation(value);
      if (violation) return done(jsonValueError(violation), undefined);
      done(null, value);
    });
  });
}
