import { parseArgs } from 'node:util';
import { NestFactory } from '@nestjs/core';
import { ConfigValidationError, loadConfigFromProcess } from '../config';
import { createLogger } from '../common/logging/logger';
import { embeddedUrlOfRunningServer, startEmbeddedPostgres } from '../database/embedded-postgres';
import { ROLES, TIERS, type Role, type Tier } from '../modules/auth/api-key.entity';
import { ApiKeysService } from '../modules/auth/api-keys.service';
import { newKeySchema, newTenantSchema } from '../modules/auth/auth.dto';
import { TenantsService } from '../modules/tenants/tenants.service';
import { CliModule } from './cli.module';

const USAGE = `Usage:
  npm run cli -- keys create --tenant <name> [--role viewer|member|admin] [--tier authenticated|premium|internal] [--name <key name>]

Creates the tenant when it does not exist yet and prints the new key (shown only once) on stdout.
Uses DATABASE_URL, or the embedded PostgreSQL of ARAGORA_DATA_DIR (running or not).`;

class UsageError extends Error {}

/** A refusal of node:util's parseArgs (an unknown option, a missing value): a usage error too. */
const isArgumentError = (error: unknown): error is Error =>
  error instanceof Error &&
  String((error as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS_');

function parse(argv: string[]): { tenant: string; role: Role; tier: Tier; name: string } {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      tenant: { type: 'string' },
      role: { type: 'string', default: 'admin' },
      tier: { type: 'string', default: 'authenticated' },
      name: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || positionals.join(' ') !== 'keys create') throw new UsageError(USAGE);
  const tenant = newTenantSchema.safeParse({ name: values.tenant });
  if (!tenant.success)
    throw new UsageError(`--tenant: ${tenant.error.issues[0]?.message ?? 'required'}\n\n${USAGE}`);
  const key = newKeySchema.safeParse({
    name: values.name ?? `${values.role} key`,
    role: values.role,
    tier: values.tier,
  });
  if (!key.success) {
    throw new UsageError(
      `--role must be one of ${ROLES.join(', ')}; --tier one of ${TIERS.join(', ')}\n\n${USAGE}`,
    );
  }
  return { tenant: tenant.data.name, ...key.data };
}

async function main(): Promise<number> {
  const args = parse(process.argv.slice(2));
  const config = loadConfigFromProcess();
  const log = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);
  const existing = config.database.url ?? embeddedUrlOfRunningServer(config.dataDir);
  const embedded = existing
    ? undefined
    : await startEmbeddedPostgres({ dataDir: config.dataDir, port: 0, log });
  const databaseUrl = existing ?? embedded?.url ?? '';
  const app = await NestFactory.createApplicationContext(
    CliModule.forRoot(config, databaseUrl, log),
    {
      logger: false,
    },
  );
  try {
    const tenants = app.get(TenantsService);
    const tenant = (await tenants.findByName(args.tenant)) ?? (await tenants.create(args.tenant));
    const created = await app.get(ApiKeysService).create(tenant.id, args);
    process.stderr.write(
      `Created ${created.role} key "${created.name}" (${created.tier}, id ${created.id}) for tenant ${tenant.name} (${tenant.id}).\n` +
        'Store it now: it is not shown again.\n',
    );
    process.stdout.write(`${created.key}\n`);
    return 0;
  } finally {
    await app.close();
    await embedded?.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    const usage = error instanceof UsageError || isArgumentError(error);
    const message = isArgumentError(error)
      ? `${error.message}\n\n${USAGE}`
      : error instanceof UsageError || error instanceof ConfigValidationError
        ? error.message
        : `cli failed: ${error instanceof Error ? error.message : String(error)}`;
    process.stderr.write(`${message}\n`);
    process.exit(usage ? 2 : 1);
  },
);
