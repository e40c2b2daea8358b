import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';

export class DataDirLockedError extends Error {
  constructor(
    readonly lockFile: string,
    readonly holderPid: number,
  ) {
    super(
      `The data directory is in use by another Aragora process (pid ${holderPid}); lock file ${lockFile}. ` +
        'Stop that process, or give this one its own ARAGORA_DATA_DIR.',
    );
    this.name = 'DataDirLockedError';
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readHolder(lockFile: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(lockFile, 'utf8').trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

export interface DataDirLock {
  /** True when the previous holder died without releasing (its children may still run). */
  readonly recoveredStale: boolean;
  release(): void;
}

/**
 * An exclusive pid lock on a data directory: one Aragora process per embedded cluster.
 * A lock left by a dead process (or by this pid, e.g. a container restarted as pid 1) is taken over.
 */
export function acquireDataDirLock(lockFile: string): DataDirLock {
  let recoveredStale = false;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockFile, 'wx', 0o600);
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      return {
        recoveredStale,
        release: () => {
          if (readHolder(lockFile) === process.pid) rmSync(lockFile, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = readHolder(lockFile);
      if (holder !== undefined && holder !== process.pid && isAlive(holder)) {
        throw new DataDirLockedError(lockFile, holder);
      }
      rmSync(lockFile, { force: true });
      recoveredStale = true;
    }
  }
  throw new Error(`Could not acquire ${lockFile}: another process keeps re-creating it`);
}

export const processIsAlive = isAlive;
export const readLockHolder = readHolder;
