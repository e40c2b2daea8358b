// npm run bench:ws — WebSocket capacity of one node: the production build (embedded PostgreSQL,
// REDIS_URL set) against client processes forked from this script (`ws` package).
//
// (a) Idle connections: BENCH_WS_IDLE (10,000) sockets opened by BENCH_WS_CLIENTS (4) processes,
//     BENCH_WS_INFLIGHT (50) handshakes in flight per process, each authenticated with an API key
//     in the Authorization header, after BENCH_WS_WARMUP (2,000) opened and closed. Reports the
//     connect rate, handshake latency, and the service's RSS per connection (VmRSS from /proc
//     before, and 3 s after the last open).
// (b) Fan-out of one debate to BENCH_WS_SUBSCRIBERS (1,000) subscribers. The debate is a real one
//     (demo agents, finished first); the events are synthetic, published on the Redis channel
//     `aragora:events` by this script exactly as another node running the debate would publish
//     them (the RedisEventBus envelope), one batch per 10 ms tick at each rate of BENCH_WS_RATES
//     (100,200,300 events/s), seqs following the log so they take the gateway's live durable
//     path (seq check, no replay); each envelope is ~340 bytes. Per step: 1 s warm-up,
//     BENCH_DURATION (10) s measured. A delivery is a frame a client received; its latency is
//     receipt time − the event's `ts` (set when published). Also per step, from the service:
//     CPU (user + kernel, /proc), event-loop lag and `aragora_ws_delivery_seconds` (/metrics);
//     and the client processes' CPU together (they share the cores with the service).
//     BENCH_WS_CLIENT_SCHED=batch runs the client processes in Linux's SCHED_BATCH class (a woken
//     batch task does not preempt the service in the middle of its fan-out), to compare.
// (c) A real demo debate streamed to the same subscribers from its start: every subscriber must
//     get the whole event log (replay + live), figures only.
// (d) Part (b) again, same clients, events and rates, against a bare `ws` server fed by Redis
//     (bench/bare-ws-server.mjs: frame once, write to every socket, nothing else): what this
//     machine gives any Node fan-out through Redis in the same run. Figures only.
// Writes bench/results/ws.json (ws.partial.json, not committed, when any BENCH_* setting above is
// changed); exit status 1 when a target is missed. BENCH_WS_NODE_ARGS (e.g. `--cpu-prof
// --cpu-prof-dir=/tmp/prof`) is passed to the service's node and to the bare reference's.
import { execSync, fork } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import WebSocket from 'ws';
import { liveEnvelope } from '../dist/src/modules/gateway/gateway.protocol.js';
import { createKeys, root, rssBytes, startRedis, startService } from './lib/service.mjs';

const IDLE = Number(process.env.BENCH_WS_IDLE ?? 10_000);
const SUBSCRIBERS = Number(process.env.BENCH_WS_SUBSCRIBERS ?? 1_000);
const CLIENTS = Number(process.env.BENCH_WS_CLIENTS ?? 4);
const INFLIGHT = Number(process.env.BENCH_WS_INFLIGHT ?? 50);
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const RATES = (process.env.BENCH_WS_RATES ?? '100,200,300').split(',').map(Number);
const CLIENT_SCHED = process.env.BENCH_WS_CLIENT_SCHED ?? 'normal';
if (!['batch', 'normal'].includes(CLIENT_SCHED))
  throw new Error(`BENCH_WS_CLIENT_SCHED must be batch or normal, not ${CLIENT_SCHED}`);
const NODE_ARGS = (process.env.BENCH_WS_NODE_ARGS ?? '').split(' ').filter(Boolean);
const OPERATOR_TOKEN = 'bench-operator-token-0123456789';
const CHANNEL = 'aragora:events';
const BARE_CHANNEL = 'bench:bare-ws-events';
const TARGET = { rssPerConnectionBytes: 10 * 1024, deliveriesPerSec: 100_000, p99Ms: 25 };
const HIST_MS = 5_000;
const WARMUP_CONNECTIONS = Number(process.env.BENCH_WS_WARMUP ?? 2_000);
/**
 * The committed results are the full run's: a run with any setting changed (a quick iteration)
 * writes its report beside them as ws.partial.json (not committed) instead of replacing them.
 */
