import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import pino from 'pino';
import { loadConfig, type AppConfig, type EnvSource } from '../../src/config';
import type { AppModuleOptions } from '../../src/app.module';
import { startApp } from '../../src/create-app';
import { createTestDatabase, dropTestDatabase } from './database';

export const TEST_OPERATOR_TOKEN = 'test-operator-token-0123456789';

export interface TestApp {
  readonly app: NestFastifyApplication;
  readonly baseUrl: string;
  readonly databaseUrl: string;
  close(): Promise<void>;
}

/** Boots the real application on a free port against a database of its own. */
export async function startTestApp(
  env: EnvSource = {},
  extra: Pick<AppModuleOptions, 'rateLimitStore'> & {
    /** Where the application logs (instead of a silent logger at LOG_LEVEL). */
    readonly log?: AppModuleOptions['log'];
    /** For settings below their production range (a debate timeout of seconds). */
    readonly configure?: (config: AppConfig) => AppConfig;
  } = {},
): Promise<TestApp> {
  const databaseUrl = env.DATABASE_URL ?? (await createTestDatabase());
  const loaded = loadConfig({
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'silent',
    ARAGORA_DB_POOL_SIZE: '5',
    ARAGORA_DB_POOL_OVERFLOW: '5',
    ARAGORA_ADMIN_TOKEN: TEST_OPERATOR_TOKEN,
    ...env,
    DATABASE_URL: databaseUrl,
  });
  const config = extra.configure ? extra.configure(loaded) : loaded;
  const { app, port } = await startApp({
    config,
    databaseUrl,
    log: extra.log ?? pino({ level: config.logLevel }),
    ...(extra.rateLimitStore && { rateLimitStore: extra.rateLimitStore }),
  });
  let closed = false;
  return {
    app,
    baseUrl: `http://127.0.0.1:${port}`,
    databaseUrl,
    close: async () => {
      if (closed) return;
      closed = true;
      await app.close();
      if (env.DATABASE_URL === undefined) await dropTestDatabase(databaseUrl);
    },
  };
}
