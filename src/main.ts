import { setTimeout as sleep } from 'node:timers/promises';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ConfigValidationError, loadConfigFromProcess, type AppConfig } from './config';
import { createLogger, type Logger } from './common/logging/logger';
import { startApp } from './create-app';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from './database/embedded-postgres';
import { ReadinessState } from './modules/health/readiness.state';

function readConfig(): AppConfig {
  try {
    return loadConfigFromProcess();
  } catch (error) {
    if (error instanceof ConfigValidationError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

/**
 * SIGTERM/SIGINT: readiness 503, optional drain delay, close the listener (in-flight requests
 * finish) and the pools, stop the embedded PostgreSQL last, exit 0.
 */
function onShutdownSignal(
  app: NestFastifyApplication,
  embedded: EmbeddedPostgresHandle | undefined,
  config: AppConfig,
  log: Logger,
): void {
  let shuttingDown = false;
  const shutdown = async (signal: NodeJS.Signals): Promise<void> => {
    if (shuttingDown) return;
    shuttingDown = true;
    log.info({ signal }, 'shutting down');
    const deadline = setTimeout(() => {
      log.error({ timeoutMs: config.shutdown.timeoutMs }, 'graceful shutdown timed out');
      process.exit(1);
    }, config.shutdown.timeoutMs);
    deadline.unref();
    app.get(ReadinessState).markDraining();
    if (config.shutdown.drainDelayMs > 0) await sleep(config.shutdown.drainDelayMs);
    await app.close();
    await embedded?.stop();
    log.info('shutdown complete');
    log.flush();
    process.exit(0);
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => void shutdown(signal));
  }
}

async function main(): Promise<void> {
  const config = readConfig();
  const log = createLogger(config.logLevel);
  let embedded: EmbeddedPostgresHandle | undefined;
  try {
    if (!config.database.url) {
      embedded = await startEmbeddedPostgres({
        dataDir: config.dataDir,
        port: config.database.embeddedPort,
        log,
      });
    }
    const databaseUrl = config.database.url ?? embedded?.url ?? '';
    const { app, port } = await startApp({ config, databaseUrl, log });
    onShutdownSignal(app, embedded, config, log);
    log.info(
      { port, host: config.http.host, database: embedded ? 'embedded' : 'external' },
      'Aragora is ready',
    );
  } catch (error) {
    log.fatal({ err: error }, 'start-up failed');
    await embedded?.stop().catch(() => undefined);
    log.flush();
    process.exit(1);
  }
}

void main();
