import type { DataSource } from 'typeorm';

/** Any constant: serialises migrations across pods starting at the same time. */
const MIGRATION_LOCK_KEY = 7_142_001;

/** Applies pending migrations under an advisory lock, each in its own transaction. */
export async function runMigrations(dataSource: DataSource, lockTimeoutMs: number): Promise<void> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query(`SET lock_timeout = ${Math.floor(lockTimeoutMs)}`);
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      await dataSource.runMigrations({ transaction: 'each' });
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await runner.release();
  }
}
