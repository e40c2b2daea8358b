import type { BusEvent } from '../debates/debate-event-bus';

export interface CoalescerTimers {
  set(run: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export interface CoalescerOptions {
  /** Deltas merged into one event at most (ARAGORA_STREAM_BATCH_SIZE). */
  readonly batchSize: number;
  /** Longest a delta waits for others (ARAGORA_STREAM_DRAIN_INTERVAL_MS). */
  readonly intervalMs: number;
  readonly emit: (event: BusEvent) => void;
  readonly timers?: CoalescerTimers;
}

interface DeltaData {
  readonly messageId: string;
  readonly text: string;
}

interface Batch {
  readonly first: BusEvent;
  readonly texts: string[];
}

const realTimers: CoalescerTimers = {
  set: (run, ms) => setTimeout(run, ms),
  clear: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

function deltaData(event: BusEvent): DeltaData | undefined {
  if (event.type !== 'token_delta' || typeof event.data !== 'object' || event.data === null) {
    return undefined;
  }
  const data = event.data as Partial<DeltaData>;
  return typeof data.messageId === 'string' && typeof data.text === 'string'
    ? (data as DeltaData)
    : undefined;
}

/**
 * Merges consecutive token deltas of one streamed message (debate, agent, messageId) into one
 * event of up to `batchSize` deltas, sent at the latest `intervalMs` after the first. Any other
 * event of a debate first flushes that debate's pending deltas, so the order clients see stays
 * the order of the stream (deltas of a message before the message itself).
 */
export class TokenDeltaCoalescer {
  /** debateId → (agent, messageId) → batch. */
  private readonly pending = new Map<string, Map<string, Batch>>();
  private timer: unknown;
  private readonly timers: CoalescerTimers;

  constructor(private readonly options: CoalescerOptions) {
    this.timers = options.timers ?? realTimers;
  }

  push(event: BusEvent): void {
    const delta = deltaData(event);
    if (!delta || this.options.batchSize <= 1) {
      this.flushDebate(event.debateId);
      this.options.emit(event);
      return;
    }
    let batches = this.pending.get(event.debateId);
    if (!batches) {
      batches = new Map();
      this.pending.set(event.debateId, batches);
    }
    const key = `${event.agent ?? ''}\u0000${delta.messageId}`;
    const batch = batches.get(key);
    if (!batch) {
      batches.set(key, { first: event, texts: [delta.text] });
      this.arm();
      return;
    }
    batch.texts.push(delta.text);
    if (batch.texts.length >= this.options.batchSize) {
      batches.delete(key);
      if (batches.size === 0) this.pending.delete(event.debateId);
      this.options.emit(merged(batch));
    }
  }

  /** Sends every pending batch now. */
  flushAll(): void {
    this.disarm();
    const debates = [...this.pending.keys()];
    for (const debateId of debates) this.flushDebate(debateId);
  }

  /** Drops the pending deltas of a debate nobody listens to any more. */
  forget(debateId: string): void {
    this.pending.delete(debateId);
  }

  close(): void {
    this.disarm();
    this.pending.clear();
  }

  private flushDebate(debateId: string): void {
    const batches = this.pending.get(debateId);
    if (!batches) return;
    this.pending.delete(debateId);
    for (const batch of batches.values()) this.options.emit(merged(batch));
  }

  private arm(): void {
    if (this.timer !== undefined) return;
    this.timer = this.timers.set(() => {
      this.timer = undefined;
      this.flushAll();
    }, this.options.intervalMs);
  }

  private disarm(): void {
    if (this.timer === undefined) return;
    this.timers.clear(this.timer);
    this.timer = undefined;
  }
}

/** One event for the whole batch: the first delta's envelope with the texts joined. */
function merged(batch: Batch): BusEvent {
  if (batch.texts.length === 1) return batch.first;
  return {
    ...batch.first,
    data: { ...(batch.first.data as object), text: batch.texts.join('') },
  };
}
