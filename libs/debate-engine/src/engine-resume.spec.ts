import {
  abortOutcome,
  DebateAbortedError,
  DebateEngine,
  forkCheckpoint,
  type Checkpoint,
  type DebateEvent,
  type DebateResult,
  type DebateSpec,
} from './index';
import {
  harness,
  MemoryStore,
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

/** Three rounds that refine without converging, then a split vote the judge settles (hybrid). */
const script: Script = voting({ [A]: A, [B]: B, [C]: C }, (call) =>
  call.kind === 'revision'
    ? reply(
        `${call.ownPosition ?? ''}; round ${call.round} adds eviction ttl${call.round} notes${call.round}`,
      )
    : null,
);

function debate(): DebateSpec {
  return spec([A, B, C], { rounds: 3, consensus: 'hybrid' });
}

/** Events without their timestamps (the clock differs between runs). */
function comparable(events: DebateEvent[]): unknown[] {
  return events.map(({ ts: _ts, ...rest }) => rest);
}

interface Baseline {
  result: DebateResult;
  checkpoints: Checkpoint[];
  /** Agent calls made before each checkpoint was saved. */
  callsAtSave: number[];
  keys: string[];
  events: DebateEvent[];
}

async function baseline(): Promise<Baseline> {
  const h = harness(new ScriptedAgents(script));
  const callsAtSave: number[] = [];
  const store = new MemoryStore();
  h.ports.checkpoints = {
    save: (checkpoint) => {
      callsAtSave.push(h.agents.calls.length);
      return store.save(checkpoint);
    },
  };
  const result = await new DebateEngine(h.ports).run(debate(), never());
  return {
    result,
    checkpoints: store.saved,
    callsAtSave,
    keys: h.agents.keys(),
    events: h.sink.events,
  };
}

describe('DebateEngine: resume', () => {
  it('continues exactly from every checkpoint without repeating a completed call', async () => {
    const base = await baseline();
    expect(base.checkpoints.map((c) => c.next.phase)).toEqual([
      'proposals',
      'critiques',
      'revisions',
      'convergence',
      'critiques',
      'revisions',
      'convergence',
      'critiques',
      'revisions',
      'convergence',
      'vote',
      'consensus',
      'synthesis',
      'finish',
      'done',
    ]);
    expect(base.result.consensus.method).toBe('judge');

    for (const [i, checkpoint] of base.checkpoints.entries()) {
      const h = harness(new ScriptedAgents(script));
      const result = await new DebateEngine(h.ports).run(checkpoint, never(), {
        lastSeq: checkpoint.lastSeq,
      });
      expect(result).toEqual(base.result);
      // exactly the calls of the phases after the checkpoint, none of those before
      expect(h.agents.keys().sort()).toEqual(base.keys.slice(base.callsAtSave[i]).sort());
      // and the same events, numbered on from the checkpoint
      expect(comparable(h.sink.events)).toEqual(
        comparable(base.events.filter((e) => e.seq > checkpoint.lastSeq)),
      );
      if (checkpoint.next.phase !== 'done') expect(h.store.last()).toEqual(base.checkpoints.at(-1));
    }
  });

  it('numbers on after the log’s last seq when the log is ahead of the checkpoint', async () => {
    const base = await baseline();
    const checkpoint = base.checkpoints[4] as Checkpoint;
    const h = harness(new ScriptedAgents(script));
    await new DebateEngine(h.ports).run(checkpoint, never(), { lastSeq: checkpoint.lastSeq + 5 });
    expect(h.sink.seqs()[0]).toBe(checkpoint.lastSeq + 6);
  });

  it('numbers events gap-free from the given lastSeq + 1', async () => {
    const h = harness();
    await new DebateEngine(h.ports).run(spec([A, B]), never(), { lastSeq: 41 });
    expect(h.sink.seqs()).toEqual(h.sink.events.map((_, i) => 42 + i));
    expect(h.store.saved.map((c) => c.lastSeq)).toEqual(
      [...h.store.saved.map((c) => c.lastSeq)].sort((x, y) => x - y),
    );
  });

  it('returns the stored result for a finished checkpoint without calling anyone', async () => {
    const base = await baseline();
    const h = harness(new ScriptedAgents(script));
    const done = base.checkpoints.at(-1) as Checkpoint;
    await expect(new DebateEngine(h.ports).run(done, never())).resolves.toEqual(base.result);
    expect(h.agents.calls).toEqual([]);
    expect(h.sink.events).toEqual([]);
  });
});

describe('DebateEngine: abort', () => {
  it('stops mid-round with every completed round in the checkpoint, then resumes to the same result', async () => {
    const base = await baseline();
    const controller = new AbortController();
    const agents = new ScriptedAgents(script, undefined, (call) => {
      if (call.kind === 'revision' && call.round === 2) {
        controller.abort(new DOMException('debate timeout', 'TimeoutError'));
      }
    });
    const h = harness(agents);
    const error = await new DebateEngine(h.ports).run(debate(), controller.signal).then(
      () => null,
      (e: unknown) => e,
    );

    expect(error).toBeInstanceOf(DebateAbortedError);
    const aborted = error as DebateAbortedError;
    expect(abortOutcome(aborted.reason)).toBe('timed_out');
    expect(aborted.checkpoint.next).toEqual({ phase: 'revisions', round: 2 });
    expect(aborted.checkpoint.state.roundsCompleted).toBe(1);
    expect(aborted.checkpoint).toEqual(h.store.last());
    expect(aborted.lastSeq).toBe(h.sink.seqs().at(-1));
    // an abort is not the agents' failure, and the engine leaves debate_end to the app
    expect(h.sink.types()).not.toContain('agent_error');
    expect(h.sink.types()).not.toContain('debate_end');
    expect(aborted.checkpoint.state.failures).toEqual([]);

    const resumed = harness(new ScriptedAgents(script));
    const result = await new DebateEngine(resumed.ports).run(aborted.checkpoint, never(), {
      lastSeq: aborted.lastSeq,
    });
    expect(result).toEqual(base.result);
    expect(resumed.sink.seqs()[0]).toBe(aborted.lastSeq + 1);
    expect(resumed.agents.calls.some((c) => c.kind === 'critique' && c.round <= 2)).toBe(false);
  });

  it('reports a cancel (any other reason) as cancelled, and aborts before starting', async () => {
    const controller = new AbortController();
    controller.abort();
    const h = harness();
    const error = await new DebateEngine(h.ports).run(spec([A, B]), controller.signal).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DebateAbortedError);
    expect(abortOutcome((error as DebateAbortedError).reason)).toBe('cancelled');
    expect(h.agents.calls).toEqual([]);
  });

  it('rejects with the sink’s error and writes nothing after it (no gap)', async () => {
    const h = harness();
    let accepted = 0;
    h.ports.events = {
      emit: (event) => {
        if (event.seq === 5) return Promise.reject(new Error('database down'));
        accepted = event.seq;
        return Promise.resolve();
      },
      ephemeral: () => undefined,
    };
    await expect(new DebateEngine(h.ports).run(spec([A, B, C]), never())).rejects.toThrow(
      'database down',
    );
    expect(accepted).toBe(4);
  });
});

