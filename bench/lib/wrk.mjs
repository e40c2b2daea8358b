// wrk (C, Debian package `wrk`) as the load generator of the absolute targets: autocannon parses
// responses with a JavaScript HTTP parser and, receiving 66 KB debate bodies at ~10,000/s, needs a
// whole core itself — the measurement then shows the generator's limit, not the service's. The
// result has the shape the benchmark reads from autocannon.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Requests prepared up front; the script picks one at random for each request it sends. */
const PREPARED_REQUESTS = 1_000;

export function wrkAvailable() {
  return spawnSync('wrk', ['--version'], { stdio: 'ignore' }).error === undefined;
}

const lua = (value) => JSON.stringify(value); // a JSON string is a valid Lua string literal here

function script(requests, headers) {
  const headerTable = Object.entries(headers)
    .map(([k, v]) => `[${lua(k)}] = ${lua(v)}`)
    .join(', ');
  const rows = requests
    .map((r) => `{${lua(r.method)}, ${lua(r.path)}, ${r.body === undefined ? 'nil' : lua(r.body)}}`)
    .join(',\n');
  return `
local headers = { ${headerTable} }
local requests = {
${rows}
}
init = function(args) math.randomseed(os.time()) end
request = function()
  local r = requests[math.random(#requests)]
  return wrk.format(r[1], r[2], headers, r[3])
end
done = function(summary, latency, _)
  local e = summary.errors
  io.write(string.format('RESULT {"requests":%d,"duration_us":%d,"p50_us":%d,"p99_us":%d,"non2xx":%d,"errors":%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.status, e.connect + e.read + e.write + e.timeout))
end
`;
}

/**
 * One wrk run against `baseUrl`: `connections` connections on one thread for `duration` seconds;
 * `next()` gives a request `{method, path, body}` (called PREPARED_REQUESTS times up front).
 */
export async function runWrk({ baseUrl, headers, connections, duration, next }) {
  const dir = mkdtempSync(join(tmpdir(), 'aragora-wrk-'));
  const file = join(dir, 'requests.lua');
  const requests = Array.from({ length: PREPARED_REQUESTS }, () => next());
  writeFileSync(file, script(requests, headers));
  try {
    const out = await new Promise((resolve, reject) => {
      const child = spawn(
        'wrk',
        ['-t1', `-c${connections}`, `-d${duration}s`, '--timeout', '10s', '-s', file, baseUrl],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      );
      let text = '';
      child.stdout.on('data', (chunk) => (text += chunk));
      child.on('error', reject);
      child.on('exit', (code) =>
        code === 0 ? resolve(text) : reject(new Error(`wrk exited ${code}`)),
      );
    });
    const line = out.split('\n').find((l) => l.startsWith('RESULT '));
    if (!line) throw new Error(`wrk printed no result:\n${out}`);
    const r = JSON.parse(line.slice('RESULT '.length));
    const ok = r.requests - r.non2xx;
    return {
      duration: r.duration_us / 1e6,
      requests: { total: r.requests },
      latency: { p50: Math.round(r.p50_us / 1000), p99: Math.round(r.p99_us / 1000) },
      // wrk counts answers outside 2xx/3xx but not their codes
      statusCodeStats: { '2xx': { count: ok }, ...(r.non2xx && { non_2xx: { count: r.non2xx } }) },
      errors: r.errors,
      timeouts: 0,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
