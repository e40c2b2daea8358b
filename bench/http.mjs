// npm run bench:http — the app against a bare Fastify reference, in one run on this machine.
// Warm-up, then A B A B (BENCH_ROUNDS, default 2) of BENCH_DURATION seconds (default 10) at
// 50 connections; prints req/s, p50, p99 per target and the ratio app/bare; writes
// bench/results/http.json. Exit status 1 when a target misses its ratio or a run had errors.
// Then the same rate-limited targets once more with the buckets in Redis (figures only).
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { createKeys, root, rssBytes, startBare, startRedis, startService } from './lib/service.mjs';

const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 3);
const CONNECTIONS = 50;
const OPERATOR_TOKEN = 'bench-operator-token-0123456789';

/**
 * What the app is measured on. `bare` is the reference route answering the same JSON;
 * `refused` marks a flood where nearly every answer is a 429 (which then is not an error).
 */
function targets(keys) {
  return [
    { name: 'GET /api/v1/health', path: '/api/v1/health', bare: '/api/v1/health', minRatio: 0.75 },
    {
      name: 'GET /api/v1/me (internal key)',
      path: '/api/v1/me',
      headers: { authorization: `Bearer ${keys.internal}` },
      bare: '/api/v1/me',
      minRatio: 0.65,
    },
    {
      name: 'GET /api/v1/me (flood, one authenticated key: 429s)',
      path: '/api/v1/me',
      headers: { authorization: `Bearer ${keys.authenticated}` },
      bare: '/api/v1/me',
      minRatio: 0.65,
      refused: true,
    },
  ];
}

function run(url, duration, headers = {}) {
  return new Promise((resolve, reject) => {
    autocannon(
      { url, headers, connections: CONNECTIONS, duration, pipelining: 1 },
      (err, result) => (err ? reject(err) : resolve(result)),
    );
  });
}

const summarize = (r) => ({
  requests_per_sec: Math.round(r.requests.average),
  p50_ms: r.latency.p50,
  p99_ms: r.latency.p99,
  status_counts: Object.fromEntries(
    Object.entries(r.statusCodeStats ?? {}).map(([k, v]) => [k, v.count]),
  ),
  errors: r.errors + r.timeouts,
});

const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const format = (label, rs) =>
  `  ${label.padEnd(5)} ${rs.map((r) => `${r.requests_per_sec} req/s p50 ${r.p50_ms} ms p99 ${r.p99_ms} ms`).join(' | ')}`;

/** Answers that count as failures: errors, 5xx, and non-2xx unless the target is a flood of 429s. */
function badAnswers(runs, refused) {
  return runs.reduce(
    (n, r) =>
      n +
      r.errors +
      Object.entries(r.status_counts)
        .filter(([status]) => !(status.startsWith('2') || (refused && status === '429')))
        .reduce((m, [, count]) => m + count, 0),
    0,
  );
}

async function compare(app, bare) {
  const results = [];
  for (const target of targets(app.keys)) {
    const appUrl = `${app.baseUrl}${target.path}`;
    const bareUrl = `${bare.baseUrl}${target.bare}`;
    await run(appUrl, WARMUP, target.headers);
    await run(bareUrl, WARMUP);
    const runs = { app: [], bare: [] };
    for (let round = 0; round < ROUNDS; round++) {
      runs.app.push(summarize(await run(appUrl, DURATION, target.headers)));
      runs.bare.push(summarize(await run(bareUrl, DURATION)));
    }
    const ratio =
      mean(runs.app.map((r) => r.requests_per_sec)) /
      mean(runs.bare.map((r) => r.requests_per_sec));
    const bad = badAnswers(runs.app, target.refused) + badAnswers(runs.bare, false);
    const pass = ratio >= target.minRatio && bad === 0;
    results.push({
      name: target.name,
      min_ratio: target.minRatio,
      app: runs.app,
      bare: runs.bare,
      ratio: Number(ratio.toFixed(3)),
      pass,
    });
    console.log(`\n${target.name}`);
    console.log(format('app', runs.app));
    console.log(format('bare', runs.bare));
    console.log(
      `  ratio app/bare ${ratio.toFixed(3)} (target ≥ ${target.minRatio}) ${pass ? 'PASS' : 'FAIL'}${bad ? ` — ${bad} unexpected answers` : ''}`,
    );
  }
  return results;
}

async function redisFigures(dataDir) {
  const redis = await startRedis();
  const app = await startService({
    ARAGORA_DATA_DIR: dataDir,
    LOG_LEVEL: 'info',
    ARAGORA_ADMIN_TOKEN: OPERATOR_TOKEN,
    REDIS_URL: redis.url,
  });
  try {
    app.keys = await createKeys(app.baseUrl, OPERATOR_TOKEN, ['internal', 'authenticated']);
    const figures = [];
    console.log('\nWith REDIS_URL (buckets in Redis), figures only:');
    for (const target of targets(app.keys).slice(1)) {
      await run(`${app.baseUrl}${target.path}`, WARMUP, target.headers);
      const result = summarize(await run(`${app.baseUrl}${target.path}`, DURATION, target.headers));
      figures.push({ name: target.name, ...result });
      console.log(
        `  ${target.name}: ${result.requests_per_sec} req/s p50 ${result.p50_ms} ms p99 ${result.p99_ms} ms ${JSON.stringify(result.status_counts)}`,
      );
    }
    return figures;
  } finally {
    await app.stop();
    await redis.stop();
  }
}

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'aragora-bench-'));
  chmodSync(dataDir, 0o755);
  const env = { ARAGORA_DATA_DIR: dataDir, LOG_LEVEL: 'info', ARAGORA_ADMIN_TOKEN: OPERATOR_TOKEN };
  // first start initialises the cluster; the second measures a start on an existing data dir
  const first = await startService(env);
  await first.stop();
  const app = await startService(env);
  await new Promise((r) => setTimeout(r, 2000));
  const idleRss = rssBytes(app.pid);
  app.keys = await createKeys(app.baseUrl, OPERATOR_TOKEN, ['internal', 'authenticated']);
  const bare = await startBare();
  let results;
  let exitCode;
  try {
    results = await compare(app, bare);
  } finally {
    await bare.stop();
    exitCode = await app.stop();
  }
  if (exitCode !== 0) console.log(`service exited ${exitCode} on SIGTERM`);
  const ok = exitCode === 0 && results.every((r) => r.pass);
  const redis = process.env.BENCH_SKIP_REDIS ? [] : await redisFigures(dataDir);
  rmSync(dataDir, { recursive: true, force: true });
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
    redis_storage: redis,
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
