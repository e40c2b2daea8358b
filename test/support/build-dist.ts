import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/** Process-level suites run the compiled service exactly as `npm start` does. */
export default function buildDist(): void {
  const root = join(__dirname, '..', '..');
  execFileSync(
    process.execPath,
    [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
}
