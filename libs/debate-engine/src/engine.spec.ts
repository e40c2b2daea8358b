import {
  createDebateSpec,
  DebateEngine,
  InvalidDebateError,
  participantIds,
  type AgentReply,
  type DebateEvent,
  type DebateResult,
} from './index';
import {
  harness,
  never,
  reply,
  ScriptedAgents,
  spec,
  voting,
  type Script,
} from './testing/fake-ports';

const A = 'demo';
const B = 'demo-analyst';
const C = 'demo-skeptic';

function count(types: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const t of types) counts[t] = (counts[t] ?? 0) + 1;
  return counts;
}

async function run(
  script: Script,
  agents: Parameters<typeof spec>[0],
  overrides: Parameters<typeof spec>[1] = {},
): Promise<{ result: DebateResult; h: ReturnType<typeof harness> }> {
  const h = harness(new ScriptedAgents(script));
  const result = await new DebateEngine(h.ports).run(spec(agents, overrides), never());
  return { result, h };
}

describe('DebateEngine: happy path', () => {
  it('runs 3 agents to completed with the winner’s real weighted share as confidence', async () => {
    // weights by ELO: demo 1.0, analyst 1.12, skeptic 0.88
    const agents = [
      { agent: A, elo: 1500 },
      { agent: B, elo: 1700 },
      { agent: C, elo: 1300 },
    ];
    const { result, h } = await run(voting({ [A]: B, [B]: B, [C]: A }), agents);

    expect(result.status).toBe('completed');
    expect(result.reason).toBeNull();
    expect(result.consensus).toMatchObject({
      reached: true,
      mode: 'majority',
      method: 'vote',
      winner: B,
      supportingAgents: [A, B],
      dissentingAgents: [C],
    });
    expect(result.consensus.confidence).toBeCloseTo(2.12 / 3, 12);
    expect(result.consensus.finalAnswer).toBe(`final answer from ${B} and ${A}`);
    expect(result.tally?.entries).toEqual([
      { choice: B, weight: expect.closeTo(2.12, 12), votes: 2 },
      { choice: A, weight: expect.closeTo(0.88, 12), votes: 1 },
    ]);
    expect(result.dissent.map((d) => [d.participant, d.reasons])).toEqual([
      [A, ['misses eviction']],
      [C, [`${A} wins for ${C}`, 'misses eviction']],
    ]);
    expect(result.agentFailures).toEqual([]);
    expect(result.roundsCompleted).toBe(1);

    // one call per (critic, target) pair, one of everything else per agent, one synthesis
    expect(count(h.agents.calls.map((c) => c.kind))).toEqual({
      proposal: 3,
      critique: 6,
      revision: 3,
      vote: 3,
      synthesis: 1,
    });
    expect(h.agents.ofKind('synthesis')[0]?.participant).toBe(B);
    expect(count(h.sink.types())).toEqual({
      debate_start: 1,
      round_start: 1,
      agent_message: 7,
      critique: 6,
      revision: 3,
      convergence_check: 1,
      round_complete: 1,
      vote: 3,
      consensus: 1,
      synthesis: 1,
      debate_end: 1,
    });
    expect(h.sink.types()[0]).toBe('debate_start');
    expect(h.sink.types().at(-1)).toBe('debate_end');
    expect(h.sink.seqs()).toEqual(h.sink.events.map((_, i) => i + 1));
    expect(result.usage).toEqual({ inputTokens: 160, outputTokens: 80 });
  });

  it('gives every message a deterministic id and names repeated agents demo, demo#2', async () => {
    const h = harness();
    await new DebateEngine(h.ports).run(spec([A, A]), never());
    const state = h.store.last()?.state;
    expect(state?.messages.map((m) => m.id)).toEqual([
      'r1:proposal:demo',
      'r1:proposal:demo#2',
      'r1:critique:demo>demo#2',
      'r1:critique:demo#2>demo',
      'r1:revision:demo',
      'r1:revision:demo#2',
      'r1:vote:demo',
      'r1:vote:demo#2',
      'r1:synthesis:demo',
    ]);
    expect(new Set(h.agents.calls.map((c) => c.agent))).toEqual(new Set([A]));
  });

  it('streams text as ephemeral token_delta events without seq', async () => {
    const h = harness();
    await new DebateEngine(h.ports).run(spec([A, B]), never());
    expect(h.sink.deltas.length).toBeGreaterThan(0);
    expect(h.sink.deltas.every((d) => d.type === 'token_delta' && !('seq' in d))).toBe(true);
    expect(new Set(h.sink.deltas.map((d) => d.data.kind))).toEqual(
      new Set(['proposal', 'revision', 'synthesis']),
    );
  });
});

