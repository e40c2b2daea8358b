// npm run bench:debates — debates end to end on the production build (embedded PostgreSQL).
//
// (a) Overhead: demo agents with latency 0; BENCH_DEBATES (default 200) five-agent, three-round
//     `majority` debates one after another, after BENCH_WARMUP_DEBATES (default 20) not counted.
//     Span per debate from the server's own timestamps (timings.finished_at − timings.created_at;
//     finished_at is written after debate_end), and the client's span (POST sent → terminal
//     status seen, polling every BENCH_POLL_MS, default 2). Polling is the light
//     `GET /debates/{id}/events?after_seq=<last seen>` (status plus the new events only). Then, for
//     context only, the same number of debates polled every 20 ms (the service nearly undisturbed).
//     Target: p50 of the server span ≤ 50 ms (on the 2 ms-polled run).
// (b) Capacity: demo latency 2000-10000 ms, ARAGORA_MAX_CONCURRENT_DEBATES=100; 100 such
//     debates created at once, then `GET /debates/{id}` of random ones of them for BENCH_LOAD_S
//     (default 30) at BENCH_GET_CONNECTIONS (default 25) keep-alive connections; RSS of the
//     service sampled every 250 ms. Targets: GET p99 ≤ 50 ms, peak RSS while all 100 run ≤ 400 MB,
//     (peak − baseline before creating) / 100 ≤ 1 MB. Then waits for every debate to end.
//
// BENCH_PART=a|b runs one part only (default both). BENCH_PROFILE=1 profiles the service's CPU
// (through its inspector) over the measured window — the 2 ms-polled debates of (a), the read load
// of (b) — and prints the top self-time functions; in (b) it also reads process.memoryUsage() of
// the service at each step and after a forced full GC (which then affects later RSS samples).
// BENCH_SERVICE_LOG=<file> keeps the service's log lines (BENCH_LOG_LEVEL, default info);
// BENCH_SERVICE_ENV="NAME=value,…" adds settings to the service's environment (experiments).
// Writes bench/results/debates.json; exit status 1 when a target misses.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { connectInspector } from './lib/inspector.mjs';
import { printProfile, summarizeProfile } from './lib/profile.mjs';
import {
  cpuMeter,
  createKeys,
  extraEnv,
  freePort,
  root,
  rssBytes,
  startService,
} from './lib/service.mjs';

const PART = process.env.BENCH_PART ?? 'all';
const DEBATES = Number(process.env.BENCH_DEBATES ?? 200);
const WARMUP_DEBATES = Number(process.env.BENCH_WARMUP_DEBATES ?? 20);
const POLL_MS = Number(process.env.BENCH_POLL_MS ?? 2);
const SPARSE_POLL_MS = 20;
const CONCURRENT = 100;
const LOAD_S = Number(process.env.BENCH_LOAD_S ?? 30);
const GET_CONNECTIONS = Number(process.env.BENCH_GET_CONNECTIONS ?? 25);
const LOG_LEVEL = process.env.BENCH_LOG_LEVEL ?? 'info';
/** How long (b) waits for its debates to end after the read load (they need about 60–90 s). */
const WAIT_END_S = Number(process.env.BENCH_WAIT_END_S ?? 240);
const PROFILE = process.env.BENCH_PROFILE === '1';
const OPERATOR_TOKEN = 'bench-operator-token-0123456789';

const FIVE = ['demo', 'demo-analyst', 'demo-skeptic', 'demo-pragmatist', 'demo-contrarian'];
const QUESTIONS = [
  'Should our payments platform move from a monolith to event-driven services',
  'How can we reduce technical debt in a legacy PostgreSQL codebase without stopping feature work',
  'Which programming language should a small team choose for a new backend service',
  'How should we handle secrets in our Kubernetes deployments',
  'Design a rate limiting strategy for a public API with free and paid tiers',
];
const TERMINAL = new Set(['completed', 'no_consensus', 'failed', 'timed_out', 'cancelled']);

const TARGETS = {
  overhead_p50_ms: 50,
  get_p99_ms: 50,
  peak_rss_mb: 400,
  bytes_per_debate: 1024 * 1024,
};

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const mb = (bytes) => Number((bytes / 1024 / 1024).toFixed(1));

