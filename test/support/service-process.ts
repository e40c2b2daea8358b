import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from '../../src/database/embedded-postgres';
import { http, waitFor } from './http';

const MAIN = join(__dirname, '..', '..', 'dist', 'src', 'main.js');

export interface ServiceProcess {
  readonly child: ChildProcess;
  readonly port: number;
  readonly baseUrl: string;
  output(): string;
  /** Resolves with the exit code (null when killed by a signal). */
  readonly exited: Promise<number | null>;
  waitReady(timeoutMs?: number): Promise<number>;
}

/** Runs the compiled service (`node dist/src/main.js`) with only the given environment. */
export async function spawnService(env: Record<string, string>): Promise<ServiceProcess> {
  const port = env.PORT ? Number(env.PORT) : await freePort();
  const child = spawn(process.execPath, [MAIN], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/root',
      HOST: '127.0.0.1',
      PORT: String(port),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    child,
    port,
    baseUrl,
    output: () => output,
    exited,
    waitReady: async (timeoutMs = 30_000) => {
      const started = Date.now();
      await waitFor(
        async () => {
          if (child.exitCode !== null)
            throw new Error(`service exited ${child.exitCode}:\n${output}`);
          return (await http(`${baseUrl}/readyz`)).status === 200 ? true : undefined;
        },
        { timeoutMs, intervalMs: 50, what: `/readyz of the service:\n${output}` },
      );
      return Date.now() - started;
    },
  };
}
