import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { acquireDataDirLock, DataDirLockedError } from './data-dir-lock';

describe('acquireDataDirLock', () => {
  let dir: string;
  let lockFile: string;
  let other: ChildProcess | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'aragora-lock-'));
    lockFile = join(dir, 'aragora.lock');
  });
  afterEach(() => {
    other?.kill('SIGKILL');
    other = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes our pid and removes the file on release', () => {
    const lock = acquireDataDirLock(lockFile);
    expect(lock.recoveredStale).toBe(false);
    expect(readFileSync(lockFile, 'utf8').trim()).toBe(String(process.pid));
    lock.release();
    expect(existsSync(lockFile)).toBe(false);
  });

  it('refuses a directory held by a live process, naming it', () => {
    other = spawn('sleep', ['30'], { stdio: 'ignore' });
    writeFileSync(lockFile, `${other.pid}\n`);
    expect(() => acquireDataDirLock(lockFile)).toThrow(DataDirLockedError);
    expect(() => acquireDataDirLock(lockFile)).toThrow(
      `in use by another Aragora process (pid ${other.pid})`,
    );
    expect(readFileSync(lockFile, 'utf8').trim()).toBe(String(other.pid));
  });

  it('takes over a lock left by a dead process and says so', async () => {
    const dead = spawn('true', { stdio: 'ignore' });
    await new Promise((resolve) => dead.once('exit', resolve));
    writeFileSync(lockFile, `${dead.pid}\n`);
    const lock = acquireDataDirLock(lockFile);
    expect(lock.recoveredStale).toBe(true);
    expect(readFileSync(lockFile, 'utf8').trim()).toBe(String(process.pid));
    lock.release();
  });

  it('takes over an unreadable lock file', () => {
    writeFileSync(lockFile, 'garbage');
    expect(acquireDataDirLock(lockFile).recoveredStale).toBe(true);
  });

  it('does not remove a lock that another process took over meanwhile', () => {
    const lock = acquireDataDirLock(lockFile);
    writeFileSync(lockFile, '999999\n');
    lock.release();
    expect(readFileSync(lockFile, 'utf8').trim()).toBe('999999');
  });
});
