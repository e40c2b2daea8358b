import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { http } from '../support/http';
import { spawnService, type ServiceProcess } from '../support/service-process';

jest.setTimeout(60_000);

const CLI = join(__dirname, '..', '..', 'dist', 'src', 'cli', 'main.js');

function cli(
  args: string[],
  env: Record<string, string>,
): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [CLI, ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('npm run cli -- keys create', () => {
  let dataDir: string;
  let service: ServiceProcess | undefined;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'aragora-cli-'));
    chmodSync(dataDir, 0o755);
  });
  afterEach(async () => {
    if (service && service.child.exitCode === null) {
      service.child.kill('SIGTERM');
      await service.exited;
    }
    service = undefined;
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('bootstraps a tenant and an admin key without HTTP, usable once the service runs', async () => {
    const created = cli(
      ['keys', 'create', '--tenant', 'acme', '--role', 'admin', '--tier', 'premium'],
      {
        ARAGORA_DATA_DIR: dataDir,
      },
    );
    expect(created.stderr).toContain('for tenant acme');
    expect(created.status).toBe(0);
    const key = created.stdout.trim();
    expect(key).toMatch(/^ara_[\w-]{43}$/);

    service = await spawnService({ ARAGORA_DATA_DIR: dataDir, LOG_LEVEL: 'warn' });
    await service.waitReady();
    const me = await http(`${service.baseUrl}/api/v1/me`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(me.body).toMatchObject({ tenant: { name: 'acme' }, role: 'admin', tier: 'premium' });

    // while the service runs, the CLI uses its database (the data dir is locked)
    const second = cli(['keys', 'create', '--tenant', 'acme', '--role', 'viewer'], {
      ARAGORA_DATA_DIR: dataDir,
    });
    expect(second.status).toBe(0);
    const viewer = await http(`${service.baseUrl}/api/v1/me`, {
      headers: { authorization: `Bearer ${second.stdout.trim()}` },
    });
    expect(viewer.body).toMatchObject({
      tenant: { name: 'acme' },
      role: 'viewer',
      tier: 'authenticated',
    });
  });

  it('explains its usage and refuses bad arguments', () => {
    const bad = cli(['keys', 'create', '--tenant', 'acme', '--role', 'owner'], {
      ARAGORA_DATA_DIR: dataDir,
    });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--role must be one of viewer, member, admin');
    expect(cli(['nonsense'], { ARAGORA_DATA_DIR: dataDir }).stderr).toContain('Usage:');
    for (const args of [
      ['keys', 'create', '--tenant', 'acme', '--colour', 'red'],
      ['keys', 'create', '--tenant'],
    ]) {
      const refused = cli(args, { ARAGORA_DATA_DIR: dataDir });
      expect(refused.status).toBe(2);
      expect(refused.stderr).toContain('Usage:');
      expect(refused.stderr).not.toContain('cli failed');
    }
  });
});
