// Starting and measuring the compiled service and the bare reference in their own processes.
import { fork, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export async function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export function rssBytes(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? NaN);
  return kb * 1024;
}

async function waitForStatus(url, status, timeoutMs, child) {
  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`process exited ${child.exitCode} before ${url} answered`);
    try {
      const res = await fetch(url);
      if (res.status === status) return Date.now() - started;
    } catch {
      // not listening yet
    }
    if (Date.now() - started > timeoutMs)
      throw new Error(`${url} not ${status} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Starts `node dist/src/main.js` (production build) and waits for /readyz. */
export async function startService(env) {
  const port = await freePort();
  const started = Date.now();
  const child = spawn(process.execPath, [join(root, 'dist', 'src', 'main.js')], {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      HOST: '127.0.0.1',
      PORT: String(port),
      ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  await waitForStatus(`http://127.0.0.1:${port}/readyz`, 200, 120_000, child);
  return {
    pid: child.pid,
    baseUrl: `http://127.0.0.1:${port}`,
    readyAfterMs: Date.now() - started,
    stop: async () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

/** Starts the bare Fastify reference server in its own process. */
export async function startBare() {
  const child = fork(join(root, 'bench', 'bare-server.mjs'), ['0'], { stdio: 'inherit' });
  const port = await new Promise((resolve, reject) => {
    child.once('message', (m) => resolve(m.port));
    child.once('exit', (code) => reject(new Error(`bare server exited ${code}`)));
  });
  return {
    pid: child.pid,
    baseUrl: `http://127.0.0.1:${port}`,
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    },
  };
}
