// Summaries of a V8 CPU profile (a .cpuprofile file or the inspector's Profiler.stop result): top
// self-time functions and self time per package, as a share of the busy (non-idle) samples.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { root } from './service.mjs';

/** Where a function lives: `pkg` for node_modules, `app` for dist/src, `libs/x`, `node:` internals. */
function packageOf(url) {
  if (!url) return '(native)';
  if (url.startsWith('node:')) return 'node: internals';
  const path = url.replace(/^file:\/\//, '');
  const nm = path.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const rest = path.slice(nm + '/node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  const rel = relative(root, path);
  if (rel.startsWith('libs/')) return rel.split('/').slice(0, 2).join('/');
  if (rel.startsWith('dist/src/')) return `app: ${rel.split('/').slice(2, 4).join('/')}`;
  return rel;
}

/** Top self-time functions and packages of one profile (a parsed profile, or a file with one). */
export function summarizeProfile(
  source,
  top = 25,
  file = typeof source === 'string' ? source : '',
) {
  const profile = typeof source === 'string' ? JSON.parse(readFileSync(source, 'utf8')) : source;
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const hits = new Map();
  for (const id of profile.samples) hits.set(id, (hits.get(id) ?? 0) + 1);
  const byFunction = new Map();
  const byPackage = new Map();
  let total = 0;
  let idle = 0;
  for (const [id, count] of hits) {
    const { callFrame } = nodes.get(id);
    if (callFrame.functionName === '(idle)') {
      idle += count;
      continue;
    }
    total += count;
    const url = callFrame.url ? relative(root, callFrame.url.replace(/^file:\/\//, '')) : '';
    const key =
      `${callFrame.functionName || '(anonymous)'} ${url ? `${url}:${callFrame.lineNumber + 1}` : ''}`.trim();
    byFunction.set(key, (byFunction.get(key) ?? 0) + count);
    const pkg = packageOf(callFrame.url);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + count);
  }
  const share = (entries) =>
    [...entries]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, count]) => ({ name, self_pct: Number(((100 * count) / total).toFixed(1)) }));
  const durationUs = profile.endTime - profile.startTime;
  return {
    file,
    duration_s: Number((durationUs / 1e6).toFixed(1)),
    busy_pct: Number(((100 * total) / Math.max(1, total + idle)).toFixed(1)),
    functions: share(byFunction),
    packages: share(byPackage),
  };
}

/** The newest .cpuprofile in a directory. */
export function newestProfile(dir) {
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  files.sort();
  return files.length > 0 ? join(dir, files.at(-1)) : undefined;
}

export function printProfile(summary, lines = 15) {
  console.log(
    `  profile ${summary.file}: ${summary.duration_s} s, main thread busy ${summary.busy_pct} %`,
  );
  console.log('  top self time (share of busy samples):');
  for (const f of summary.functions.slice(0, lines))
    console.log(`    ${String(f.self_pct).padStart(5)} %  ${f.name}`);
  console.log('  by package:');
  for (const p of summary.packages.slice(0, 10))
    console.log(`    ${String(p.self_pct).padStart(5)} %  ${p.name}`);
}
