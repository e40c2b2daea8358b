import fc from 'fast-check';
import pino, { type LoggerOptions } from 'pino';
import { troublesomeTextUnit } from '../../../test/support/text-units';
import { ACCESS_MESSAGE, AccessLog, type AccessEntry, type AccessLevel } from './access-log';

/** A pino logger on a fixed clock whose lines are kept, and the AccessLog over it. */
function capture(options: LoggerOptions = {}, child?: Record<string, unknown>) {
  const lines: string[] = [];
  const root = pino(
    { level: 'debug', timestamp: () => ',"time":42', ...options },
    { write: (line: string) => void lines.push(line) },
  );
  const log = child ? root.child(child) : root;
  return { log, lines, access: new AccessLog(log) };
}

/** What pino itself writes for the entry. */
function pinoLine(
  options: LoggerOptions,
  child: Record<string, unknown> | undefined,
  level: AccessLevel,
  e: AccessEntry,
  error?: Error,
) {
  const { log, lines } = capture(options, child);
  log[level](
    {
      request_id: e.requestId,
      method: e.method,
      route: e.route,
      path: e.path,
      status: e.status,
      duration_ms: e.durationMs,
      ...(error ? { err: error } : {}),
    },
    ACCESS_MESSAGE,
  );
  return lines;
}

const wellFormed = fc.string({ unit: 'binary', maxLength: 60 });
const entryOf = (text: fc.Arbitrary<string>) =>
  fc.record({
    requestId: text,
    method: text,
    route: fc.option(text, { nil: null }),
    path: text,
    status: fc.integer({ min: 100, max: 599 }),
    durationMs: fc.oneof(fc.double(), fc.constantFrom(0, 0.01, 12.34, -0)),
  });
const level = fc.constantFrom<AccessLevel>('info', 'debug');

/** The service's own logger settings (logger.ts) and child bindings like a module's. */
const SERVICE_OPTIONS: LoggerOptions = {
  base: { service: 'aragora' },
  redact: { paths: ['headers.authorization', 'req.headers.cookie'], censor: '***' },
};

describe('AccessLog', () => {
  it.each([
    ['pino defaults', {}, undefined],
    ['the service options', SERVICE_OPTIONS, undefined],
    ['a child logger with bindings', SERVICE_OPTIONS, { module: 'http', 'odd "key"': 'x\ny' }],
  ] as const)('writes byte for byte the line pino writes, with %s', (_name, options, child) => {
    fc.assert(
      fc.property(entryOf(wellFormed), level, (entry, lvl) => {
        const { access, lines } = capture(options, child);
        access.write(lvl, entry);
        expect(lines).toEqual(pinoLine(options, child, lvl, entry));
      }),
    );
  });

  it('writes the same JSON values as pino for any text, unpaired surrogates included', () => {
    fc.assert(
      fc.property(
        entryOf(fc.string({ unit: troublesomeTextUnit, maxLength: 50 })),
        level,
        (entry, lvl) => {
          const { access, lines } = capture(SERVICE_OPTIONS);
          access.write(lvl, entry);
          const ours = lines.map((line) => JSON.parse(line) as unknown);
          const theirs = pinoLine(SERVICE_OPTIONS, undefined, lvl, entry).map(
            (line) => JSON.parse(line) as unknown,
          );
          expect(ours).toEqual(theirs);
          expect(ours.map((line) => Object.keys(line as object))).toEqual(
            theirs.map((line) => Object.keys(line as object)),
          );
        },
      ),
    );
  });

  const entry: AccessEntry = {
    requestId: 'r-1',
    method: 'GET',
    route: '/api/v1/me',
    path: '/api/v1/me?x=1',
    status: 200,
    durationMs: 1.25,
  };

  it.each([
    ['a mixin', { mixin: () => ({ trace: 't' }) }],
    [
      'a log formatter',
      { formatters: { log: (o: Record<string, unknown>) => ({ ...o, extra: 1 }) } },
    ],
    [
      'a logMethod hook',
      {
        hooks: {
          logMethod(this: pino.Logger, args: Parameters<pino.LogFn>, method: pino.LogFn) {
            method.call(
              this,
              { hooked: true, ...(args[0] as object) },
              ...(args.slice(1) as [string]),
            );
          },
        },
      },
    ],
    [
      'a streamWrite hook',
      { hooks: { streamWrite: (line: string) => line.replace('GET', 'get') } },
    ],
    ['a message prefix', { msgPrefix: '[http] ' }],
    ['another message key', { messageKey: 'message' }],
    ['a nested key', { nestedKey: 'payload' }],
    ['a redacted access field', { redact: ['path'] }],
    ['a wildcard redaction (nothing to redact here, but pino decides)', { redact: ['*.secret'] }],
    ['a serializer of an access field', { serializers: { status: (s: number) => `HTTP ${s}` } }],
  ] as [string, LoggerOptions][])(
    'leaves the line to pino when the logger has %s',
    (_name, options) => {
      const { access, lines } = capture(options);
      access.write('info', entry);
      expect(lines).toEqual(pinoLine(options, undefined, 'info', entry));
      expect(lines).toHaveLength(1);
    },
  );

  it('leaves a request that failed with an error to pino, which serializes the error', () => {
    const error = new Error('boom');
    const { access, lines } = capture(SERVICE_OPTIONS);
    access.write('info', entry, error);
    expect(lines).toEqual(pinoLine(SERVICE_OPTIONS, undefined, 'info', entry, error));
    expect(JSON.parse(lines[0]!)).toMatchObject({ err: { message: 'boom', type: 'Error' } });
  });

  it('writes nothing below the logger level, and follows level changes', () => {
    const { log, access, lines } = capture({ level: 'info' });
    access.write('debug', entry);
    expect(lines).toEqual([]);
    log.level = 'debug';
    access.write('debug', entry);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      level: 20,
      msg: ACCESS_MESSAGE,
      request_id: 'r-1',
    });
  });
});