const FULL_RUN = [
  'BENCH_WS_IDLE',
  'BENCH_WS_SUBSCRIBERS',
  'BENCH_WS_CLIENTS',
  'BENCH_WS_INFLIGHT',
  'BENCH_DURATION',
  'BENCH_WS_RATES',
  'BENCH_WS_WARMUP',
  'BENCH_WS_CLIENT_SCHED',
].every((name) => process.env[name] === undefined);

// ---------------------------------------------------------------- client process (forked)

function histogram() {
  return new Uint32Array(HIST_MS + 1);
}
const record = (hist, ms) => (hist[Math.min(HIST_MS, Math.max(0, Math.round(ms)))] += 1);

const SEQ_FIELD = Buffer.from('"seq":');
const TS_FIELD = Buffer.from('"ts":"');

/** The decimal number at `at` (0 when none), read without making a string. */
function digitsAt(bytes, at, end = bytes.length) {
  let n = 0;
  for (let i = at; i < end; i++) {
    const d = bytes[i] - 48;
    if (d < 0 || d > 9) break;
    n = n * 10 + d;
  }
  return n;
}

const day = Buffer.alloc(10);
let dayMs = 0;
/** Epoch ms of a `toISOString()` timestamp at `at` (YYYY-MM-DDTHH:MM:SS.mmmZ); same as Date.parse. */
function isoMillis(bytes, at) {
  for (let i = 0; i < day.length; i++) {
    if (bytes[at + i] === day[i]) continue;
    // The date changes once a day: only then is it parsed.
    bytes.copy(day, 0, at, at + day.length);
    dayMs = Date.parse(`${day.toString('latin1')}T00:00:00.000Z`);
    break;
  }
  const h = digitsAt(bytes, at + 11, at + 13);
  const m = digitsAt(bytes, at + 14, at + 16);
  const s = digitsAt(bytes, at + 17, at + 19);
  return dayMs + ((h * 60 + m) * 60 + s) * 1000 + digitsAt(bytes, at + 20, at + 23);
}

