import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

const TEMPLATE_DATABASE = 'aragora_template';

function adminUrl(): string {
  const url = process.env.ARAGORA_TEST_PG_ADMIN_URL;
  if (!url)
    throw new Error(
      'ARAGORA_TEST_PG_ADMIN_URL is unset: run e2e suites through jest (global setup)',
    );
  return url;
}

export function testPostgresVersion(): string {
  return process.env.ARAGORA_TEST_PG_VERSION ?? 'unknown';
}

async function withAdmin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A fresh, migrated database of this suite's own (a copy of the migrated template). */
export async function createTestDatabase(options: { migrated?: boolean } = {}): Promise<string> {
  const name = `t_${randomBytes(6).toString('hex')}`;
  const template = options.migrated === false ? 'template0' : TEMPLATE_DATABASE;
  await withAdmin((client) => client.query(`CREATE DATABASE ${name} TEMPLATE ${template}`));
  return adminUrl().replace(/\/postgres$/, `/${name}`);
}

export async function dropTestDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  await withAdmin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}
