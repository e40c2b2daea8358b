import pino, { type Logger, type LevelWithSilent } from 'pino';

export type { Logger };

/** The process-wide structured logger (JSON lines on stdout). */
export function createLogger(level: LevelWithSilent): Logger {
  return pino({
    level,
    base: { service: 'aragora' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'req.headers["x-admin-token"]',
        '*.password',
        '*.apiKey',
        '*.key',
      ],
      censor: '***',
    },
  });
}
