import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { processIsAlive } from '../../src/database/data-dir-lock';
import { http } from '../support/http';
import { spawnService, type ServiceProcess } from '../support/service-process';

jest.setTimeout(60_000);

function postmasterPid(dataDir: string): number | undefined {
  const file = join(dataDir, 'postgres', 'postmaster.pid');
  return existsSync(file) ? Number(readFileSync(file, 'utf8').split('\n')[0]) : undefined;
}

describe('the service process', () => {
  const started: ServiceProcess[] = [];
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'aragora-data-'));
    chmodSync(dataDir, 0o755);
  });
  afterEach(async () => {
    for (const service of started.splice(0)) {
      if (service.child.exitCode === null) {
        service.child.kill('SIGTERM');
        await service.exited;
      }
    }
    rmSync(dataDir, { recursive: true, force: true });
  });
  const spawn = async (env: Record<string, string>) => {
    const service = await spawnService({ LOG_LEVEL: 'info', ...env });
    started.push(service);
    return service;
  };

  it('exits 1 naming every invalid variable and its range', async () => {
    const service = await spawn({
      ARAGORA_MAX_CONCURRENT_DEBATES: '0',
      ARAGORA_DB_POOL_SIZE: 'abc',
    });
    expect(await service.exited).toBe(1);
    expect(service.output()).toContain('ARAGORA_MAX_CONCURRENT_DEBATES="0": allowed integer 1–100');
    expect(service.output()).toContain('ARAGORA_DB_POOL_SIZE="abc": allowed integer 1–100');
    expect(service.output()).not.toMatch(/at .+\.js:\d+/);
  });

  it('starts the embedded PostgreSQL, drains on SIGTERM, stops it and exits 0', async () => {
    const service = await spawn({ ARAGORA_DATA_DIR: dataDir });
    await service.waitReady();
    expect((await http(`${service.baseUrl}/api/v1/health`)).body).toMatchObject({
      database: 'connected',
    });
    const pgPid = postmasterPid(dataDir);
    expect(pgPid).toBeDefined();
    expect(processIsAlive(pgPid as number)).toBe(true);

    service.child.kill('SIGTERM');
    expect(await service.exited).toBe(0);
    expect(processIsAlive(pgPid as number)).toBe(false);
    expect(existsSync(join(dataDir, 'aragora.lock'))).toBe(false);
    expect(service.output()).toContain('embedded PostgreSQL stopped');
    // structured JSON logs only
    for (const line of service.output().trim().split('\n')) {
      expect(() => JSON.parse(line) as unknown).not.toThrow();
    }
  });

  it('restarts on an existing data directory without re-initialising it', async () => {
    const first = await spawn({ ARAGORA_DATA_DIR: dataDir });
    await first.waitReady();
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    const second = await spawn({ ARAGORA_DATA_DIR: dataDir });
    await second.waitReady();
    expect(second.output()).not.toContain('first run');
    expect((await http(`${second.baseUrl}/readyz`)).status).toBe(200);
  });

  it('refuses a second process on the same data directory with a clear message', async () => {
    const first = await spawn({ ARAGORA_DATA_DIR: dataDir });
    await first.waitReady();
    const second = await spawn({ ARAGORA_DATA_DIR: dataDir });
    expect(await second.exited).toBe(1);
    expect(second.output()).toContain(`in use by another Aragora process (pid ${first.child.pid})`);
    // the first one is unharmed
    expect((await http(`${first.baseUrl}/readyz`)).status).toBe(200);
  });

  it('recovers after being killed with SIGKILL (orphaned PostgreSQL, stale lock)', async () => {
    const first = await spawn({ ARAGORA_DATA_DIR: dataDir });
    await first.waitReady();
    const orphan = postmasterPid(dataDir) as number;
    first.child.kill('SIGKILL');
    await first.exited;
    expect(processIsAlive(orphan)).toBe(true);
    const second = await spawn({ ARAGORA_DATA_DIR: dataDir });
    await second.waitReady();
    expect(processIsAlive(orphan)).toBe(false);
    expect(second.output()).toContain('orphaned by a previous Aragora process');
  });

  it('reaches a data directory inside a private (0700) parent', async () => {
    const parent = join(dataDir, 'private');
    mkdirSync(parent, { mode: 0o700 });
    const service = await spawn({ ARAGORA_DATA_DIR: join(parent, 'data') });
    await service.waitReady();
    const mode = statSync(parent).mode & 0o777;
    // as root the server runs as the postgres user, which needs traverse-only access
    expect(mode).toBe(process.getuid?.() === 0 ? 0o701 : 0o700);
  });

  it('turns /readyz to 503 during the drain delay, then exits 0', async () => {
    const service = await spawn({ ARAGORA_DATA_DIR: dataDir, ARAGORA_SHUTDOWN_DRAIN_DELAY: '1' });
    await service.waitReady();
    service.child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const ready = await http(`${service.baseUrl}/readyz`);
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({ phase: 'draining' });
    expect(await service.exited).toBe(0);
  });
});