function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}
const stats = (values) => ({
  min: Math.min(...values),
  p50: percentile(values, 50),
  p90: percentile(values, 90),
  p99: percentile(values, 99),
  max: Math.max(...values),
  mean: Number((values.reduce((a, b) => a + b, 0) / values.length).toFixed(1)),
});
const round1 = (s) =>
  Object.fromEntries(Object.entries(s).map(([k, v]) => [k, Number(v.toFixed(1))]));

function newDataDir() {
  const dir = mkdtempSync(join(tmpdir(), 'aragora-bench-debates-'));
  chmodSync(dir, 0o755);
  return dir;
}

/** The service on a fresh data directory, with an internal (never limited) key. */
async function serviceWith(env) {
  const dataDir = newDataDir();
  const inspectPort = PROFILE ? await freePort() : undefined;
  const app = await startService(
    {
      ARAGORA_DATA_DIR: dataDir,
      LOG_LEVEL,
      ARAGORA_ADMIN_TOKEN: OPERATOR_TOKEN,
      ...env,
      ...extraEnv(),
    },
    {
      nodeArgs: inspectPort ? [`--inspect=127.0.0.1:${inspectPort}`] : [],
      logFile: process.env.BENCH_SERVICE_LOG,
    },
  );
  const keys = await createKeys(app.baseUrl, OPERATOR_TOKEN, ['internal']);
  const headers = { authorization: `Bearer ${keys.internal}`, 'content-type': 'application/json' };
  const inspector = inspectPort ? await connectInspector(inspectPort) : undefined;
  return {
    ...app,
    headers,
    inspector,
    /** Runs `fn`; with BENCH_PROFILE=1, under the CPU profiler (the summary is returned). */
    async profiled(name, fn) {
      if (!inspector) return { value: await fn() };
      await inspector.start();
      const value = await fn();
      const { profile, file } = await inspector.stop(name);
      return { value, profile: summarizeProfile(profile, 25, file) };
    },
    async close() {
      inspector?.close();
      const code = await app.stop();
      rmSync(dataDir, { recursive: true, force: true });
      return code;
    },
  };
}

async function createDebate(app, i) {
  const res = await fetch(`${app.baseUrl}/api/v1/debates`, {
    method: 'POST',
    headers: app.headers,
    body: JSON.stringify({
      task: `${QUESTIONS[i % QUESTIONS.length]} (case ${i})?`,
      agents: FIVE,
      rounds: 3,
      consensus: 'majority',
    }),
  });
  const body = await res.json();
  if (res.status !== 202) throw new Error(`create answered ${res.status}: ${JSON.stringify(body)}`);
  return body.id;
}

async function getDebate(app, id) {
  const res = await fetch(`${app.baseUrl}/api/v1/debates/${id}`, { headers: app.headers });
  if (res.status !== 200) throw new Error(`get answered ${res.status}`);
  return res.json();
}

/** Polls the event log from the last seen seq until the debate's status is terminal. */
async function waitTerminal(app, id, pollMs, timeoutMs = 60_000) {
  let after = 0;
  let polls = 0;
  const started = Date.now();
  for (;;) {
    polls++;
    const res = await fetch(`${app.baseUrl}/api/v1/debates/${id}/events?after_seq=${after}`, {
      headers: app.headers,
    });
    if (res.status !== 200) throw new Error(`events answered ${res.status}`);
    const body = await res.json();
    after = body.last_seq;
    if (TERMINAL.has(body.status)) return { status: body.status, polls };
    if (Date.now() - started > timeoutMs) throw new Error(`debate ${id} did not end in time`);
    await sleep(pollMs);
  }
}

