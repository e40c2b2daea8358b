import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '../../src/database/embedded-postgres';

export interface TestRedis {
  readonly url: string;
  readonly port: number;
  /** Graceful shutdown; removes the temp dir. */
  stop(): Promise<void>;
  /** SIGKILL, simulates a crash. */
  kill(): void;
  /** Starts a fresh (empty) server on the same port, after kill or stop. */
  restart(): Promise<void>;
}

const START_TIMEOUT_MS = 10_000;

/** True when a raw `PING` on the port gets `+PONG` (no client library, no reconnect noise). */
function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
  });
}

function running(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

function exited(child: ChildProcess): Promise<void> {
  if (!running(child)) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Spawns `redis-server` from PATH on a free 127.0.0.1 port, without persistence. */
export async function startRedisServer(): Promise<TestRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'aragora-redis-'));
  let child: ChildProcess | undefined;

  const launch = async (): Promise<void> => {
    mkdirSync(dir, { recursive: true });
    const args = ['--port', String(port), '--save', '', '--appendonly', 'no'];
    const proc = spawn('redis-server', [...args, '--dir', dir, '--bind', '127.0.0.1'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = proc;
    let output = ''; // kept for the error message when the server does not come up
    const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-2000));
    proc.stdout?.on('data', keep);
    proc.stderr?.on('data', keep);
    let spawnError: Error | undefined;
    proc.once('error', (error) => (spawnError = error));
    const deadline = Date.now() + START_TIMEOUT_MS;
    while (!(await ping(port))) {
      if (spawnError || !running(proc) || Date.now() > deadline) {
        proc.kill('SIGKILL');
        child = undefined;
        throw new Error(
          `redis-server on port ${port} did not start: ${spawnError?.message ?? output}`,
        );
      }
      await sleep(25);
    }
  };

  const halt = async (signal: NodeJS.Signals): Promise<void> => {
    if (!child) return;
    const proc = child;
    child = undefined;
    proc.kill(signal);
    const timer = setTimeout(() => proc.kill('SIGKILL'), 5_000);
    await exited(proc);
    clearTimeout(timer);
  };

  await launch().catch((error: unknown) => {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  });
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop: async () => {
      await halt('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
    kill: () => child?.kill('SIGKILL'),
    restart: async () => {
      await halt('SIGKILL'); // no-op when stopped; waits for the exit after kill()
      await launch();
    },
  };
}
