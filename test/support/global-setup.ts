import { Client } from 'pg';
import pino from 'pino';
import { DataSource } from 'typeorm';
import { loadConfig } from '../../src/config';
import { buildDataSourceOptions } from '../../src/database/data-source-options';
import { runMigrations } from '../../src/database/run-migrations';
import { startTestPostgres, type TestPostgres } from './postgres-server';

export const TEMPLATE_DATABASE = 'aragora_template';

declare global {
  var __ARAGORA_TEST_PG__: TestPostgres | undefined;
}

/**
 * Starts one real PostgreSQL for the e2e run (embedded 18 by default, Debian's 15 with
 * ARAGORA_TEST_PG=system), migrates a template database once, and hands its URL to the
 * workers; each suite clones the template into a database of its own.
 */
export default async function globalSetup(): Promise<void> {
  const kind = process.env.ARAGORA_TEST_PG === 'system' ? 'system' : 'embedded';
  const server = await startTestPostgres(kind);
  globalThis.__ARAGORA_TEST_PG__ = server;
  const admin = new Client({ connectionString: server.adminUrl });
  await admin.connect();
  const version = await admin.query<{ server_version: string }>('SHOW server_version');
  await admin.query(`CREATE DATABASE ${TEMPLATE_DATABASE}`);
  await admin.end();
  const templateUrl = server.adminUrl.replace(/\/postgres$/, `/${TEMPLATE_DATABASE}`);
  const config = loadConfig({});
  const dataSource = await new DataSource(
    buildDataSourceOptions(config.database, templateUrl, pino({ level: 'warn' })),
  ).initialize();
  await runMigrations(dataSource, 60_000);
  await dataSource.destroy();
  process.env.ARAGORA_TEST_PG_ADMIN_URL = server.adminUrl;
  process.env.ARAGORA_TEST_PG_VERSION = version.rows[0]?.server_version ?? 'unknown';
  process.stdout.write(
    `\ne2e database: PostgreSQL ${process.env.ARAGORA_TEST_PG_VERSION} (${kind})\n`,
  );
}
