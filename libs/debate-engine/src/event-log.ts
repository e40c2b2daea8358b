import type { DebateEvent, DebateEventDraft, TokenDeltaEvent } from './events';
import type { Clock, EventSink } from './ports';

/**
 * Stamps seq and ts and hands events to the sink strictly one after another, so the sink
 * persists them in seq order. After a failed write nothing more is written: a later event
 * would leave a gap in the log.
 */
export class EventLog {
  private assigned: number;
  private written: number;
  private tail: Promise<void> = Promise.resolve();
  private broken: { error: unknown } | null = null;

  constructor(
    private readonly sink: EventSink,
    private readonly clock: Clock,
    lastSeq: number,
  ) {
    this.assigned = lastSeq;
    this.written = lastSeq;
  }

  /** Seq of the last event the sink accepted. */
  get lastSeq(): number {
    return this.written;
  }

  emit(draft: DebateEventDraft): Promise<void> {
    const event: DebateEvent = { ...draft, seq: ++this.assigned, ts: this.clock.now() };
    const write = this.tail.then(async () => {
      if (this.broken) throw this.broken.error;
      try {
        await this.sink.emit(event);
        this.written = event.seq;
      } catch (error) {
        this.broken = { error };
        throw error;
      }
    });
    this.tail = write.catch(() => undefined);
    return write;
  }

  /** Best effort: a lost delta must not fail the agent's call (the full text is durable anyway). */
  delta(event: Omit<TokenDeltaEvent, 'ts'>): void {
    try {
      this.sink.ephemeral({ ...event, ts: this.clock.now() });
    } catch {
      // dropped
    }
  }
}
