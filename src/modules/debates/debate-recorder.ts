import type {
  PhaseName,
  Checkpoint,
  CheckpointStore,
  DebateEvent,
  EventSink,
  TokenDeltaEvent,
} from '@aragora/debate-engine';
import { toStoredMessage, withoutMessages } from './checkpoint-storage';
import type { BusEvent, DebateEventBus } from './debate-event-bus';
import { GENESIS_HASH, linkEvent } from './event-chain';
import type { DebatesRepository, StoredEvent } from './debates.repository';

export interface RecorderTarget {
  readonly debateId: string;
  readonly tenantId: string;
  /** This node's lease owner id: writes are fenced by it. */
  readonly owner: string;
  /** The log's last hash (null for a new debate) and seq. */
  readonly lastHash: string | null;
  readonly lastSeq: number;
  /** Message ids already stored (a resumed debate). */
  readonly storedMessages: Iterable<string>;
  /** The phase the run starts with. */
  readonly nextPhase: PhaseName;
}

/**
 * The engine's event sink and checkpoint store for one run. Events are chained and buffered; at
 * each checkpoint (the end of a phase) the phase's events, new messages and the checkpoint go to
 * PostgreSQL in one transaction, and only then to subscribers — nobody sees an event the log
 * could lose.
 */
export class DebateRecorder implements EventSink, CheckpointStore {
  private pending: StoredEvent[] = [];
  /** The engine's debate_end, published once the runner has written the final row. */
  private ending: StoredEvent[] = [];
  private prevHash: string;
  /** Hash and seq of the last event known to be in the log. */
  private durableHash: string;
  private durableSeq: number;
  private readonly written: Set<string>;

  private phase: PhaseName;
  private phaseStartedAt = Date.now();

  constructor(
    private readonly target: RecorderTarget,
    private readonly repository: DebatesRepository,
    private readonly bus: DebateEventBus,
    /** Told when each phase's results are durable, with how long the phase took. */
    private readonly onPhase?: (phase: PhaseName, ms: number, checkpoint: Checkpoint) => void,
  ) {
    this.phase = target.nextPhase;
    this.prevHash = target.lastHash ?? GENESIS_HASH;
    this.durableHash = this.prevHash;
    this.durableSeq = target.lastSeq;
    this.written = new Set(target.storedMessages);
  }

  /** Seq of the last durable event: an app event (debate_end of a cancel) takes the next one. */
  get lastSeq(): number {
    return this.durableSeq;
  }

  emit(event: DebateEvent): Promise<void> {
    this.pending.push(
      this.chain(event.seq, event.type, event.ts, event.round, event.agent, event.data),
    );
    return Promise.resolve();
  }

  ephemeral(event: TokenDeltaEvent): void {
    this.bus.publish([
      {
        debateId: this.target.debateId,
        tenantId: this.target.tenantId,
        type: event.type,
        seq: null,
        ts: event.ts,
        round: event.round,
        agent: event.agent,
        data: event.data,
      },
    ]);
  }

  async save(checkpoint: Checkpoint): Promise<void> {
    const events = this.pending;
    const messages = checkpoint.state.messages
      .map((m, position) => ({ m, position }))
      .filter(({ m }) => !this.written.has(m.id));
    const usage = messages.reduce(
      (sum, { m }) => ({
        inputTokens: sum.inputTokens + m.usage.inputTokens,
        outputTokens: sum.outputTokens + m.usage.outputTokens,
      }),
      { inputTokens: 0, outputTokens: 0 },
    );
    await this.repository.writePhase(
      this.target.debateId,
      this.target.tenantId,
      this.target.owner,
      {
        events,
        messages: messages.map(({ m, position }) => toStoredMessage(m, position)),
        checkpoint: withoutMessages(checkpoint) as unknown as Record<string, unknown>,
        usage,
      },
    );
    this.pending = [];
    this.commit(events);
    for (const { m } of messages) this.written.add(m.id);
    const end = events.findIndex((e) => e.type === 'debate_end');
    if (end === -1) {
      this.publish(events);
    } else {
      this.publish(events.slice(0, end));
      this.ending.push(...events.slice(end));
    }
    const now = Date.now();
    this.onPhase?.(this.phase, now - this.phaseStartedAt, checkpoint);
    this.phase = checkpoint.next.phase;
    this.phaseStartedAt = now;
  }

  /**
   * Drops the events of the phase an abort interrupted: its messages are not in the checkpoint,
   * so the log keeps only what the transcript keeps.
   */
  discardPending(): void {
    this.pending = [];
    this.prevHash = this.durableHash;
  }

  /** The next event the app adds outside the engine (debate_end of a cancel or timeout). */
  appendEvent(type: string, ts: number, data: Record<string, unknown>): StoredEvent {
    this.discardPending();
    return this.chain(this.durableSeq + 1, type, ts, undefined, undefined, data);
  }

  /**
   * The engine's debate_end, held back by `save` so that whoever receives it and reads the debate
   * sees it ended (status, verdict): the runner publishes it after writing the final row.
   */
  takeEnding(): StoredEvent[] {
    const ending = this.ending;
    this.ending = [];
    return ending;
  }

  /** Marks events as written by someone else (the finish transaction). */
  commit(events: readonly StoredEvent[]): void {
    const last = events.at(-1);
    if (!last) return;
    this.durableHash = last.hash;
    this.durableSeq = last.seq;
  }

  publish(events: readonly StoredEvent[]): void {
    this.bus.publish(events.map((e) => toBusEvent(this.target, e)));
  }

  private chain(
    seq: number,
    type: string,
    ts: number,
    round: number | undefined,
    agent: string | undefined,
    data: unknown,
  ): StoredEvent {
    const stored = linkEvent(this.target.debateId, this.prevHash, {
      seq,
      type,
      ts: new Date(ts),
      round: round ?? null,
      agent: agent ?? null,
      data: data as Record<string, unknown>,
    });
    this.prevHash = stored.hash;
    return stored;
  }
}

export function toBusEvent(
  target: { debateId: string; tenantId: string },
  e: Pick<StoredEvent, 'seq' | 'type' | 'ts' | 'round' | 'agent' | 'data'>,
): BusEvent {
  return {
    debateId: target.debateId,
    tenantId: target.tenantId,
    type: e.type,
    seq: e.seq,
    ts: e.ts.getTime(),
    round: e.round,
    agent: e.agent,
    data: e.data,
  };
}