async function workerMain() {
  const sockets = [];
  let window = null; // { from, to, received, hist }
  let debate = null; // { id, done }
  let closedByServer = 0;

  const onMessage = (socket) => (data) => {
    // Field reads on the bytes instead of JSON.parse or strings: this process shares the machine
    // with the service, and its CPU time delays the service's writes.
    if (window) {
      const i = data.indexOf(SEQ_FIELD);
      if (i >= 0) {
        const seq = digitsAt(data, i + SEQ_FIELD.length);
        if (seq >= window.from && seq <= window.to) {
          const t = data.indexOf(TS_FIELD, i);
          record(window.hist, Date.now() - isoMillis(data, t + TS_FIELD.length));
          window.received += 1;
        }
      }
    }
    if (debate) {
      const frame = JSON.parse(data.toString());
      if (frame.debate_id !== debate.id) return;
      if (typeof frame.seq === 'number') socket.seqs.push(frame.seq);
      if (frame.type === 'debate_end') {
        socket.ended = true;
        debate.done += 1;
        if (debate.done === sockets.length) process.send({ type: 'debate-done' });
      }
    }
  };

  async function open({ url, headers, count }) {
    const hist = histogram();
    let failed = 0;
    let next = 0;
    const one = () =>
      new Promise((resolve) => {
        const started = performance.now();
        // A load generator trusts the server's UTF-8: validating it would only burn client CPU.
        const ws = new WebSocket(url, {
          headers,
          perMessageDeflate: false,
          skipUTF8Validation: true,
        });
        ws.once('open', () => {
          record(hist, performance.now() - started);
          ws.seqs = [];
          ws.on('message', onMessage(ws));
          ws.once('close', (code) => {
            if (code !== 1000 && code !== 1005) closedByServer += 1;
          });
          sockets.push(ws);
          resolve();
        });
        ws.once('error', () => {
          failed += 1;
          resolve();
        });
      });
    const lane = async () => {
      while (next < count) {
        next += 1;
        await one();
      }
    };
    await Promise.all(Array.from({ length: INFLIGHT }, lane));
    process.send({ type: 'opened', opened: sockets.length, failed, hist: [...hist] });
  }

  async function subscribe({ debateId, afterSeq }) {
    const acked = sockets.map(
      (ws) =>
        new Promise((resolve) => {
          const check = (data) => {
            if (data.indexOf('"type":"ack"') < 0) return;
            ws.off('message', check);
            resolve();
          };
          ws.on('message', check);
        }),
    );
    for (const ws of sockets) {
      ws.send(JSON.stringify({ type: 'subscribe', debate_id: debateId, after_seq: afterSeq }));
    }
    await Promise.all(acked);
    process.send({ type: 'subscribed' });
  }

  process.on('message', async (m) => {
    if (m.cmd === 'open') await open(m);
    else if (m.cmd === 'subscribe') await subscribe(m);
    else if (m.cmd === 'window')
      window = { from: m.from, to: m.to, received: 0, hist: histogram(), cpu: process.cpuUsage() };
    else if (m.cmd === 'published' && window) window.cpu = process.cpuUsage(window.cpu);
    else if (m.cmd === 'report') {
      process.send({
        type: 'report',
        received: window?.received ?? 0,
        hist: window ? [...window.hist] : [],
        cpuMicros: window ? window.cpu.user + window.cpu.system : 0,
        open: sockets.filter((ws) => ws.readyState === WebSocket.OPEN).length,
        closedByServer,
      });
      window = null;
    } else if (m.cmd === 'follow') {
      debate = { id: m.debateId, done: 0 };
      for (const ws of sockets) ws.seqs = [];
    } else if (m.cmd === 'debate-report') {
      const expected = Array.from({ length: m.lastSeq }, (_, i) => i + 1).join(',');
      const complete = sockets.filter((ws) => ws.ended && ws.seqs.join(',') === expected).length;
      process.send({ type: 'debate-report', complete, total: sockets.length });
    } else if (m.cmd === 'close') {
      for (const ws of sockets) ws.close();
      await new Promise((resolve) => setTimeout(resolve, 500));
      process.exit(0);
    }
  });
  process.on('disconnect', () => process.exit(0)); // the driver is gone
  process.send({ type: 'ready' });
}

// ---------------------------------------------------------------- driver

function startClients(n) {
  return Promise.all(
    Array.from({ length: n }, () => {
      const child = fork(fileURLToPath(import.meta.url), ['worker'], { stdio: 'inherit' });
      // All of its threads: a batch task never preempts a running one when it wakes up.
      if (CLIENT_SCHED === 'batch') execSync(`chrt --all-tasks --batch --pid 0 ${child.pid}`);
      const inbox = [];
      const waiting = [];
      child.on('message', (m) => {
        const i = waiting.findIndex((w) => w.type === m.type);
        if (i >= 0) waiting.splice(i, 1)[0].resolve(m);
        else inbox.push(m);
      });
      const receive = (type) => {
        const i = inbox.findIndex((m) => m.type === type);
        if (i >= 0) return Promise.resolve(inbox.splice(i, 1)[0]);
        return new Promise((resolve) => waiting.push({ type, resolve }));
      };
      const client = {
        child,
        send: (m) => child.send(m),
        ask: (m, type) => {
          child.send(m);
          return receive(type);
        },
        receive,
        exited: new Promise((resolve) => child.once('exit', resolve)),
      };
      return receive('ready').then(() => client);
    }),
  );
}

