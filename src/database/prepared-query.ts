import type { Pool, QueryResultRow } from 'pg';
import type { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver.js';

/** The pg pool under TypeORM's data source (same connections, limits and timeouts). */
export function poolOf(dataSource: DataSource): Pool {
  return (dataSource.driver as PostgresDriver).master as Pool;
}

/**
 * Runs a hot statement as a named prepared statement: each pooled connection parses and plans it
 * once instead of on every call (TypeORM's `query()` sends unnamed statements). `name` must be
 * unique per statement text.
 */
export async function preparedQuery<T extends QueryResultRow>(
  dataSource: DataSource,
  name: string,
  text: string,
  values: readonly unknown[],
): Promise<T[]> {
  const result = await poolOf(dataSource).query<T>({ name, text, values: [...values] });
  return result.rows;
}