/** `count` debates one after another; server and client spans of each. */
async function sequential(app, count, pollMs, offset) {
  const runs = [];
  for (let i = 0; i < count; i++) {
    const sent = performance.now();
    const id = await createDebate(app, offset + i);
    const { status, polls } = await waitTerminal(app, id, pollMs);
    const seen = performance.now();
    const { timings } = await getDebate(app, id);
    const created = Date.parse(timings.created_at);
    const startedAt = Date.parse(timings.started_at);
    const finished = Date.parse(timings.finished_at);
    runs.push({
      status,
      polls,
      server_ms: finished - created,
      queued_ms: startedAt - created,
      running_ms: finished - startedAt,
      client_ms: seen - sent,
    });
  }
  const statuses = {};
  for (const r of runs) statuses[r.status] = (statuses[r.status] ?? 0) + 1;
  return {
    debates: count,
    poll_ms: pollMs,
    statuses,
    server_span_ms: stats(runs.map((r) => r.server_ms)),
    server_created_to_started_ms: stats(runs.map((r) => r.queued_ms)),
    server_started_to_finished_ms: stats(runs.map((r) => r.running_ms)),
    client_span_ms: round1(stats(runs.map((r) => r.client_ms))),
    polls_per_debate: stats(runs.map((r) => r.polls)),
  };
}

async function partA() {
  console.log(
    `\n(a) overhead: 5 demo agents, 3 rounds, majority, ARAGORA_DEMO_LATENCY_MS=0; ${WARMUP_DEBATES} warm-up + ${DEBATES} debates one after another`,
  );
  const app = await serviceWith({ ARAGORA_DEMO_LATENCY_MS: '0' });
  let polled;
  let sparse;
  let profile;
  let code;
  const load = [loadavg()[0]];
  try {
    await sequential(app, WARMUP_DEBATES, POLL_MS, 0);
    const meter = cpuMeter(app.pid);
    ({ value: polled, profile } = await app.profiled('debates-overhead', () =>
      sequential(app, DEBATES, POLL_MS, WARMUP_DEBATES),
    ));
    polled.cpu_pct = meter();
    sparse = await sequential(app, DEBATES, SPARSE_POLL_MS, WARMUP_DEBATES + DEBATES);
  } finally {
    code = await app.close();
  }
  load.push(loadavg()[0]);
  const line = (label, s) =>
    `  ${label.padEnd(44)} p50 ${s.p50} ms  p90 ${s.p90} ms  p99 ${s.p99} ms  (min ${s.min}, max ${s.max})`;
  for (const [name, run] of [
    [`polled every ${POLL_MS} ms`, polled],
    [`polled every ${SPARSE_POLL_MS} ms (context)`, sparse],
  ]) {
    console.log(` ${name}: statuses ${JSON.stringify(run.statuses)}`);
    console.log(line('server span created_at → finished_at', run.server_span_ms));
    console.log(line('  of which created_at → started_at', run.server_created_to_started_ms));
    console.log(line('  of which started_at → finished_at', run.server_started_to_finished_ms));
    console.log(line('client span POST sent → terminal seen', run.client_span_ms));
  }
  const pass = polled.server_span_ms.p50 <= TARGETS.overhead_p50_ms && code === 0;
  console.log(
    `  target: server span p50 ≤ ${TARGETS.overhead_p50_ms} ms (${POLL_MS} ms-polled run): ${polled.server_span_ms.p50} ms ${pass ? 'PASS' : 'FAIL'}`,
  );
  if (code !== 0) console.log(`  service exited ${code} on SIGTERM`);
  const cpu = polled.cpu_pct;
  console.log(
    `  CPU during the ${POLL_MS} ms-polled run: service ${cpu.service_node} %, PostgreSQL ${cpu.postgres} %, this client ${cpu.load_generator} %, other processes ${cpu.other_processes} % (of one core; ${cpus().length} cores = ${cpus().length * 100} %); machine load average (1 min, this benchmark included) before/after: ${load.map((l) => l.toFixed(2)).join(' / ')}`,
  );
  if (profile) printProfile(profile);
  return {
    load_average_1m: load,
    settings: {
      demo_latency_ms: '0',
      agents: FIVE,
      rounds: 3,
      consensus: 'majority',
      warmup_debates: WARMUP_DEBATES,
      poll: 'GET /api/v1/debates/{id}/events?after_seq=<last seen>',
    },
    polled,
    sparse_polled_context: sparse,
    targets: [
      {
        name: 'server span p50 (created_at → finished_at), zero-latency 5-agent 3-round debate',
        target: `≤ ${TARGETS.overhead_p50_ms} ms`,
        value_ms: polled.server_span_ms.p50,
        pass,
      },
    ],
    service_exit_code: code,
    ...(profile && { profile }),
  };
}

