// The README's test command. Runs every jest project (unit, e2e on the embedded PostgreSQL 18,
// process), then the e2e project again on Debian's PostgreSQL 15 (the oldest supported server),
// and ends with one plain line: `N passed, N failed`. Exit status 0 only when nothing failed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const jest = join(root, 'node_modules', 'jest', 'bin', 'jest.js');
const outDir = join(root, '.tmp');
mkdirSync(outDir, { recursive: true });
const extraArgs = process.argv.slice(2);

const passes = [
  { name: 'all', args: [], env: {} },
  { name: 'pg15', args: ['--selectProjects', 'e2e'], env: { ARAGORA_TEST_PG: 'system' } },
];

let passed = 0;
let failed = 0;
for (const pass of passes) {
  const outputFile = join(outDir, `jest-${pass.name}.json`);
  rmSync(outputFile, { force: true });
  process.stdout.write(`\n=== jest: ${pass.name} ===\n`);
  const run = spawnSync(
    process.execPath,
    [jest, '--json', `--outputFile=${outputFile}`, ...pass.args, ...extraArgs],
    {
      cwd: root,
      stdio: 'inherit',
      env: {
        ...process.env,
        ...pass.env,
        NODE_OPTIONS: '--experimental-vm-modules --disable-warning=ExperimentalWarning',
      },
    },
  );
  if (!existsSync(outputFile)) {
    process.stdout.write(`jest pass "${pass.name}" produced no results (exit ${run.status})\n`);
    failed += 1;
    continue;
  }
  const report = JSON.parse(readFileSync(outputFile, 'utf8'));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  // A suite that failed to load or whose hooks threw has no failed test of its own: count it.
  failed += report.testResults.filter(
    (suite) =>
      suite.status === 'failed' && suite.assertionResults.every((a) => a.status !== 'failed'),
  ).length;
  if (report.numPendingTests + report.numTodoTests > 0) {
    process.stdout.write(
      `${report.numPendingTests} skipped test(s) in pass "${pass.name}" count as failed\n`,
    );
    failed += report.numPendingTests + report.numTodoTests;
  }
  if (run.status !== 0 && report.numFailedTests === 0 && report.success !== false) failed += 1;
}

process.stdout.write(`${passed} passed, ${failed} failed\n`);
process.exit(failed === 0 ? 0 : 1);
