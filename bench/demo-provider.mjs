// npm run bench:demo — calls/s of the demo provider's complete() with latency 0, on one thread.
// Warm-up, then at least BENCH_DURATION seconds (default 3) of sequential awaited calls, mixed
// kinds in batches (proposal, revision, critique, vote); prints calls/s per kind and overall,
// writes bench/results/demo-provider.json. Exit status 1 when overall < 10,000 calls/s.
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { DemoProvider } = require(join(root, 'dist/src/modules/agents/providers/demo/index.js'));

const DURATION = Number(process.env.BENCH_DURATION ?? 3);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 1);
const BATCH = 1000;
const MIN_CALLS_PER_SEC = 10_000;
const KINDS = ['proposal', 'revision', 'critique', 'vote'];
const AGENTS = [
  ['default', 'demo'],
  ['analyst', 'demo-analyst'],
  ['skeptic', 'demo-skeptic'],
  ['pragmatist', 'demo-pragmatist'],
  ['contrarian', 'demo-contrarian'],
];
const QUESTIONS = [
  'Should we migrate our monolith to microservices',
  'How can we reduce technical debt in a legacy PostgreSQL codebase without stopping feature work',
  'Which programming language should a small team choose for a new backend service',
  'Is remote work better than office work for software teams',
  'How should we handle secrets in our Kubernetes deployments',
  'What pricing model should our SaaS product use',
  'Should we rewrite the mobile app in Flutter or keep native iOS and Android code',
  'Design a rate limiting strategy for a public API with free and paid tiers',
];
// 200 distinct debates: about what one node runs at once (the per-task cache holds 512)
const TASKS = Array.from(
  { length: 200 },
  (_, i) => `${QUESTIONS[i % QUESTIONS.length]} (case ${i})?`,
);

const signal = new AbortController().signal;
const provider = new DemoProvider({ latencyMs: { min: 0, max: 0 }, failureRate: 0, seed: 1 });

const request = (hint, structured) => ({
  model: 'demo',
  system: `You are ${hint.participant}, taking part in a structured debate. Persona: ${hint.persona}.`,
  messages: [
    {
      role: 'user',
      content: `Debate question: ${hint.task}\n\n${(hint.candidates ?? []).map((c) => `${c.id}: ${c.text}`).join('\n\n')}`,
    },
  ],
  output: structured ? { name: hint.kind, schema: { type: 'object' } } : undefined,
  hint,
  signal,
});

/** The requests a debate engine would send, built once so only the provider is measured. */
async function buildRequests() {
  const byKind = Object.fromEntries(KINDS.map((kind) => [kind, []]));
  for (const task of TASKS) {
    const positions = [];
    for (const [persona, participant] of AGENTS) {
      const hint = { kind: 'revision', task, round: 1, persona, participant };
      positions.push({ id: participant, text: (await provider.complete(request(hint))).text });
    }
    AGENTS.forEach(([persona, participant], i) => {
      const base = { task, persona, participant };
      byKind.proposal.push(request({ ...base, kind: 'proposal', round: 1 }, false));
      byKind.revision.push(
        request({ ...base, kind: 'revision', round: 2, ownPosition: positions[i].text }, false),
      );
      const target = positions[(i + 1) % positions.length];
      byKind.critique.push(
        request({ ...base, kind: 'critique', round: 2, candidates: [target] }, true),
      );
      byKind.vote.push(request({ ...base, kind: 'vote', round: 3, candidates: positions }, true));
    });
  }
  return byKind;
}

async function runBatch(requests, offset) {
  // Reading a character makes V8 flatten the concatenated text (as any consumer would), so
  // that cost is measured here; the sum keeps every result alive.
  let chars = 0;
  for (let i = 0; i < BATCH; i++) {
    const { text } = await provider.complete(requests[(offset + i) % requests.length]);
    chars += text.charCodeAt(text.length >> 1) > 0 ? text.length : 0;
  }
  return chars;
}

/** Batches of each kind in turn until `seconds` have passed; time and calls per kind. */
async function measure(byKind, seconds) {
  const totals = Object.fromEntries(KINDS.map((kind) => [kind, { calls: 0, ms: 0 }]));
  let chars = 0;
  const started = performance.now();
  for (let round = 0; performance.now() - started < seconds * 1000; round++) {
    for (const kind of KINDS) {
      const t0 = performance.now();
      chars += await runBatch(byKind[kind], round * BATCH);
      totals[kind].ms += performance.now() - t0;
      totals[kind].calls += BATCH;
    }
  }
  return { totals, chars };
}

/** Not part of the verdict: a new task on every call, so the per-task cache never hits. */
async function uncached(seconds) {
  let calls = 0;
  const started = performance.now();
  while (performance.now() - started < seconds * 1000) {
    for (let i = 0; i < BATCH; i++, calls++) {
      const [persona, participant] = AGENTS[calls % AGENTS.length];
      const task = `${QUESTIONS[calls % QUESTIONS.length]} (uncached ${calls})?`;
      await provider.complete(
        request({ kind: 'proposal', task, round: 1, persona, participant }, false),
      );
    }
  }
  return Math.round(calls / ((performance.now() - started) / 1000));
}

const perSec = ({ calls, ms }) => Math.round(calls / (ms / 1000));

async function main() {
  const byKind = await buildRequests();
  await measure(byKind, WARMUP);
  const { totals, chars } = await measure(byKind, DURATION);
  const all = Object.values(totals).reduce(
    (a, t) => ({ calls: a.calls + t.calls, ms: a.ms + t.ms }),
    {
      calls: 0,
      ms: 0,
    },
  );
  const overall = perSec(all);
  const newTaskEachCall = await uncached(1);
  for (const kind of KINDS) {
    console.log(
      `  ${kind.padEnd(9)} ${String(perSec(totals[kind])).padStart(8)} calls/s (${totals[kind].calls} calls)`,
    );
  }
  console.log(
    `  ${'overall'.padEnd(9)} ${String(overall).padStart(8)} calls/s (${all.calls} calls in ${(all.ms / 1000).toFixed(2)} s; ${chars} chars of answers)`,
  );
  console.log(
    `  proposal with a new task on every call (cache misses): ${newTaskEachCall} calls/s`,
  );
  const pass = overall >= MIN_CALLS_PER_SEC;
  const report = {
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version },
    settings: {
      duration_s: DURATION,
      warmup_s: WARMUP,
      batch: BATCH,
      latency_ms: { min: 0, max: 0 },
      failure_rate: 0,
      tasks: TASKS.length,
      agents: AGENTS.length,
      threads: 1,
    },
    kinds: Object.fromEntries(
      KINDS.map((kind) => [
        kind,
        {
          calls: totals[kind].calls,
          seconds: Number((totals[kind].ms / 1000).toFixed(3)),
          calls_per_sec: perSec(totals[kind]),
        },
      ]),
    ),
    overall: {
      calls: all.calls,
      seconds: Number((all.ms / 1000).toFixed(3)),
      calls_per_sec: overall,
    },
    proposal_new_task_each_call_per_sec: newTaskEachCall,
    min_calls_per_sec: MIN_CALLS_PER_SEC,
    pass,
  };
  mkdirSync(join(root, 'bench', 'results'), { recursive: true });
  writeFileSync(
    join(root, 'bench', 'results', 'demo-provider.json'),
    `${JSON.stringify(report, null, 2)}\n`,
  );
  if (!pass) console.log(`overall ${overall} calls/s is below ${MIN_CALLS_PER_SEC}`);
  process.exit(pass ? 0 : 1);
}

await main();