/**
 * RSS and running debates of the service every `everyMs`, until stopped. Running = the runner's
 * own count, `aragora_active_debates` of /metrics (/api/v1/health's active_debates is not wired).
 */
function sampler(app, everyMs = 250) {
  const samples = [];
  let stopped = false;
  const t0 = Date.now();
  const loop = (async () => {
    while (!stopped) {
      let active = null;
      try {
        const text = await (await fetch(`${app.baseUrl}/metrics`)).text();
        const match = /^aragora_active_debates (\d+)/m.exec(text);
        active = match ? Number(match[1]) : null;
      } catch {
        // a missed sample
      }
      samples.push({ t_ms: Date.now() - t0, rss: rssBytes(app.pid), active });
      await sleep(everyMs);
    }
  })();
  return {
    samples,
    stop: async () => {
      stopped = true;
      await loop;
    },
  };
}

function loadGets(app, ids) {
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: app.baseUrl,
        headers: { authorization: app.headers.authorization },
        connections: GET_CONNECTIONS,
        duration: LOAD_S,
        requests: [
          {
            method: 'GET',
            setupRequest: (req) => ({
              ...req,
              path: `/api/v1/debates/${ids[Math.floor(Math.random() * ids.length)]}`,
            }),
          },
        ],
      },
      (err, result) => (err ? reject(err) : resolve(result)),
    );
  });
}

