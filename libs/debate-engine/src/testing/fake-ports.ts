/**
 * Test doubles for the engine's ports (specs only: excluded from the build and the package).
 * The scripted agent answers as a function of the invocation alone, never of call order, so a
 * resumed run sees exactly the replies an uninterrupted one would.
 */
import type {
  AgentInvocation,
  AgentPort,
  AgentReply,
  CallKind,
  Checkpoint,
  DebateEvent,
  DebatePorts,
  DebateSpec,
  EventSink,
  HumanVote,
  TokenDeltaEvent,
} from '../index';
import { createDebateSpec, type DebateSpecInput } from '../index';

export type Scripted = AgentReply | Error;

export interface Script {
  /** Return null to fall back to the default reply for this call. */
  (call: AgentInvocation, attempt: number): Scripted | null;
}

const usage = { inputTokens: 10, outputTokens: 5 };

export function reply(text: string, object?: unknown): AgentReply {
  return object === undefined ? { text, usage } : { text, object, usage };
}

/** A plausible default for every kind: revisions keep the position (so debates converge). */
export function defaultReply(call: AgentInvocation): AgentReply {
  const first = call.candidates?.[0]?.id ?? '';
  switch (call.kind) {
    case 'proposal':
      return reply(`${call.participant} proposes caching reads with a write-through layer`);
    case 'critique':
      return reply('critique', {
        issues: ['misses eviction'],
        suggestions: ['add TTL'],
        severity: 3,
      });
    case 'revision':
      return reply(call.ownPosition ?? '');
    case 'vote':
      return reply('vote', { choice: first, confidence: 0.8, reasoning: `${first} is clearest` });
    case 'judge':
      return reply('verdict', { choice: first, confidence: 0.9, reasoning: 'best argued' });
    case 'synthesis':
      return reply(`final answer from ${call.candidates?.map((c) => c.id).join(' and ') ?? ''}`);
  }
}

/** Key of one logical call: the same key on a resumed run means the same call was repeated. */
export function callKey(call: AgentInvocation): string {
  return call.messageId;
}

export class ScriptedAgents implements AgentPort {
  readonly calls: AgentInvocation[] = [];
  readonly inFlight: Record<CallKind, number> = zeroes();
  readonly maxInFlight: Record<CallKind, number> = zeroes();
  private readonly attempts = new Map<string, number>();

  constructor(
    private readonly script: Script = () => null,
    /** setImmediate turns to wait before answering, by call: spreads completions out. */
    private readonly delay: (call: AgentInvocation) => number = () => 1,
    /** Runs as a call starts, before any wait: lets a test abort at an exact point. */
    private readonly onCall: (call: AgentInvocation) => void = () => undefined,
  ) {}

  async invoke(call: AgentInvocation, signal: AbortSignal): Promise<AgentReply> {
    this.calls.push(call);
    const attempt = (this.attempts.get(call.messageId) ?? 0) + 1;
    this.attempts.set(call.messageId, attempt);
    this.inFlight[call.kind]++;
    this.maxInFlight[call.kind] = Math.max(this.maxInFlight[call.kind], this.inFlight[call.kind]);
    try {
      this.onCall(call);
      for (let i = 0; i < this.delay(call); i++) {
        signal.throwIfAborted();
        await new Promise((resolve) => setImmediate(resolve));
      }
      signal.throwIfAborted();
      const answer = this.script(call, attempt) ?? defaultReply(call);
      if (answer instanceof Error) throw answer;
      // a deliberately malformed reply (no text) has nothing to stream
      if (call.stream && call.onDelta && typeof answer.text === 'string') {
        for (const word of answer.text.split(' ')) call.onDelta(word);
      }
      return answer;
    } finally {
      this.inFlight[call.kind]--;
    }
  }

  keys(): string[] {
    return this.calls.map(callKey);
  }

  ofKind(kind: CallKind): AgentInvocation[] {
    return this.calls.filter((c) => c.kind === kind);
  }
}

function zeroes(): Record<CallKind, number> {
  return { proposal: 0, critique: 0, revision: 0, vote: 0, judge: 0, synthesis: 0 };
}

export class RecordingSink implements EventSink {
  readonly events: DebateEvent[] = [];
  readonly deltas: TokenDeltaEvent[] = [];

  emit(event: DebateEvent): Promise<void> {
    this.events.push(event);
    return Promise.resolve();
  }

  ephemeral(event: TokenDeltaEvent): void {
    this.deltas.push(event);
  }

  types(): string[] {
    return this.events.map((e) => e.type);
  }

  seqs(): number[] {
    return this.events.map((e) => e.seq);
  }
}

/** Stores checkpoints as jsonb would: through JSON. */
export class MemoryStore {
  readonly saved: Checkpoint[] = [];

  save(checkpoint: Checkpoint): Promise<void> {
    this.saved.push(JSON.parse(JSON.stringify(checkpoint)) as Checkpoint);
    return Promise.resolve();
  }

  last(): Checkpoint | undefined {
    return this.saved.at(-1);
  }
}

export interface Harness {
  ports: DebatePorts;
  agents: ScriptedAgents;
  sink: RecordingSink;
  store: MemoryStore;
}

export function harness(
  agents: ScriptedAgents = new ScriptedAgents(),
  humanVotes: HumanVote[] = [],
): Harness {
  const sink = new RecordingSink();
  const store = new MemoryStore();
  let now = 1_000;
  return {
    agents,
    sink,
    store,
    ports: {
      agents,
      events: sink,
      checkpoints: store,
      humanVotes: { current: () => Promise.resolve(humanVotes) },
      clock: { now: () => now++ },
    },
  };
}

export function spec(
  agents: (string | { agent: string; elo: number })[],
  overrides: Partial<Omit<DebateSpecInput, 'participants'>> = {},
): DebateSpec {
  return createDebateSpec({
    debateId: 'd1',
    task: 'How should we cache reads in a busy service?',
    rounds: 1,
    consensus: 'majority',
    ...overrides,
    participants: agents.map((a) =>
      typeof a === 'string' ? { agent: a } : { agent: a.agent, elo: { global: a.elo } },
    ),
  });
}

/** A script that makes each participant vote as `votes` says (others fall back to the default). */
export function voting(votes: Record<string, string>, base: Script = () => null): Script {
  return (call, attempt) => {
    const choice = votes[call.participant];
    if (call.kind === 'vote' && choice !== undefined) {
      return reply('vote', {
        choice,
        confidence: 0.7,
        reasoning: `${choice} wins for ${call.participant}`,
      });
    }
    return base(call, attempt);
  };
}

export const never = (): AbortSignal => new AbortController().signal;