async function closeClients(clients) {
  for (const c of clients) c.send({ cmd: 'close' });
  await Promise.all(clients.map((c) => c.exited));
}

function percentile(hist, p) {
  const total = hist.reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  let seen = 0;
  for (let ms = 0; ms < hist.length; ms++) {
    seen += hist[ms];
    if (seen >= total * p) return ms;
  }
  return hist.length - 1;
}
const maxOf = (hist) => hist.findLastIndex((n) => n > 0);
const merge = (hists) => hists.reduce((acc, h) => acc.map((n, i) => n + (h[i] ?? 0)), histogram());
const split = (total, parts) =>
  Array.from({ length: parts }, (_, i) => Math.floor(total / parts) + (i < total % parts ? 1 : 0));
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function api(baseUrl, key, path, init = {}) {
  const res = await fetch(`${baseUrl}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
  });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

async function finishedDebate(baseUrl, key) {
  const { id } = await api(baseUrl, key, '/api/v1/debates', {
    method: 'POST',
    body: JSON.stringify({
      task: 'How should a bank shard its ledger across regions without double spending?',
      agents: ['demo', 'demo-analyst', 'demo-skeptic'],
      rounds: 2,
    }),
  });
  for (;;) {
    const debate = await api(baseUrl, key, `/api/v1/debates/${id}`);
    if (['completed', 'no_consensus'].includes(debate.status))
      return { id, lastSeq: debate.last_seq };
    if (['failed', 'timed_out', 'cancelled'].includes(debate.status))
      throw new Error(`bench debate ended ${debate.status}`);
    await sleep(100);
  }
}

/** The service's /metrics: event-loop lag (reset by each scrape) and the delivery histogram. */
async function serviceMetrics(baseUrl) {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  const value = (name) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
  const buckets = [
    ...text.matchAll(/^aragora_ws_delivery_seconds_bucket\{le="([^"]+)"\} (\d+)$/gm),
  ].map((m) => ({ le: m[1] === '+Inf' ? Infinity : Number(m[1]), count: Number(m[2]) }));
  return {
    lagP99Ms: value('nodejs_eventloop_lag_p99_seconds') * 1000,
    lagMaxMs: value('nodejs_eventloop_lag_max_seconds') * 1000,
    buckets,
  };
}

/** The bucket bound under which a share `p` of the deliveries between two scrapes fell. */
function bucketPercentile(before, after, p) {
  const counts = after.map((b, i) => ({ le: b.le, count: b.count - (before[i]?.count ?? 0) }));
  const total = counts.at(-1)?.count ?? 0;
  const hit = counts.find((b) => b.count >= total * p);
  return total === 0 || !hit ? null : hit.le * 1000;
}

/** CPU seconds (user + system) a process has used, from /proc (clock ticks of 10 ms). */
function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return { user: Number(fields[11]) / 100, system: Number(fields[12]) / 100 };
}

function fdLimit() {
  return Number(execSync('ulimit -n', { shell: '/bin/bash' }).toString().trim());
}

async function idleConnections(service, key) {
  const wsUrl = `${service.baseUrl.replace(/^http/, 'ws')}/ws`;
  const headers = { authorization: `Bearer ${key}` };
  // Warm the code paths (JIT, pools) so that the baseline is a warm idle service.
  // Also grows V8's young generation to what a burst of handshakes needs: a one-time cost that
  // would otherwise be counted per connection.
  const warm = await startClients(CLIENTS);
  await Promise.all(
    split(WARMUP_CONNECTIONS, CLIENTS).map((count, i) =>
      warm[i].ask({ cmd: 'open', url: wsUrl, headers, count }, 'opened'),
    ),
  );
  await closeClients(warm);
  await sleep(2_000);
  const before = rssBytes(service.pid);

  const clients = await startClients(CLIENTS);
  const started = performance.now();
  const results = await Promise.all(
    split(IDLE, CLIENTS).map((count, i) =>
      clients[i].ask({ cmd: 'open', url: wsUrl, headers, count }, 'opened'),
    ),
  );
  const seconds = (performance.now() - started) / 1000;
  const opened = results.reduce((n, r) => n + r.opened, 0);
  const failed = results.reduce((n, r) => n + r.failed, 0);
  const afterOpen = rssBytes(service.pid);
  await sleep(3_000);
  const after = rssBytes(service.pid);
  const health = await (await fetch(`${service.baseUrl}/api/v1/health`)).json();
  const hist = merge(results.map((r) => r.hist));
  const report = {
    connections: opened,
    failed,
    seconds: Number(seconds.toFixed(2)),
    connects_per_sec: Math.round(opened / seconds),
    handshake_p50_ms: percentile(hist, 0.5),
    handshake_p99_ms: percentile(hist, 0.99),
    health_websocket_connections: health.websocket_connections,
    rss_before_mb: Number((before / 2 ** 20).toFixed(1)),
    rss_after_open_mb: Number((afterOpen / 2 ** 20).toFixed(1)),
    rss_after_mb: Number((after / 2 ** 20).toFixed(1)),
    rss_per_connection_bytes: Math.round((after - before) / Math.max(1, opened)),
  };
  await closeClients(clients);
  console.log(
    `(a) ${opened} idle connections (${failed} failed) in ${report.seconds} s: ${report.connects_per_sec} connects/s, ` +
      `handshake p50 ${report.handshake_p50_ms} ms p99 ${report.handshake_p99_ms} ms; ` +
      `RSS ${report.rss_before_mb} → ${report.rss_after_mb} MB = ${report.rss_per_connection_bytes} B per connection ` +
      `(target ≤ ${TARGET.rssPerConnectionBytes}); health says ${health.websocket_connections}`,
  );
  return report;
}

/** SUBSCRIBERS sockets in fresh client processes, each subscribed to `debateId` after `afterSeq`. */
async function subscribedClients(wsUrl, headers, debateId, afterSeq) {
  const clients = await startClients(CLIENTS);
  await Promise.all(
    split(SUBSCRIBERS, CLIENTS).map((count, i) =>
      clients[i].ask({ cmd: 'open', url: wsUrl, headers, count }, 'opened'),
    ),
  );
  await Promise.all(
    clients.map((c) => c.ask({ cmd: 'subscribe', debateId, afterSeq }, 'subscribed')),
  );
  return clients;
}

/**
 * Synthetic events of one debate published on the Redis channel exactly as another node running
 * it would (the RedisEventBus envelope), seqs following `lastSeq`.
 */
function eventPublisher(redisUrl, channel, debateId, tenantId, lastSeq) {
  const redis = new Redis(redisUrl);
  const text = 'x'.repeat(200);
  let seq = lastSeq;
  const event = () => ({
    debateId,
    tenantId,
    type: 'agent_message',
    seq: ++seq,
    ts: Date.now(),
    round: 1,
    agent: 'demo',
    data: { messageId: `bench:${seq}`, kind: 'proposal', text },
  });
  return {
    get seq() {
      return seq;
    },
    // The envelope a subscriber receives for one of these events (the gateway's field order).
    envelopeBytes: () => Buffer.byteLength(liveEnvelope(event())),
    /** Publishes `rate` events/s for `seconds`, in 10 ms ticks. */
    async publish(rate, seconds) {
      const started = performance.now();
      let sent = 0;
      const total = Math.round(rate * seconds);
      while (sent < total) {
        const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * rate) + 1);
        const events = [];
        while (sent < due) {
          events.push(event());
          sent += 1;
        }
        if (events.length > 0)
          await redis.publish(channel, JSON.stringify({ node: 'bench', events }));
        if (sent < total) await sleep(10);
      }
    },
    quit: () => redis.quit(),
  };
}

/**
 * One measured step per rate of RATES: warm-up, then DURATION s of events while the clients
 * record what they receive. `server.pid` is the fanning-out process (its CPU from /proc);
 * `server.baseUrl`, when set, also gives its /metrics (the service's own view).
 */
async function measureSteps(label, clients, publisher, server) {
  const steps = [];
  for (const rate of RATES) {
    await publisher.publish(rate, 1); // warm-up
    await sleep(500);
    const window = {
      from: publisher.seq + 1,
      to: publisher.seq + Math.round(rate * DURATION),
    };
    for (const c of clients) c.send({ cmd: 'window', ...window });
    const started = performance.now();
    const cpuBefore = cpuSeconds(server.pid);
    const metricsBefore = server.baseUrl ? await serviceMetrics(server.baseUrl) : null;
    await publisher.publish(rate, DURATION);
    const publishSeconds = (performance.now() - started) / 1000;
    const cpuAfter = cpuSeconds(server.pid);
    for (const c of clients) c.send({ cmd: 'published' });
    const serviceCpu =
      (cpuAfter.user + cpuAfter.system - cpuBefore.user - cpuBefore.system) / publishSeconds;
    const serviceSystemCpu = (cpuAfter.system - cpuBefore.system) / publishSeconds;
    await sleep(1_000); // stragglers
    const metricsAfter = server.baseUrl ? await serviceMetrics(server.baseUrl) : null;
    const reports = await Promise.all(clients.map((c) => c.ask({ cmd: 'report' }, 'report')));
    const received = reports.reduce((n, r) => n + r.received, 0);
    const expected = (window.to - window.from + 1) * SUBSCRIBERS;
    const hist = merge(reports.map((r) => r.hist));
    const step = {
      offered_events_per_sec: rate,
      offered_deliveries_per_sec: rate * SUBSCRIBERS,
      deliveries: received,
      expected,
      deliveries_per_sec: Math.round(received / publishSeconds),
      latency_p50_ms: percentile(hist, 0.5),
      latency_p99_ms: percentile(hist, 0.99),
      latency_max_ms: maxOf(hist),
      open_subscribers: reports.reduce((n, r) => n + r.open, 0),
      closed_by_server: reports.reduce((n, r) => n + r.closedByServer, 0),
      service_cpu_share: Number(serviceCpu.toFixed(2)),
      service_cpu_system_share: Number(serviceSystemCpu.toFixed(2)),
      // The client processes together (they run on the same cores as the service).
      clients_cpu_share: Number(
        (reports.reduce((n, r) => n + r.cpuMicros, 0) / 1e6 / publishSeconds).toFixed(2),
      ),
      ...(metricsAfter && {
        // Event created → frame written to the socket, from the service's own histogram (bucket bound).
        service_delivery_p50_ms: bucketPercentile(metricsBefore.buckets, metricsAfter.buckets, 0.5),
        service_delivery_p99_ms: bucketPercentile(
          metricsBefore.buckets,
          metricsAfter.buckets,
          0.99,
        ),
        service_event_loop_lag_p99_ms: Number(metricsAfter.lagP99Ms.toFixed(1)),
        service_event_loop_lag_max_ms: Number(metricsAfter.lagMaxMs.toFixed(1)),
      }),
      load_average: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).map(Number),
    };
    steps.push(step);
    const inService = metricsAfter
      ? `in the service p50 ≤ ${step.service_delivery_p50_ms} ms p99 ≤ ${step.service_delivery_p99_ms} ms, ` +
        `event-loop lag p99 ${step.service_event_loop_lag_p99_ms} ms max ${step.service_event_loop_lag_max_ms} ms; `
      : '';
    console.log(
      `(${label}) ${rate} events/s × ${SUBSCRIBERS} subscribers: ${step.deliveries_per_sec} deliveries/s ` +
        `(${received}/${expected}), latency p50 ${step.latency_p50_ms} ms p99 ${step.latency_p99_ms} ms ` +
        `max ${step.latency_max_ms} ms; ${inService}` +
        `server CPU ${Math.round(serviceCpu * 100)} % (kernel ${Math.round(serviceSystemCpu * 100)} %), ` +
        `clients ${Math.round(step.clients_cpu_share * 100)} %; ` +
        `${step.open_subscribers} open, ${step.closed_by_server} closed by the server`,
    );
    if (step.open_subscribers < SUBSCRIBERS) break;
  }
  return steps;
}

async function fanOut(service, key, tenantId, redisUrl) {
  const wsUrl = `${service.baseUrl.replace(/^http/, 'ws')}/ws`;
  const headers = { authorization: `Bearer ${key}` };
  const debate = await finishedDebate(service.baseUrl, key);
  const clients = await subscribedClients(wsUrl, headers, debate.id, debate.lastSeq);
  const publisher = eventPublisher(redisUrl, CHANNEL, debate.id, tenantId, debate.lastSeq);
  const steps = await measureSteps('b', clients, publisher, service);
  const envelopeBytes = publisher.envelopeBytes();
  await publisher.quit();

  // (c) a real debate from its start to the same subscribers
  const { id } = await api(service.baseUrl, key, '/api/v1/debates', {
    method: 'POST',
    body: JSON.stringify({
      task: 'Should a payments platform adopt event sourcing for its ledger?',
      agents: ['demo', 'demo-analyst', 'demo-skeptic'],
      rounds: 2,
    }),
  });
  for (const c of clients) c.send({ cmd: 'follow', debateId: id });
  const started = performance.now();
  await Promise.all(
    clients.map((c) => c.ask({ cmd: 'subscribe', debateId: id, afterSeq: 0 }, 'subscribed')),
  );
  await Promise.all(clients.map((c) => c.receive('debate-done')));
  const seconds = (performance.now() - started) / 1000;
  const final = await api(service.baseUrl, key, `/api/v1/debates/${id}`);
  const reports = await Promise.all(
    clients.map((c) => c.ask({ cmd: 'debate-report', lastSeq: final.last_seq }, 'debate-report')),
  );
  const real = {
    debate_events: final.last_seq,
    subscribers: SUBSCRIBERS,
    complete_subscribers: reports.reduce((n, r) => n + r.complete, 0),
    seconds: Number(seconds.toFixed(2)),
  };
  console.log(
    `(c) a demo debate of ${real.debate_events} events to ${SUBSCRIBERS} subscribers from its start: ` +
      `${real.complete_subscribers} got the whole log in order, in ${real.seconds} s`,
  );
  await closeClients(clients);
  return {
    debate_id: debate.id,
    envelope_bytes: envelopeBytes,
    steps,
    real_debate: real,
  };
}

/**
 * Part (b) once more against the bare `ws` reference (bench/bare-ws-server.mjs) on a channel of its
 * own (the idle service does not see these events): the same clients, events and steps.
 */
async function bareFanOut(redisUrl) {
  const bare = fork(join(root, 'bench', 'bare-ws-server.mjs'), [redisUrl, BARE_CHANNEL], {
    stdio: 'inherit',
    execArgv: NODE_ARGS,
  });
  const exited = new Promise((resolve) => bare.once('exit', resolve));
  try {
    const { port } = await Promise.race([
      new Promise((resolve) => bare.once('message', resolve)),
      exited.then((code) => Promise.reject(new Error(`bare ws server exited with ${code}`))),
    ]);
    const debateId = '00000000-0000-7000-8000-000000000000';
    const clients = await subscribedClients(`ws://127.0.0.1:${port}/`, {}, debateId, 0);
    const publisher = eventPublisher(redisUrl, BARE_CHANNEL, debateId, 'bench', 0);
    const steps = await measureSteps('d, bare ws', clients, publisher, { pid: bare.pid });
    await publisher.quit();
    await closeClients(clients);
    return { steps };
  } finally {
    bare.kill('SIGTERM');
    await exited;
  }
}