async function partB() {
  console.log(
    `\n(b) capacity: ${CONCURRENT} five-agent 3-round debates at once, ARAGORA_DEMO_LATENCY_MS=2000-10000, ARAGORA_MAX_CONCURRENT_DEBATES=${CONCURRENT}`,
  );
  const app = await serviceWith({
    ARAGORA_DEMO_LATENCY_MS: '2000-10000',
    ARAGORA_MAX_CONCURRENT_DEBATES: String(CONCURRENT),
  });
  let result;
  let code;
  let profile;
  const machineLoad = [loadavg()[0]];
  try {
    await sleep(2000);
    const baseline = rssBytes(app.pid);
    const heap = {};
    if (app.inspector) heap.baseline = await app.inspector.memory();
    const sampling = sampler(app);
    const createStarted = performance.now();
    const createMs = [];
    const ids = [];
    for (let i = 0; i < CONCURRENT; i++) {
      const t = performance.now();
      ids.push(await createDebate(app, i));
      createMs.push(performance.now() - t);
    }
    const createdAllMs = performance.now() - createStarted;
    // every debate claimed by the runner
    for (let i = 0; i < 200 && (sampling.samples.at(-1)?.active ?? 0) < CONCURRENT; i++)
      await sleep(50);
    await sleep(1000);
    const runningBeforeLoad = rssBytes(app.pid);
    if (app.inspector) heap.all_running_before_load = await app.inspector.memory();
    console.log(
      `  created ${CONCURRENT} in ${createdAllMs.toFixed(0)} ms (create p50 ${percentile(createMs, 50).toFixed(1)} ms, p99 ${percentile(createMs, 99).toFixed(1)} ms); RSS baseline ${mb(baseline)} MB, all running before the read load ${mb(runningBeforeLoad)} MB`,
    );
    const loadStarted = sampling.samples.length;
    let load;
    const meter = cpuMeter(app.pid);
    ({ value: load, profile } = await app.profiled('debates-get-under-load', () =>
      loadGets(app, ids),
    ));
    const cpu = meter();
    const loadEnded = sampling.samples.length;
    const activeDuringLoad = sampling.samples.slice(loadStarted, loadEnded).map((s) => s.active);
    const rssAfterLoad = rssBytes(app.pid);
    if (app.inspector) {
      heap.after_load = await app.inspector.memory();
      // what of it is live: a full collection while the debates still run
      await app.inspector.collectGarbage();
      heap.after_load_full_gc = await app.inspector.memory();
      console.log(`  memory (MB, process.memoryUsage) ${JSON.stringify(heap)}`);
    }
    // all of them end (about 60–90 s with 2–10 s per agent call)
    const finalStatuses = {};
    const waitStarted = Date.now();
    const pending = new Set(ids);
    const ended = [];
    while (pending.size > 0 && Date.now() - waitStarted < WAIT_END_S * 1000) {
      for (const id of [...pending]) {
        const d = await getDebate(app, id);
        if (TERMINAL.has(d.status)) {
          pending.delete(id);
          ended.push(d);
        }
      }
      if (pending.size > 0) await sleep(1000);
    }
    await sampling.stop();
    for (const d of ended) finalStatuses[d.status] = (finalStatuses[d.status] ?? 0) + 1;
    if (pending.size > 0) finalStatuses.not_ended = pending.size;
    const allRunning = sampling.samples.filter((s) => s.active === CONCURRENT);
    // no sample with all of them running: the peak is unknown and both RSS targets miss
    const peak = allRunning.length > 0 ? Math.max(...allRunning.map((s) => s.rss)) : NaN;
    const peakAny = Math.max(...sampling.samples.map((s) => s.rss));
    const perDebate = (peak - baseline) / CONCURRENT;
    const durations = ended
      .filter((d) => d.timings.started_at && d.timings.finished_at)
      .map((d) => (Date.parse(d.timings.finished_at) - Date.parse(d.timings.started_at)) / 1000);
    const nonOk =
      load.errors +
      load.timeouts +
      Object.entries(load.statusCodeStats ?? {})
        .filter(([status]) => !status.startsWith('2'))
        .reduce((n, [, v]) => n + v.count, 0);
    const getPass = load.latency.p99 <= TARGETS.get_p99_ms && nonOk === 0;
    const rssPass = peak <= TARGETS.peak_rss_mb * 1024 * 1024;
    const perPass = perDebate <= TARGETS.bytes_per_debate;
    const statusPass =
      (finalStatuses.completed ?? 0) + (finalStatuses.no_consensus ?? 0) === CONCURRENT;
    console.log(
      `  GET /api/v1/debates/{id} (random of the ${CONCURRENT}) for ${LOAD_S} s at ${GET_CONNECTIONS} connections: ${Math.round(load.requests.average)} req/s, p50 ${load.latency.p50} ms, p99 ${load.latency.p99} ms, max ${load.latency.max} ms, ${mb(load.throughput.average)} MB/s, non-2xx/errors ${nonOk}; running debates during the load ${Math.min(...activeDuringLoad)}–${Math.max(...activeDuringLoad)}`,
    );
    console.log(
      `  CPU during the read load: service ${cpu.service_node} %, PostgreSQL ${cpu.postgres} %, load generator ${cpu.load_generator} %, other processes ${cpu.other_processes} % (of one core)`,
    );
    console.log(
      `  target GET p99 ≤ ${TARGETS.get_p99_ms} ms: ${load.latency.p99} ms ${getPass ? 'PASS' : 'FAIL'}`,
    );
    console.log(
      `  RSS: baseline ${mb(baseline)} MB; peak while all ${CONCURRENT} run ${mb(peak)} MB (${allRunning.length} samples); after the read load ${mb(rssAfterLoad)} MB; highest overall ${mb(peakAny)} MB`,
    );
    console.log(
      `  target peak RSS ≤ ${TARGETS.peak_rss_mb} MB: ${mb(peak)} MB ${rssPass ? 'PASS' : 'FAIL'}`,
    );
    console.log(
      `  target (peak − baseline)/${CONCURRENT} ≤ 1 MB: ${mb(perDebate)} MB (${Math.round(perDebate)} bytes) ${perPass ? 'PASS' : 'FAIL'}; without the read load (all running, before it): ${mb((runningBeforeLoad - baseline) / CONCURRENT)} MB`,
    );
    console.log(
      `  all ended after ${((Date.now() - waitStarted) / 1000).toFixed(0)} s more: ${JSON.stringify(finalStatuses)}; run time p50 ${percentile(durations, 50)} s, max ${Math.max(...durations)} s`,
    );
    result = {
      settings: {
        demo_latency_ms: '2000-10000',
        max_concurrent_debates: CONCURRENT,
        debates: CONCURRENT,
        agents: FIVE,
        rounds: 3,
        consensus: 'majority',
        load_s: LOAD_S,
        get_connections: GET_CONNECTIONS,
        rss_sample_ms: 250,
      },
      create: {
        all_ms: Math.round(createdAllMs),
        p50_ms: Number(percentile(createMs, 50).toFixed(1)),
        p99_ms: Number(percentile(createMs, 99).toFixed(1)),
      },
      get_load: {
        requests_per_sec: Math.round(load.requests.average),
        p50_ms: load.latency.p50,
        p90_ms: load.latency.p90,
        p99_ms: load.latency.p99,
        max_ms: load.latency.max,
        bytes_per_sec: Math.round(load.throughput.average),
        non_2xx_or_errors: nonOk,
        running_debates_during_load: [Math.min(...activeDuringLoad), Math.max(...activeDuringLoad)],
        cpu_pct: cpu,
      },
      rss_mb: {
        baseline: mb(baseline),
        all_running_before_load: mb(runningBeforeLoad),
        peak_all_running: mb(peak),
        after_load: mb(rssAfterLoad),
        peak_overall: mb(peakAny),
      },
      bytes_per_running_debate: Math.round(perDebate),
      bytes_per_running_debate_without_read_load: Math.round(
        (runningBeforeLoad - baseline) / CONCURRENT,
      ),
      statuses: finalStatuses,
      run_time_s: { p50: percentile(durations, 50), max: Math.max(...durations) },
      ...(app.inspector && { memory_usage_mb: heap }),
      rss_samples: sampling.samples.map((s) => [s.t_ms, mb(s.rss), s.active]),
      targets: [
        {
          name: 'GET /api/v1/debates/{id} p99 under load',
          target: `≤ ${TARGETS.get_p99_ms} ms`,
          value_ms: load.latency.p99,
          non_2xx_or_errors: nonOk,
          pass: getPass,
        },
        {
          name: `RSS at peak while ${CONCURRENT} debates run`,
          target: `≤ ${TARGETS.peak_rss_mb} MB`,
          value_mb: mb(peak),
          pass: rssPass,
        },
        {
          name: 'RSS per running debate ((peak − baseline)/100)',
          target: '≤ 1 MB',
          value_bytes: Math.round(perDebate),
          pass: perPass,
        },
        {
          name: 'every debate ends completed or no_consensus',
          target: `${CONCURRENT}`,
          value: finalStatuses,
          pass: statusPass,
        },
      ],
    };
  } finally {
    code = await app.close();
  }
  machineLoad.push(loadavg()[0]);
  console.log(
    `  machine load average (1 min, this benchmark included) before/after: ${machineLoad.map((l) => l.toFixed(2)).join(' / ')}`,
  );
  if (code !== 0) console.log(`  service exited ${code} on SIGTERM`);
  if (profile) printProfile(profile);
  return {
    ...result,
    load_average_1m: machineLoad,
    service_exit_code: code,
    ...(profile && { profile }),
  };
}

async function main() {
  const report = {
    date: new Date().toISOString(),
    machine: {
      cpus: cpus().length,
      model: cpus()[0]?.model,
      memory_mb: Math.round(totalmem() / 1024 / 1024),
      node: process.version,
    },
    settings: { log_level: LOG_LEVEL, poll_ms: POLL_MS, profile: PROFILE },
  };
  if (PART === 'all' || PART === 'a') report.overhead = await partA();
  if (PART === 'all' || PART === 'b') report.capacity = await partB();
  const targets = [...(report.overhead?.targets ?? []), ...(report.capacity?.targets ?? [])];
  const exits = [report.overhead?.service_exit_code, report.capacity?.service_exit_code].filter(
    (c) => c !== undefined,
  );
  const ok = targets.every((t) => t.pass) && exits.every((c) => c === 0);
  console.log('\nSummary');
  for (const t of targets) console.log(`  ${t.pass ? 'PASS' : 'FAIL'}  ${t.name} (${t.target})`);
  mkdirSync(join(root, 'bench', 'results'), { recursive: true });
  writeFileSync(
    join(root, 'bench', 'results', 'debates.json'),
    `${JSON.stringify(report, null, 2)}\n`,
  );
  process.exit(ok ? 0 : 1);
}

await main();
