// Starting and measuring the compiled service and the bare reference in their own processes.
import { fork, spawn } from 'node:child_process';
import { closeSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
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

/** BENCH_SERVICE_ENV="NAME=value,NAME=value": extra settings for the measured service (experiments). */
export function extraEnv() {
  const raw = process.env.BENCH_SERVICE_ENV;
  if (!raw) return {};
  return Object.fromEntries(
    raw.split(',').map((pair) => {
      const at = pair.indexOf('=');
      return [pair.slice(0, at).trim(), pair.slice(at + 1).trim()];
    }),
  );
}

/** The V8 flags `npm start` runs the service with (package.json `config.node_args`). */
export const SERVICE_NODE_ARGS = (
  JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).config?.node_args ?? ''
)
  .split(/\s+/)
  .filter(Boolean);

/**
 * Starts the production build as `npm start` does (`node <config.node_args> dist/src/main.js`)
 * and waits for /readyz. `nodeArgs` go after those flags (e.g. `--cpu-prof --cpu-prof-dir=…`: the
 * profile is written on the SIGTERM exit); `logFile` receives the service's stdout (its JSON log
 * lines) instead of discarding it.
 */
export async function startService(env, { nodeArgs = [], logFile } = {}) {
  const port = await freePort();
  const started = Date.now();
  const out = logFile ? openSync(logFile, 'a') : 'ignore';
  const args = [...SERVICE_NODE_ARGS, ...nodeArgs, join(root, 'dist', 'src', 'main.js')];
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      HOST: '127.0.0.1',
      PORT: String(port),
      ...env,
    },
    stdio: ['ignore', out, 'inherit'],
  });
  if (typeof out === 'number') closeSync(out);
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

/** Starts redis-server (from PATH) on a free port, without persistence. */
export async function startRedis() {
  const port = await freePort();
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: 'ignore',
    },
  );
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise((resolve) => {
      const socket = createConnection(port, '127.0.0.1', () => {
        socket.end();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    },
  };
}

/** A tenant with one key per tier asked for, through the operator API. */
export async function createKeys(baseUrl, operatorToken, tiers) {
  const post = async (path, body) => {
    const res = await fetch(`${baseUrl}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${operatorToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (res.status !== 201) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return res.json();
  };
  const tenant = await post('/api/v1/admin/tenants', { name: `bench-${Date.now()}` });
  const keys = {};
  for (const tier of tiers) {
    keys[tier] = (
      await post(`/api/v1/admin/tenants/${tenant.id}/keys`, { name: tier, role: 'member', tier })
    ).key;
  }
  return keys;
}

/** Pids of a process's descendants (the embedded PostgreSQL server and its backends). */
export function descendants(pid) {
  const children = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  const out = [];
  const walk = (p) => {
    for (const c of children.get(p) ?? []) {
      out.push(c);
      walk(c);
    }
  };
  walk(pid);
  return out;
}

/** CPU seconds (user + system) a process has used, including its reaped children. */
export function cpuOf(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime, stime, cutime, cstime are fields 14–17 (1-based); f starts at field 3
    return (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) / 100;
  } catch {
    return 0;
  }
}

/**
 * CPU seconds of the service's Node process and of its PostgreSQL processes (the embedded server
 * and its backends) so far; the difference of two readings splits a run's CPU between them.
 */
export function cpuSeconds(pid) {
  const postgres = descendants(pid).reduce((sum, p) => sum + cpuOf(p), 0);
  const self = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = self.slice(self.lastIndexOf(')') + 2).split(' ');
  return { node: (Number(f[11]) + Number(f[12])) / 100, postgres };
}

/** CPU seconds all processes of the machine have used so far (busy time of every core). */
export function machineBusySeconds() {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1);
  const [user, nice, system, , , irq, softirq, steal] = fields.map(Number);
  return (user + nice + system + irq + softirq + steal) / 100;
}

/**
 * A CPU meter over a run: the service's Node process, its PostgreSQL processes, this process
 * (the load generator) and everything else on the machine (other work disturbing the figures),
 * each as a share of one core (the whole machine is cores × 100 %).
 */
export function cpuMeter(pid) {
  const start = {
    service: cpuSeconds(pid),
    // this process and its reaped children (a load generator run as a child, like wrk)
    self: cpuOf(process.pid),
    machine: machineBusySeconds(),
  };
  const t0 = performance.now();
  return () => {
    const seconds = (performance.now() - t0) / 1000;
    const service = cpuSeconds(pid);
    const generator = cpuOf(process.pid) - start.self;
    const node = service.node - start.service.node;
    const postgres = service.postgres - start.service.postgres;
    const machine = machineBusySeconds() - start.machine;
    const pct = (s) => Math.max(0, Math.round((100 * s) / seconds));
    return {
      service_node: pct(node),
      postgres: pct(postgres),
      load_generator: pct(generator),
      other_processes: pct(machine - node - postgres - generator),
    };
  };
}
