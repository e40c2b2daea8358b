import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/** Process-level suites run the compiled service exactly as `npm start` does (libs, then the app). */
export default function buildDist(): void {
  const root = join(__dirname, '..', '..');
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  for (const args of [
    ['-b', 'tsconfig.libs.json'],
    ['-p', 'tsconfig.build.json'],
  ]) {
    execFileSync(process.execPath, [tsc, ...args], { cwd: root, stdio: 'inherit' });
  }
}