describe('DebateEngine: convergence', () => {
  const convergence = (events: DebateEvent[]): unknown[] =>
    events.flatMap((e) => (e.type === 'convergence_check' ? [e.data.status] : []));

  it('stops early when every position is unchanged', async () => {
    const { result, h } = await run(() => null, [A, B, C], { rounds: 3 });
    expect(result.convergence.map((c) => c.status)).toEqual(['converged']);
    expect(result.convergence[0]?.similarities.map((s) => s.similarity)).toEqual([1, 1, 1]);
    expect(result.earlyStop).toBe(true);
    expect(result.roundsCompleted).toBe(1);
    expect(h.agents.calls.filter((c) => c.round === 2)).toEqual([]);
    expect(h.agents.ofKind('vote').map((c) => c.round)).toEqual([1, 1, 1]);
  });

  it('classifies a rewritten position as diverging and keeps going', async () => {
    const words = ['', 'quantum zebra orbit lantern', 'violin harbor maple comet'];
    const rewrite: Script = (call) =>
      call.kind === 'revision'
        ? reply(`${words[call.round] ?? ''} ${call.participant.replace(/\W/g, '')}`)
        : null;
    const { result, h } = await run(rewrite, [A, B, C], { rounds: 2 });
    expect(convergence(h.sink.events)).toEqual(['diverging', 'diverging']);
    expect(result.earlyStop).toBe(false);
    expect(result.roundsCompleted).toBe(2);
    for (const check of result.convergence) expect(check.minSimilarity).toBeLessThan(0.4);
  });

  it('classifies a moderate edit as refining', async () => {
    const extend: Script = (call) =>
      call.kind === 'revision' ? reply(`${call.ownPosition ?? ''} with eviction by ttl`) : null;
    const { result } = await run(extend, [A, B], { rounds: 1 });
    expect(result.convergence[0]?.status).toBe('refining');
    const similarity = result.convergence[0]?.minSimilarity ?? 0;
    expect(similarity).toBeGreaterThanOrEqual(0.4);
    expect(similarity).toBeLessThan(0.85);
  });

  it('leaves a participant whose revision failed out of the check', async () => {
    const script: Script = (call) =>
      call.kind === 'revision' && call.participant === B ? new Error('timeout') : null;
    const { result } = await run(script, [A, B, C]);
    expect(result.convergence[0]?.similarities.map((s) => s.participant)).toEqual([A, C]);
    expect(result.agentFailures).toEqual([
      { participant: B, kind: 'revision', round: 1, reason: 'Error: timeout', target: null },
    ]);
  });
});

