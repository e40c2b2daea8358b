import type { DataSourceOptions } from 'typeorm';
import type { AppConfig } from '../config';
import type { Logger } from '../common/logging/logger';
import { entities } from './entities';
import { migrations } from './migrations';
import { PinoTypeOrmLogger } from './typeorm-logger';

/** Idle overflow connections are closed after this long; the base pool stays open. */
const OVERFLOW_IDLE_MS = 10_000;

/**
 * TypeORM over node-postgres with the seed's pool semantics: `size` connections kept,
 * up to `size + overflow` under load, acquire timeout, recycling, query and statement timeouts.
 */
export function buildDataSourceOptions(
  database: AppConfig['database'],
  url: string,
  log: Logger,
): DataSourceOptions {
  const { pool } = database;
  return {
    type: 'postgres',
    url,
    entities,
    migrations,
    migrationsTableName: 'migrations',
    synchronize: false,
    migrationsRun: false,
    installExtensions: false,
    uuidExtension: 'pgcrypto',
    applicationName: 'aragora',
    poolSize: pool.size + pool.overflow,
    connectTimeoutMS: pool.acquireTimeoutMs,
    maxQueryExecutionTime: Math.min(1000, database.queryTimeoutMs),
    logger: new PinoTypeOrmLogger(log),
    logging: ['error', 'warn', 'migration'],
    // An idle connection told by the server that it is shutting down (57P01 admin_shutdown)
    // is expected when the embedded server stops after the pool; anything else is worth a warning.
    poolErrorHandler: (error: Error & { code?: string }) => {
      if (error.code === '57P01')
        log.debug({ component: 'db' }, 'server closed an idle connection');
      else log.warn({ component: 'db', err: error }, 'idle database connection failed');
    },
    extra: {
      min: pool.size,
      idleTimeoutMillis: OVERFLOW_IDLE_MS,
      maxLifetimeSeconds: pool.recycleSeconds,
      query_timeout: database.queryTimeoutMs,
      statement_timeout: database.statementTimeoutMs,
    },
  };
}
