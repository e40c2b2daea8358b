import pino from 'pino';
import { DataSource } from 'typeorm';
import { loadConfig } from '../../src/config';
import { buildDataSourceOptions } from '../../src/database/data-source-options';
import { migrations } from '../../src/database/migrations';
import { runMigrations } from '../../src/database/run-migrations';
import { PUBLIC_TENANT_ID } from '../../src/modules/tenants/tenant.entity';
import { createTestDatabase, dropTestDatabase, testPostgresVersion } from '../support/database';

async function openDataSource(url: string): Promise<DataSource> {
  const options = buildDataSourceOptions(loadConfig({}).database, url, pino({ level: 'silent' }));
  return new DataSource(options).initialize();
}

describe(`schema (PostgreSQL ${testPostgresVersion()})`, () => {
  let url: string;
  let dataSource: DataSource;
  beforeAll(async () => {
    url = await createTestDatabase({ migrated: false });
    dataSource = await openDataSource(url);
    await runMigrations(dataSource, 10_000);
  });
  afterAll(async () => {
    await dataSource.destroy();
    await dropTestDatabase(url);
  });

  it('applies every migration on an empty database', async () => {
    expect(await dataSource.showMigrations()).toBe(false);
    const applied = await dataSource.query<{ name: string }[]>(
      'SELECT name FROM migrations ORDER BY id',
    );
    expect(applied.map((m) => m.name)).toEqual(migrations.map((m) => new m().name));
  });

  it('leaves nothing for the entities to change (entities and migrations agree)', async () => {
    const pending = await dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query)).toEqual([]);
  });

  it('creates the built-in public tenant', async () => {
    const rows = await dataSource.query<{ id: string; name: string }[]>(
      'SELECT id, name FROM tenants',
    );
    expect(rows).toEqual([{ id: PUBLIC_TENANT_ID, name: 'public' }]);
  });

  it('reverts every migration and re-applies them', async () => {
    for (let i = 0; i < migrations.length; i++)
      await dataSource.undoLastMigration({ transaction: 'each' });
    const tables = await dataSource.query<{ table_name: string }[]>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'migrations'`,
    );
    expect(tables).toEqual([]);
    await runMigrations(dataSource, 10_000);
    expect(await dataSource.showMigrations()).toBe(false);
  });

  it('is safe when two processes migrate at once (advisory lock)', async () => {
    const other = await openDataSource(url);
    try {
      await Promise.all([runMigrations(dataSource, 10_000), runMigrations(other, 10_000)]);
      const count = await dataSource.query<{ n: string }[]>(
        'SELECT count(*)::text AS n FROM migrations',
      );
      expect(Number(count[0]?.n)).toBe(migrations.length);
    } finally {
      await other.destroy();
    }
  });
});
