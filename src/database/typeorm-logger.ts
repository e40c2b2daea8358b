import type { Logger as TypeOrmLogger } from 'typeorm';
import type { Logger } from '../common/logging/logger';

/** Routes TypeORM's messages to the structured logger; query text only at debug. */
export class PinoTypeOrmLogger implements TypeOrmLogger {
  constructor(private readonly logger: Logger) {}

  logQuery(query: string): void {
    this.logger.trace({ component: 'db', query }, 'query');
  }
  logQueryError(error: string | Error, query: string): void {
    this.logger.warn({ component: 'db', err: error, query }, 'query failed');
  }
  logQuerySlow(time: number, query: string): void {
    this.logger.warn({ component: 'db', durationMs: time, query }, 'slow query');
  }
  logSchemaBuild(message: string): void {
    this.logger.debug({ component: 'db' }, message);
  }
  logMigration(message: string): void {
    this.logger.info({ component: 'db' }, message);
  }
  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') this.logger.warn({ component: 'db' }, String(message));
    else this.logger.debug({ component: 'db' }, String(message));
  }
}