async function main() {
  const limit = fdLimit();
  if (limit < IDLE + 1_000) {
    console.error(
      `ulimit -n is ${limit}: the service needs one descriptor per socket (${IDLE} + ~1,000). ` +
        `Raise it (ulimit -n ${IDLE + 5_000}) or lower BENCH_WS_IDLE.`,
    );
    process.exit(1);
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'aragora-bench-ws-'));
  chmodSync(dataDir, 0o755);
  const redis = await startRedis();
  const service = await startService(
    {
      ARAGORA_DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      ARAGORA_ADMIN_TOKEN: OPERATOR_TOKEN,
      REDIS_URL: redis.url,
      ARAGORA_WS_MAX_CONNECTIONS: String(IDLE + 1_000),
      ARAGORA_DEMO_LATENCY_MS: '20',
    },
    { nodeArgs: NODE_ARGS },
  );
  let report;
  let ok;
  try {
    const { internal: key } = await createKeys(service.baseUrl, OPERATOR_TOKEN, ['internal']);
    const me = await api(service.baseUrl, key, '/api/v1/me');
    const idle = await idleConnections(service, key);
    const fanout = await fanOut(service, key, me.tenant.id, redis.url);
    fanout.bare_reference = await bareFanOut(redis.url);
    // Sustained: every event reached every subscriber, none was cut. Latency is judged at the
    // step that offers the target rate.
    const sustained = fanout.steps.filter(
      (s) => s.deliveries === s.expected && s.open_subscribers === SUBSCRIBERS,
    );
    const best = Math.max(0, ...sustained.map((s) => s.deliveries_per_sec));
    const atTarget = fanout.steps.find(
      (s) => s.offered_deliveries_per_sec >= TARGET.deliveriesPerSec,
    );
    const targets = {
      rss_per_connection: idle.rss_per_connection_bytes <= TARGET.rssPerConnectionBytes,
      deliveries_per_sec: best >= TARGET.deliveriesPerSec,
      latency_p99: atTarget !== undefined && atTarget.latency_p99_ms <= TARGET.p99Ms,
      no_loss: fanout.steps.every((s) => s.closed_by_server > 0 || s.deliveries === s.expected),
      real_debate_complete: fanout.real_debate.complete_subscribers === SUBSCRIBERS,
    };
    ok = idle.failed === 0 && Object.values(targets).every(Boolean);
    report = {
      date: new Date().toISOString(),
      machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version },
      settings: {
        idle_connections: IDLE,
        subscribers: SUBSCRIBERS,
        client_processes: CLIENTS,
        client_scheduling: CLIENT_SCHED === 'batch' ? 'SCHED_BATCH' : 'SCHED_OTHER',
        handshakes_in_flight_per_process: INFLIGHT,
        duration_s: DURATION,
        rates_events_per_sec: RATES,
        fd_limit: limit,
      },
      targets: { ...TARGET, best_sustained_deliveries_per_sec: best, met: targets },
      idle,
      fanout,
    };
    for (const [name, met] of Object.entries(targets))
      console.log(`  ${name}: ${met ? 'PASS' : 'FAIL'}`);
    const bareAtTarget = fanout.bare_reference.steps.find(
      (s) => s.offered_deliveries_per_sec >= TARGET.deliveriesPerSec,
    );
    console.log(
      `  latency p99 at ${TARGET.deliveriesPerSec} deliveries/s: service ${atTarget?.latency_p99_ms} ms, ` +
        `bare ws reference ${bareAtTarget?.latency_p99_ms} ms (figures only)`,
    );
  } finally {
    await service.stop();
    await redis.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  mkdirSync(join(root, 'bench', 'results'), { recursive: true });
  const out = join(root, 'bench', 'results', FULL_RUN ? 'ws.json' : 'ws.partial.json');
  writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`report: ${out}${FULL_RUN ? '' : ' (settings changed: not the committed full run)'}`);
  process.exit(ok ? 0 : 1);
}

if (process.argv[2] === 'worker') await workerMain();
else await main();