describe('DebateEngine: concurrency', () => {
  const twelve = Array.from({ length: 12 }, (_, i) => `agent-${i}`);
  // uneven latencies so calls overlap in every pattern
  const latency = (call: { messageId: string }): number => (call.messageId.length % 4) + 1;

  it('never runs more calls of a phase at once than its limit (defaults 5/10/5)', async () => {
    const agents = new ScriptedAgents(() => null, latency);
    const h = harness(agents);
    await new DebateEngine(h.ports).run(spec(twelve), never());
    expect(agents.ofKind('critique')).toHaveLength(12 * 11);
    expect(agents.maxInFlight).toMatchObject({ proposal: 5, critique: 10, revision: 5, vote: 5 });
  });

  it('honours configured limits', async () => {
    const agents = new ScriptedAgents(() => null, latency);
    const h = harness(agents);
    await new DebateEngine(h.ports, {
      concurrency: { proposals: 2, critiques: 3, revisions: 1, votes: 4 },
    }).run(spec(twelve), never());
    expect(agents.maxInFlight).toMatchObject({ proposal: 2, critique: 3, revision: 1, vote: 4 });
  });
});

describe('DebateEngine: fork', () => {
  it('inherits the transcript up to round k and continues with round k+1 critiques', async () => {
    const base = await baseline();
    const parent = (base.checkpoints.at(-1) as Checkpoint).state;
    const fork = forkCheckpoint(parent, {
      debateId: 'd2',
      fromRound: 1,
      context: 'Budget is tight',
    });
    const h = harness(new ScriptedAgents(script));
    const result = await new DebateEngine(h.ports).run(fork, never());

    expect(h.agents.calls[0]).toMatchObject({ kind: 'critique', round: 2 });
    expect(h.agents.ofKind('proposal')).toEqual([]);
    expect(h.agents.ofKind('revision')[0]?.messages[0]?.content).toContain('Budget is tight');
    expect(h.sink.events[0]).toMatchObject({
      type: 'debate_start',
      seq: 1,
      data: { fork: { parentId: 'd1', fromRound: 1 } },
    });
    expect(h.sink.events[1]).toMatchObject({ type: 'round_start', round: 2 });
    expect(result.debateId).toBe('d2');
    expect(result.roundsCompleted).toBe(3);
    // the inherited round 1 revisions are in the fork's transcript
    const state = h.store.last()?.state;
    expect(state?.messages.filter((m) => m.id.startsWith('r1:revision'))).toHaveLength(3);
  });

  it('rejects a fork from a round the parent never completed', async () => {
    const base = await baseline();
    const parent = (base.checkpoints[3] as Checkpoint).state;
    expect(() => forkCheckpoint(parent, { debateId: 'd3', fromRound: 2 })).toThrow(/fromRound/);
  });
});