describe('DebateEngine: consensus modes', () => {
  const equal = [A, B, C];

  it('majority: a 1/3 plurality is no consensus, with the leader’s share as confidence', async () => {
    const { result } = await run(voting({ [A]: A, [B]: B, [C]: C }), equal);
    expect(result.status).toBe('no_consensus');
    expect(result.consensus).toMatchObject({ reached: false, winner: A, method: 'vote' });
    expect(result.consensus.confidence).toBeCloseTo(1 / 3, 12);
  });

  it('majority is met at exactly 0.6 but supermajority needs 2/3', async () => {
    const five = ['a1', 'a2', 'a3', 'a4', 'a5'];
    const votes = { a1: 'a1', a2: 'a1', a3: 'a1', a4: 'a4', a5: 'a5' };
    const majority = await run(voting(votes), five, { consensus: 'majority' });
    expect(majority.result.status).toBe('completed');
    expect(majority.result.consensus.confidence).toBeCloseTo(0.6, 12);
    const supermajority = await run(voting(votes), five, { consensus: 'supermajority' });
    expect(supermajority.result.status).toBe('no_consensus');
    const twoThirds = await run(voting({ [A]: B, [B]: B, [C]: A }), equal, {
      consensus: 'supermajority',
    });
    expect(twoThirds.result.status).toBe('completed');
    expect(twoThirds.result.consensus.confidence).toBeCloseTo(2 / 3, 12);
  });

  it('unanimous: all agree → completed with share 1; one dissent → no consensus', async () => {
    const all = await run(voting({ [A]: B, [B]: B, [C]: B }), equal, { consensus: 'unanimous' });
    expect(all.result.status).toBe('completed');
    expect(all.result.consensus.confidence).toBe(1);
    const one = await run(voting({ [A]: B, [B]: B, [C]: A }), equal, { consensus: 'unanimous' });
    expect(one.result.status).toBe('no_consensus');
    expect(one.result.consensus).toMatchObject({ winner: B, dissentingAgents: [C] });
    expect(one.result.consensus.confidence).toBeCloseTo(2 / 3, 12);
  });

  it('judge: the top-rated agent decides; confidence = its confidence × agreeing share', async () => {
    const agents = [
      { agent: A, elo: 1500 },
      { agent: B, elo: 1800 },
      { agent: C, elo: 1600 },
    ];
    // the default judge reply picks the first candidate (A) with confidence 0.9
    const { result, h } = await run(voting({ [A]: A, [B]: C, [C]: A }), agents, {
      consensus: 'judge',
    });
    expect(h.agents.ofKind('judge').map((c) => c.participant)).toEqual([B]);
    expect(result.status).toBe('completed');
    expect(result.consensus).toMatchObject({ method: 'judge', judge: B, winner: A });
    expect(result.consensus.confidence).toBeCloseTo(0.9 * (2 / 3), 12);
    expect(h.agents.ofKind('synthesis').map((c) => c.participant)).toEqual([B]);
  });

  it('hybrid: a clear weighted majority needs no judge', async () => {
    const { result, h } = await run(voting({ [A]: B, [B]: B, [C]: B }), equal, {
      consensus: 'hybrid',
    });
    expect(h.agents.ofKind('judge')).toEqual([]);
    expect(result.consensus).toMatchObject({ method: 'vote', winner: B, confidence: 1 });
  });

  it('hybrid: a split vote falls back to the judge', async () => {
    const { result, h } = await run(voting({ [A]: A, [B]: B, [C]: C }), equal, {
      consensus: 'hybrid',
    });
    expect(h.agents.ofKind('judge')).toHaveLength(1);
    expect(result.status).toBe('completed');
    expect(result.consensus.method).toBe('judge');
    expect(result.consensus.confidence).toBeCloseTo(0.9 * (1 / 3), 12);
  });

  it('a judge that fails gives no consensus, never a made-up verdict', async () => {
    const script = voting({ [A]: A, [B]: B, [C]: C }, (call) =>
      call.kind === 'judge' ? new Error('circuit open') : null,
    );
    const { result } = await run(script, equal, { consensus: 'judge' });
    expect(result.status).toBe('no_consensus');
    expect(result.consensus.judgeFailure).toBe('Error: circuit open');
    expect(result.agentFailures.map((f) => f.kind)).toEqual(['judge']);
  });

  it('none: no verdict, no synthesis, every position kept as dissent', async () => {
    const { result, h } = await run(voting({ [A]: B, [B]: B, [C]: B }), equal, {
      consensus: 'none',
    });
    expect(result.status).toBe('no_consensus');
    expect(result.consensus).toMatchObject({ winner: null, finalAnswer: null, method: 'none' });
    expect(h.agents.ofKind('synthesis')).toEqual([]);
    expect(result.dissent.map((d) => d.participant)).toEqual([A, B, C]);
  });
});

