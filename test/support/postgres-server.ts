import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { freePort, startEmbeddedPostgres } from '../../src/database/embedded-postgres';

export type TestPostgresKind = 'embedded' | 'system';

export interface TestPostgres {
  /** URL of the `postgres` maintenance database, as superuser. */
  readonly adminUrl: string;
  readonly version: string;
  stop(): Promise<void>;
}

/** Debian's server binaries (postgresql-15), wherever this machine put them. */
function systemBinDir(): string {
  const candidates = ['/usr/lib/postgresql/15/bin', '/usr/local/bin', '/usr/bin'];
  const found = candidates.find(
    (dir) => existsSync(join(dir, 'pg_ctl')) && existsSync(join(dir, 'initdb')),
  );
  if (!found)
    throw new Error(
      'PostgreSQL 15 server binaries (initdb, pg_ctl) not found; install postgresql-15',
    );
  return found;
}

const isRoot = process.getuid?.() === 0;

function runAsPostgres(binary: string, args: string[]): string {
  const command = isRoot ? 'runuser' : binary;
  const fullArgs = isRoot ? ['-u', 'postgres', '--', binary, ...args] : args;
  return execFileSync(command, fullArgs, {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

async function startSystem(): Promise<TestPostgres> {
  const bin = systemBinDir();
  const dir = mkdtempSync(join(tmpdir(), 'aragora-pg15-'));
  const dataDir = join(dir, 'data');
  if (isRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
  }
  const port = await freePort();
  runAsPostgres(join(bin, 'initdb'), [
    '-D',
    dataDir,
    '-U',
    'postgres',
    '--auth=trust',
    '-E',
    'UTF8',
  ]);
  runAsPostgres(join(bin, 'pg_ctl'), [
    '-D',
    dataDir,
    '-w',
    '-l',
    join(dataDir, 'server.log'),
    '-o',
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off`,
    'start',
  ]);
  const version = runAsPostgres(join(bin, 'postgres'), ['--version']).trim();
  return {
    adminUrl: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    version,
    stop: () => {
      runAsPostgres(join(bin, 'pg_ctl'), ['-D', dataDir, '-m', 'fast', '-w', 'stop']);
      rmSync(dir, { recursive: true, force: true });
      return Promise.resolve();
    },
  };
}

async function startEmbedded(): Promise<TestPostgres> {
  const dir = mkdtempSync(join(tmpdir(), 'aragora-pg-'));
  chmodSync(dir, 0o755); // the server runs as the postgres user and must reach its cluster dir
  const handle = await startEmbeddedPostgres({
    dataDir: dir,
    port: 0,
    log: pino({ level: 'warn' }),
  });
  return {
    adminUrl: handle.url.replace(/\/aragora$/, '/postgres'),
    version: 'embedded',
    stop: async () => {
      await handle.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function startTestPostgres(kind: TestPostgresKind): Promise<TestPostgres> {
  return kind === 'system' ? startSystem() : startEmbedded();
}
