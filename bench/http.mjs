// npm run bench:http — the app against a bare Fastify reference, in one run on this machine.
// Warm-up (BENCH_RATIO_WARMUP, default 10 s, each side), then A B A B (BENCH_ROUNDS, default 2) of BENCH_DURATION seconds (default 10) at
// 50 connections; prints req/s, p50, p99 per target and the ratio app/bare, then CPU per request
// of each side at a fixed offered rate (BENCH_FIXED_RATE, default 5000 req/s; 0 skips it); writes
// bench/results/http.json. Exit status 1 when a target misses its ratio or a run had errors.
// Then the same rate-limited targets once more with the buckets in Redis (figures only).
//
// Absolute targets (the debates API): each endpoint must serve ≥ 3 × the seed's req/s
// (SPEC §12) with no error or non-2xx answer, measured once for BENCH_DURATION after
// BENCH_WARMUP, 50 connections, internal key (never rate limited). Reads and votes run on a service
// seeded with 50 finished five-agent debates (demo latency 0); creates run on a second service
// whose one debate slot is held by a debate of sleeping agents (ARAGORA_MAX_CONCURRENT_DEBATES=1,
// ARAGORA_DEMO_LATENCY_MS=600000, ARAGORA_MAX_QUEUED_DEBATES=10000), so queued debates cost no CPU
// while measured; warm-up and run together stay below the queue limit.
//
// BENCH_ONLY=ratio runs the ratio targets, start-up and Redis only; BENCH_ONLY=api the absolute
// targets only (BENCH_API_TARGETS=list,get,… a subset of them); a partial run keeps the other
// sections of bench/results/http.json. BENCH_PROFILE=1 profiles the service's CPU during each
// absolute target's measured run (through its inspector) and prints the top self-time functions;
// BENCH_SERVICE_ENV="NAME=value,…" adds settings to the measured services' environment.
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { connectInspector } from './lib/inspector.mjs';
import { runWrk, wrkAvailable } from './lib/wrk.mjs';
import { printProfile, summarizeProfile } from './lib/profile.mjs';
import {
  cpuMeter,
  cpuSeconds,
  createKeys,
  extraEnv,
  freePort,
  root,
  rssBytes,
  startBare,
  startRedis,
  startService,
} from './lib/service.mjs';

const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 3);
/**
 * Warm-up of each ratio target, app and bare alike. With 3 s the app's first measured round came
 * out 20–25 % below its second in every run (a freshly started service with far more code than the
 * bare server: JIT tiers, first old-generation collections); after 10 s its rounds agree within a
 * few %, so the ratio compares steady states.
 */
const RATIO_WARMUP = Number(process.env.BENCH_RATIO_WARMUP ?? 10);
const CONNECTIONS = 50;
/**
 * Besides req/s at saturation, each ratio target is measured at this fixed offered rate
 * (req/s; 0 skips it): CPU per request of the service's Node process and of the bare server,
 * FIXED_RATE_ROUNDS alternating rounds of BENCH_DURATION. Saturated req/s here swings ±30 % between
 * rounds with the host's load; CPU per request at a rate both sides sustain moves far less, so it
 * shows what a change costs or saves where the ratio cannot.
 */
const FIXED_RATE = Number(process.env.BENCH_FIXED_RATE ?? 5000);
const FIXED_RATE_ROUNDS = 2;
const OPERATOR_TOKEN = 'bench-operator-token-0123456789';
const ONLY = process.env.BENCH_ONLY;
const PROFILE = process.env.BENCH_PROFILE === '1';
const RESULTS = join(root, 'bench', 'results', 'http.json');
/** The absolute targets' load generator (see bench/lib/wrk.mjs); the ratios always use autocannon. */
const GENERATOR = process.env.BENCH_GENERATOR ?? (wrkAvailable() ? 'wrk' : 'autocannon');

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

