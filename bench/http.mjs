// npm run bench:http — the app against a bare Fastify reference, in one run on this machine.
// Warm-up, then A B A B (BENCH_ROUNDS, default 2) of BENCH_DURATION seconds (default 10) at
// 50 connections; prints req/s, p50, p99 per target and the ratio app/bare; writes
// bench/results/http.json. Exit status 1 when a target misses its ratio or a run had errors.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { root, rssBytes, startBare, startService } from './lib/service.mjs';

const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 3);
const CONNECTIONS = 50;

/** What the app is measured on; each compares with the bare server's /api/v1/health. */
const targets = [{ name: 'GET /api/v1/health', path: '/api/v1/health', minRatio: 0.75 }];

function run(url, duration) {
  return new Promise((resolve, reject) => {
    autocannon({ url, connections: CONNECTIONS, duration, pipelining: 1 }, (err, result) =>
      err ? reject(err) : resolve(result),
    );
  });
}

const summarize = (r) => ({
  requests_per_sec: Math.round(r.requests.average),
  p50_ms: r.latency.p50,
  p99_ms: r.latency.p99,
  non_2xx: r.non2xx,
  errors: r.errors + r.timeouts,
});

const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'aragora-bench-'));
  chmodSync(dataDir, 0o755);
  const env = { ARAGORA_DATA_DIR: dataDir, LOG_LEVEL: 'info' };
  // first start initialises the cluster; the second measures a start on an existing data dir
  const first = await startService(env);
  await first.stop();
  const app = await startService(env);
  await new Promise((r) => setTimeout(r, 2000));
  const idleRss = rssBytes(app.pid);
  const bare = await startBare();
  const results = [];
  let ok = true;
  try {
    for (const target of targets) {
      const appUrl = `${app.baseUrl}${target.path}`;
      const bareUrl = `${bare.baseUrl}/api/v1/health`;
      await run(appUrl, WARMUP);
      await run(bareUrl, WARMUP);
      const runs = { app: [], bare: [] };
      for (let round = 0; round < ROUNDS; round++) {
        runs.app.push(summarize(await run(appUrl, DURATION)));
        runs.bare.push(summarize(await run(bareUrl, DURATION)));
      }
      const appRps = mean(runs.app.map((r) => r.requests_per_sec));
      const bareRps = mean(runs.bare.map((r) => r.requests_per_sec));
      const ratio = appRps / bareRps;
      const errors = [...runs.app, ...runs.bare].reduce((n, r) => n + r.errors + r.non_2xx, 0);
      const pass = ratio >= target.minRatio && errors === 0;
      ok &&= pass;
      results.push({
        ...target,
        app: runs.app,
        bare: runs.bare,
        ratio: Number(ratio.toFixed(3)),
        pass,
      });
      const line = (label, rs) =>
        `  ${label.padEnd(5)} ${rs.map((r) => `${r.requests_per_sec} req/s p50 ${r.p50_ms} ms p99 ${r.p99_ms} ms`).join(' | ')}`;
      console.log(`\n${target.name}`);
      console.log(line('app', runs.app));
      console.log(line('bare', runs.bare));
      console.log(
        `  ratio app/bare ${ratio.toFixed(3)} (target ≥ ${target.minRatio}) ${pass ? 'PASS' : 'FAIL'}${errors ? ` — ${errors} errors/non-2xx` : ''}`,
      );
    }
  } finally {
    await bare.stop();
    const exitCode = await app.stop();
    rmSync(dataDir, { recursive: true, force: true });
    if (exitCode !== 0) {
      console.log(`service exited ${exitCode} on SIGTERM`);
      ok = false;
    }
  }
  const report = {
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version },
    settings: { duration_s: DURATION, rounds: ROUNDS, warmup_s: WARMUP, connections: CONNECTIONS },
    service: {
      first_start_ready_ms: first.readyAfterMs,
      restart_ready_ms: app.readyAfterMs,
      idle_rss_mb: Number((idleRss / 1024 / 1024).toFixed(1)),
    },
    targets: results,
  };
  console.log(
    `\nstart-up: first run ready in ${first.readyAfterMs} ms, existing data dir ready in ${app.readyAfterMs} ms; idle RSS ${report.service.idle_rss_mb} MB`,
  );
  mkdirSync(join(root, 'bench', 'results'), { recursive: true });
  writeFileSync(
    join(root, 'bench', 'results', 'http.json'),
    `${JSON.stringify(report, null, 2)}\n`,
  );
  process.exit(ok ? 0 : 1);
}

await main();