describe('DebateEngine: honest verdicts', () => {
  it('records a failing agent and never counts it', async () => {
    const script = voting({ [A]: B, [B]: B }, (call) =>
      call.participant === C ? new Error('provider 500') : null,
    );
    const { result, h } = await run(script, [A, B, C]);
    expect(result.agentFailures).toEqual([
      { participant: C, kind: 'proposal', round: 1, reason: 'Error: provider 500', target: null },
    ]);
    expect(h.agents.calls.filter((c) => c.participant === C).map((c) => c.kind)).toEqual([
      'proposal',
    ]);
    expect(h.agents.calls.some((c) => c.candidates?.some((x) => x.id === C))).toBe(false);
    expect(result.positions.map((p) => p.participant)).toEqual([A, B]);
    expect(result.tally?.votes.map((v) => v.voter)).toEqual([A, B]);
    expect(result.status).toBe('completed');
    expect(result.consensus.confidence).toBe(1);
    const errors = h.sink.events.filter((e) => e.type === 'agent_error');
    expect(errors.map((e) => [e.agent, e.round])).toEqual([[C, 1]]);
  });

  it('fails with insufficient_participation and confidence 0 when too few propose', async () => {
    const script: Script = (call) => (call.participant === A ? null : new Error('timeout'));
    const { result, h } = await run(script, [A, B, C]);
    expect(result.status).toBe('failed');
    expect(result.reason).toBe('insufficient_participation');
    expect(result.consensus.confidence).toBe(0);
    expect(result.consensus.winner).toBeNull();
    expect(h.agents.calls.map((c) => c.kind)).toEqual(['proposal', 'proposal', 'proposal']);
    const end = h.sink.events.at(-1);
    expect(end?.type === 'debate_end' && end.data.status).toBe('failed');
  });

  it('fails when too few real votes arrive', async () => {
    const script: Script = (call) =>
      call.kind === 'vote' && call.participant !== A ? new Error('timeout') : null;
    const { result } = await run(script, [A, B, C]);
    expect(result.status).toBe('failed');
    expect(result.reason).toBe('insufficient_participation');
    expect(result.consensus.confidence).toBe(0);
    expect(result.agentFailures.map((f) => [f.participant, f.kind])).toEqual([
      [B, 'vote'],
      [C, 'vote'],
    ]);
  });

  it('retries an invalid structured vote once and then counts it', async () => {
    const script: Script = (call, attempt) =>
      call.kind === 'vote' && call.participant === A && attempt === 1
        ? reply('I pick the best one', { choice: 'nobody', confidence: 2, reasoning: 'x' })
        : null;
    const { result, h } = await run(script, [A, B]);
    const calls = h.agents.ofKind('vote').filter((c) => c.participant === A);
    expect(calls).toHaveLength(2);
    expect(calls[1]?.messages.at(-1)?.content).toMatch(/not valid \(choice must be one of/);
    expect(result.tally?.votes.map((v) => v.voter)).toEqual([A, B]);
    expect(result.agentFailures).toEqual([]);
  });

  it('a vote still invalid after the retry is a failed call, not a guessed vote', async () => {
    const script: Script = (call) =>
      call.kind === 'vote' && call.participant === A ? reply('no json here') : null;
    const { result, h } = await run(script, [A, B, C]);
    expect(h.agents.ofKind('vote').filter((c) => c.participant === A)).toHaveLength(2);
    expect(result.agentFailures).toEqual([
      {
        participant: A,
        kind: 'vote',
        round: 1,
        reason: 'invalid structured output: not a JSON object',
        target: null,
      },
    ]);
    expect(result.tally?.votes.map((v) => v.voter)).toEqual([B, C]);
    const error = h.sink.events.find((e) => e.type === 'agent_error');
    expect(error?.type === 'agent_error' && error.data.attempts).toBe(2);
  });

  it('parses a critique from fenced JSON text when the provider has no structured output', async () => {
    const script: Script = (call) =>
      call.kind === 'critique'
        ? reply('```json\n{"issues":["a"],"suggestions":["b"],"severity":7}\n```')
        : null;
    const { result, h } = await run(script, [A, B]);
    expect(result.agentFailures).toEqual([]);
    const critiques = h.sink.events.filter((e) => e.type === 'critique');
    expect(critiques.map((e) => e.type === 'critique' && e.data.severity)).toEqual([7, 7]);
  });

  it('adds human votes with weight 0.5 × intensity multiplier', async () => {
    const h = harness(new ScriptedAgents(voting({ [A]: A, [B]: B })), [
      { principal: 'u1', choice: B, intensity: 10 },
      { principal: 'u2', choice: A, intensity: 1 },
      { principal: 'u3', choice: 'not-a-position', intensity: 5 },
    ]);
    const result = await new DebateEngine(h.ports).run(spec([A, B]), never());
    const humans = result.tally?.votes.filter((v) => v.source === 'human');
    expect(humans?.map((v) => [v.voter, v.weight])).toEqual([
      ['u1', 1],
      ['u2', 0.25],
    ]);
    expect(result.tally?.ignoredHumanVotes.map((v) => v.principal)).toEqual(['u3']);
    // B: 1 (agent) + 1 (human) of 3.25
    expect(result.consensus).toMatchObject({ winner: B, reached: true, supportingAgents: [B] });
    expect(result.consensus.confidence).toBeCloseTo(2 / 3.25, 12);
  });
});

describe('DebateEngine: robustness', () => {
  it('treats a malformed adapter reply as that call’s failure', async () => {
    const malformed = { usage: { inputTokens: 1, outputTokens: 1 } } as unknown as AgentReply;
    const { result } = await run((call) => (call.participant === C ? malformed : null), [A, B, C]);
    expect(result.agentFailures).toEqual([
      {
        participant: C,
        kind: 'proposal',
        round: 1,
        reason: 'TypeError: malformed reply: text is not a string',
        target: null,
      },
    ]);
    expect(result.status).toBe('completed');
  });

  it('keeps going when the token_delta sink throws (deltas are best effort)', async () => {
    const h = harness();
    h.ports.events = {
      emit: () => Promise.resolve(),
      ephemeral: () => {
        throw new Error('socket closed');
      },
    };
    const result = await new DebateEngine(h.ports).run(spec([A, B]), never());
    expect(result.agentFailures).toEqual([]);
  });

  it('refuses an invalid debate before calling anyone', async () => {
    expect(() => spec([A])).toThrow(InvalidDebateError);
    expect(() => spec([A, B], { rounds: 0 })).toThrow(/rounds/);
    const h = harness();
    const duplicate = { ...spec([A, B]) };
    duplicate.participants = [duplicate.participants[0]!, duplicate.participants[0]!];
    await expect(new DebateEngine(h.ports).run(duplicate, never())).rejects.toThrow(/unique/);
    expect(h.agents.calls).toEqual([]);
    expect(() => new DebateEngine(h.ports, { concurrency: { critiques: 0 } })).toThrow(
      InvalidDebateError,
    );
  });

  it('names repeated agents demo, demo#2 … and fills in the SPEC defaults', () => {
    expect(participantIds(['demo', 'demo', 'x', 'demo'])).toEqual([
      'demo',
      'demo#2',
      'x',
      'demo#3',
    ]);
    const created = createDebateSpec({
      debateId: 'd',
      task: 'q?',
      participants: [{ agent: 'demo' }, { agent: 'demo' }],
    });
    expect(created).toMatchObject({
      rounds: 9,
      consensus: 'hybrid',
      convergence: { converged: 0.85, diverging: 0.4 },
    });
    expect(created.participants.map((p) => [p.id, p.agent, p.elo.global])).toEqual([
      ['demo', 'demo', 1500],
      ['demo#2', 'demo', 1500],
    ]);
  });
});