function run(url, duration, headers = {}, overallRate = undefined) {
  return new Promise((resolve, reject) => {
    autocannon(
      { url, headers, connections: CONNECTIONS, duration, pipelining: 1, overallRate },
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

/** CPU (user + kernel) of a Node process (not its children) per answered request, in µs, over one fixed-rate run. */
async function cpuPerRequest(pid, url, headers) {
  const before = cpuSeconds(pid).node;
  const result = await run(url, DURATION, headers, FIXED_RATE);
  const answered = result.requests.total;
  return {
    us: Number((((cpuSeconds(pid).node - before) / answered) * 1e6).toFixed(1)),
    requests_per_sec: Math.round(answered / DURATION),
  };
}

/** App and bare alternating at FIXED_RATE; the app's figure leaves its PostgreSQL out. */
async function fixedRateCpu(app, bare, appUrl, bareUrl, headers) {
  const runs = { app: [], bare: [] };
  for (let round = 0; round < FIXED_RATE_ROUNDS; round++) {
    for (const side of round % 2 === 0 ? ['app', 'bare'] : ['bare', 'app']) {
      runs[side].push(
        side === 'app'
          ? await cpuPerRequest(app.pid, appUrl, headers)
          : await cpuPerRequest(bare.pid, bareUrl, {}),
      );
    }
  }
  const us = (side) => mean(runs[side].map((r) => r.us));
  return {
    offered_rate: FIXED_RATE,
    app: runs.app,
    bare: runs.bare,
    ratio_bare_over_app: Number((us('bare') / us('app')).toFixed(3)),
  };
}

async function compare(app, bare) {
  const results = [];
  for (const target of targets(app.keys)) {
    const appUrl = `${app.baseUrl}${target.path}`;
    const bareUrl = `${bare.baseUrl}${target.bare}`;
    await run(appUrl, RATIO_WARMUP, target.headers);
    await run(bareUrl, RATIO_WARMUP);
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
    const cpu =
      FIXED_RATE > 0 ? await fixedRateCpu(app, bare, appUrl, bareUrl, target.headers) : null;
    results.push({
      name: target.name,
      min_ratio: target.minRatio,
      app: runs.app,
      bare: runs.bare,
      ratio: Number(ratio.toFixed(3)),
      pass,
      cpu_per_request_at_fixed_rate: cpu,
    });
    console.log(`\n${target.name}`);
    console.log(format('app', runs.app));
    console.log(format('bare', runs.bare));
    console.log(
      `  ratio app/bare ${ratio.toFixed(3)} (target ≥ ${target.minRatio}) ${pass ? 'PASS' : 'FAIL'}${bad ? ` — ${bad} unexpected answers` : ''}`,
    );
    if (cpu) {
      const list = (rs) => rs.map((r) => `${r.us} µs (${r.requests_per_sec} req/s)`).join(', ');
      console.log(
        `  CPU per request at ${FIXED_RATE} req/s offered: app ${list(cpu.app)} | bare ${list(cpu.bare)}; bare/app ${cpu.ratio_bare_over_app} (figures only)`,
      );
    }
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
      await run(`${app.baseUrl}${target.path}`, RATIO_WARMUP, target.headers);
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

// ---------------------------------------------------------------------------------------------
// Absolute targets: the debates API against the seed's figures (SPEC §12), ≥ 3× each.

const SEED_MULTIPLE = 3;
const SEED_DEBATES = 50;
const FIVE = ['demo', 'demo-analyst', 'demo-skeptic', 'demo-pragmatist', 'demo-contrarian'];
/** The seeds' load-test body (SPEC §2.1), the create the seed's 187 req/s was measured on. */
const SEED_CREATE_BODY = { topic: 'Test debate', agents: ['demo', 'demo'], rounds: 2 };
/** Debates accepted by the create service in all: below ARAGORA_MAX_QUEUED_DEBATES (10000). */
const CREATE_BUDGET = 9500;
const TERMINAL = new Set(['completed', 'no_consensus', 'failed', 'timed_out', 'cancelled']);

const pick = (xs) => xs[Math.floor(Math.random() * xs.length)];

/** The absolute targets; `service` says which instance serves them. */
function absoluteTargets(ids) {
  const vote = JSON.stringify({ choice: 'demo', intensity: 5, reasoning: 'bench' });
  return [
    {
      key: 'list',
      name: 'GET /api/v1/debates?limit=20',
      seed: 1156,
      service: 'reads',
      path: '/api/v1/debates?limit=20',
    },
    {
      key: 'get',
      name: 'GET /api/v1/debates/{id}',
      seed: 2489,
      service: 'reads',
      request: () => ({ method: 'GET', path: `/api/v1/debates/${pick(ids)}` }),
    },
    {
      key: 'create',
      name: 'POST /api/v1/debates',
      seed: 187,
      service: 'creates',
      request: () => ({
        method: 'POST',
        path: '/api/v1/debates',
        body: JSON.stringify(SEED_CREATE_BODY),
      }),
    },
    {
      key: 'vote',
      name: 'POST /api/v1/debates/{id}/votes',
      seed: 823,
      service: 'reads',
      request: () => ({ method: 'POST', path: `/api/v1/debates/${pick(ids)}/votes`, body: vote }),
    },
    {
      key: 'leaderboard',
      name: 'GET /api/v1/leaderboard',
      seed: 892,
      service: 'reads',
      path: '/api/v1/leaderboard',
    },
    {
      key: 'agents',
      name: 'GET /api/v1/agents',
      seed: 645,
      service: 'reads',
      path: '/api/v1/agents',
    },
  ];
}

/**
 * One run of an absolute target: with wrk when it is installed (`BENCH_GENERATOR=autocannon`
 * forces autocannon), except a run that `maxRequests` caps (the create queue's room), which only
 * autocannon can do.
 */
function runAbsolute(baseUrl, target, headers, duration, maxRequests) {
  const request = target.request;
  if (!maxRequests && GENERATOR === 'wrk') {
    return runWrk({
      baseUrl,
      headers,
      connections: CONNECTIONS,
      duration,
      next: () =>
        request ? { method: 'GET', ...request() } : { method: 'GET', path: target.path },
    });
  }
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: `${baseUrl}${target.path ?? ''}`,
        headers,
        connections: CONNECTIONS,
        duration,
        pipelining: 1,
        ...(maxRequests && { maxOverallRequests: maxRequests }),
        ...(request && { requests: [{ setupRequest: (req) => ({ ...req, ...request() }) }] }),
      },
      (err, result) => (err ? reject(err) : resolve(result)),
    );
  });
}

/** A service for the absolute targets, under the inspector when profiling. */
async function apiService(env) {
  const dataDir = mkdtempSync(join(tmpdir(), 'aragora-bench-api-'));
  chmodSync(dataDir, 0o755);
  const inspectPort = PROFILE ? await freePort() : undefined;
  const app = await startService(
    {
      ARAGORA_DATA_DIR: dataDir,
      LOG_LEVEL: 'info',
      ARAGORA_ADMIN_TOKEN: OPERATOR_TOKEN,
      ...env,
      ...extraEnv(),
    },
    { nodeArgs: inspectPort ? [`--inspect=127.0.0.1:${inspectPort}`] : [] },
  );
  const keys = await createKeys(app.baseUrl, OPERATOR_TOKEN, ['internal']);
  const inspector = inspectPort ? await connectInspector(inspectPort) : undefined;
  return {
    ...app,
    headers: { authorization: `Bearer ${keys.internal}`, 'content-type': 'application/json' },
    inspector,
    async close() {
      inspector?.close();
      const code = await app.stop();
      rmSync(dataDir, { recursive: true, force: true });
      return code;
    },
  };
}

/** 50 finished five-agent, three-round debates (ratings for the leaderboard, rows for list/get). */
async function seedDebates(app) {
  const ids = [];
  for (let i = 0; i < SEED_DEBATES; i++) {
    const res = await fetch(`${app.baseUrl}/api/v1/debates`, {
      method: 'POST',
      headers: app.headers,
      body: JSON.stringify({
        task: `Should our payments platform move from a monolith to event-driven services? (case ${i})`,
        agents: FIVE,
        rounds: 3,
        consensus: 'majority',
        domain: i % 2 ? 'architecture' : 'payments',
      }),
    });
    if (res.status !== 202) throw new Error(`seeding: create answered ${res.status}`);
    ids.push((await res.json()).id);
  }
  const statuses = {};
  let sizes = [];
  for (const id of ids) {
    for (let waited = 0; ; waited += 20) {
      const res = await fetch(`${app.baseUrl}/api/v1/debates/${id}`, { headers: app.headers });
      const text = await res.text();
      const { status } = JSON.parse(text);
      if (TERMINAL.has(status)) {
        statuses[status] = (statuses[status] ?? 0) + 1;
        sizes.push(Buffer.byteLength(text));
        break;
      }
      if (waited > 120_000) throw new Error(`seeding: debate ${id} did not end`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  sizes = sizes.sort((a, b) => a - b);
  return { ids, statuses, get_body_bytes_p50: sizes[Math.floor(sizes.length / 2)] };
}

async function measureAbsolute(app, target, budget) {
  const headers = app.headers;
  const warm = await runAbsolute(
    app.baseUrl,
    target,
    headers,
    WARMUP,
    budget && Math.floor(budget * 0.1),
  );
  const room = budget && budget - warm.requests.total;
  await app.inspector?.start();
  const meter = cpuMeter(app.pid);
  const r = await runAbsolute(app.baseUrl, target, headers, DURATION, room);
  const cpu = meter();
  const profiled = app.inspector ? await app.inspector.stop(`http-${target.key}`) : undefined;
  const result = {
    // completed answers over the run's real length (a capped run may end before DURATION)
    requests_per_sec: Math.round(r.requests.total / r.duration),
    p50_ms: r.latency.p50,
    p99_ms: r.latency.p99,
    duration_s: Number(r.duration.toFixed(1)),
    requests: r.requests.total,
    status_counts: Object.fromEntries(
      Object.entries(r.statusCodeStats ?? {}).map(([k, v]) => [k, v.count]),
    ),
    errors: r.errors + r.timeouts,
    warmup_requests: warm.requests.total,
    // share of one core during the run (the machine is cores × 100 %); other_processes is work
    // outside this benchmark that competed for the cores
    cpu_pct: cpu,
  };
  return {
    result,
    ...(profiled && { profile: summarizeProfile(profiled.profile, 25, profiled.file) }),
  };
}

async function absoluteSection() {
  const wanted = process.env.BENCH_API_TARGETS?.split(',').map((k) => k.trim());
  const all = (ids) => absoluteTargets(ids).filter((t) => !wanted || wanted.includes(t.key));
  const results = [];
  const load = [loadavg()[0]];
  console.log(
    `\nAbsolute targets: ≥ ${SEED_MULTIPLE}× the seed's req/s (SPEC §12), ${DURATION} s after ${WARMUP} s warm-up, ${CONNECTIONS} connections, internal key; load generator ${GENERATOR} (creates: autocannon)`,
  );
  const report = (target, measured) => {
    const { result } = measured;
    const min = target.seed * SEED_MULTIPLE;
    const bad =
      result.errors +
      Object.entries(result.status_counts)
        .filter(([status]) => !status.startsWith('2'))
        .reduce((n, [, c]) => n + c, 0);
    const pass = result.requests_per_sec >= min && bad === 0;
    results.push({
      name: target.name,
      seed_requests_per_sec: target.seed,
      min_requests_per_sec: min,
      ...result,
      ratio_to_seed: Number((result.requests_per_sec / target.seed).toFixed(2)),
      pass,
      ...(measured.profile && { profile: measured.profile }),
    });
    console.log(
      `  ${target.name.padEnd(34)} ${String(result.requests_per_sec).padStart(6)} req/s  p50 ${result.p50_ms} ms  p99 ${result.p99_ms} ms  (${(result.requests_per_sec / target.seed).toFixed(2)}× seed ${target.seed}; target ≥ ${min}) ${pass ? 'PASS' : 'FAIL'}${bad ? ` — ${bad} errors/non-2xx ${JSON.stringify(result.status_counts)}` : ''}`,
    );
    const cpu = result.cpu_pct;
    console.log(
      `  ${''.padEnd(34)} CPU: service ${cpu.service_node} %, PostgreSQL ${cpu.postgres} %, load generator ${cpu.load_generator} %, other processes ${cpu.other_processes} % (of one core; ${cpus().length} cores = ${cpus().length * 100} %)`,
    );
    if (measured.profile) printProfile(measured.profile);
  };

  let setup = {};
  const readTargets = all([]).filter((t) => t.service === 'reads');
  let exitCodes = [];
  if (readTargets.length > 0) {
    const app = await apiService({ ARAGORA_DEMO_LATENCY_MS: '0' });
    try {
      const seeded = await seedDebates(app);
      setup = {
        seeded_debates: SEED_DEBATES,
        seeded_debate: { agents: FIVE, rounds: 3, consensus: 'majority', demo_latency_ms: '0' },
        seeded_statuses: seeded.statuses,
        get_body_bytes_p50: seeded.get_body_bytes_p50,
      };
      console.log(
        `  (reads and votes: ${SEED_DEBATES} finished five-agent three-round debates, ${JSON.stringify(seeded.statuses)}; GET body p50 ${seeded.get_body_bytes_p50} bytes)`,
      );
      for (const target of all(seeded.ids).filter((t) => t.service === 'reads'))
        report(target, await measureAbsolute(app, target));
    } finally {
      exitCodes.push(await app.close());
    }
  }
  const createTarget = all([]).find((t) => t.service === 'creates');
  if (createTarget) {
    const app = await apiService({
      ARAGORA_DEMO_LATENCY_MS: '600000',
      ARAGORA_MAX_CONCURRENT_DEBATES: '1',
      ARAGORA_MAX_QUEUED_DEBATES: '10000',
    });
    try {
      setup.create = {
        body: SEED_CREATE_BODY,
        service:
          'ARAGORA_MAX_CONCURRENT_DEBATES=1, ARAGORA_MAX_QUEUED_DEBATES=10000, ARAGORA_DEMO_LATENCY_MS=600000',
        max_creates: CREATE_BUDGET,
      };
      report(createTarget, await measureAbsolute(app, createTarget, CREATE_BUDGET));
    } finally {
      exitCodes.push(await app.close());
    }
  }
  exitCodes = exitCodes.filter((c) => c !== 0);
  if (exitCodes.length > 0) console.log(`  a service exited ${exitCodes.join(', ')} on SIGTERM`);
  load.push(loadavg()[0]);
  console.log(
    `  machine load average (1 min, this benchmark included) before/after: ${load.map((l) => l.toFixed(2)).join(' / ')}`,
  );
  return {
    ok: exitCodes.length === 0 && results.every((r) => r.pass),
    section: {
      date: new Date().toISOString(),
      settings: {
        duration_s: DURATION,
        warmup_s: WARMUP,
        connections: CONNECTIONS,
        key_tier: 'internal',
        load_generator: GENERATOR,
        min_multiple_of_seed: SEED_MULTIPLE,
        requests_per_sec: 'completed answers / run length',
        load_average_1m: load,
        ...setup,
      },
      targets: results,
    },
  };
}

function previousReport() {
  try {
    return existsSync(RESULTS) ? JSON.parse(readFileSync(RESULTS, 'utf8')) : {};
  } catch {
    return {};
  }
}

async function ratioSections() {
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
  const service = {
    first_start_ready_ms: first.readyAfterMs,
    restart_ready_ms: app.readyAfterMs,
    idle_rss_mb: Number((idleRss / 1024 / 1024).toFixed(1)),
  };
  console.log(
    `\nstart-up: first run ready in ${first.readyAfterMs} ms, existing data dir ready in ${app.readyAfterMs} ms; idle RSS ${service.idle_rss_mb} MB`,
  );
  return {
    ok,
    sections: {
      settings: {
        duration_s: DURATION,
        rounds: ROUNDS,
        warmup_s: RATIO_WARMUP,
        connections: CONNECTIONS,
        fixed_rate: FIXED_RATE,
        fixed_rate_rounds: FIXED_RATE_ROUNDS,
      },
      service,
      targets: results,
      redis_storage: redis,
    },
  };
}

async function main() {
  const runRatio = ONLY === undefined || ONLY === 'ratio';
  const runApi = ONLY === undefined || ONLY === 'api';
  if (!runRatio && !runApi) throw new Error(`BENCH_ONLY must be ratio or api, not ${ONLY}`);
  // a partial run keeps the other sections of the last report
  const report = runRatio && runApi ? {} : previousReport();
  report.date = new Date().toISOString();
  report.machine = { cpus: cpus().length, model: cpus()[0]?.model, node: process.version };
  let ok = true;
  if (runRatio) {
    const ratio = await ratioSections();
    ok &&= ratio.ok;
    Object.assign(report, ratio.sections);
  }
  if (runApi) {
    const api = await absoluteSection();
    ok &&= api.ok;
    report.absolute_targets = api.section;
  }
  if (!runRatio || !runApi) report.partial_run = ONLY;
  else delete report.partial_run;
  mkdirSync(join(root, 'bench', 'results'), { recursive: true });
  writeFileSync(RESULTS, `${JSON.stringify(report, null, 2)}\n`);
  process.exit(ok ? 0 : 1);
}

await main();
