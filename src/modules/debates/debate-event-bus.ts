/**
 * The largest seq an event can have: the event log's `seq` column is a PostgreSQL `integer`. A
 * client's `after_seq` beyond it names nothing and is refused as invalid input, not sent to a
 * query that would fail.
 */
export const MAX_EVENT_SEQ = 2_147_483_647;

/** A debate event as it travels to subscribers (WebSocket gateway, SSE, tests). */
export interface BusEvent {
  readonly debateId: string;
  readonly tenantId: string;
  readonly type: string;
  /** Null for ephemeral events (token_delta, heartbeat), which are not in the log. */
  readonly seq: number | null;
  /** Epoch milliseconds. */
  readonly ts: number;
  readonly round: number | null;
  readonly agent: string | null;
  readonly data: unknown;
}

export type BusListener = (event: BusEvent) => void;

/**
 * Where debate events are published once durable (and ephemeral ones at once). In-process by
 * default; the distributed mode adds a Redis pub/sub adapter behind the same interface.
 */
export interface DebateEventBus {
  publish(events: readonly BusEvent[]): void;
  subscribe(listener: BusListener): () => void;
  close(): Promise<void>;
}

export const DEBATE_EVENT_BUS = Symbol('DEBATE_EVENT_BUS');

export class InProcessEventBus implements DebateEventBus {
  private readonly listeners = new Set<BusListener>();

  constructor(private readonly onListenerError: (error: unknown) => void = () => undefined) {}

  publish(events: readonly BusEvent[]): void {
    for (const event of events) {
      for (const listener of this.listeners) {
        // A failing subscriber must never fail the debate that published the event.
        try {
          listener(event);
        } catch (error) {
          this.onListenerError(error);
        }
      }
    }
  }

  subscribe(listener: BusListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): Promise<void> {
    this.listeners.clear();
    return Promise.resolve();
  }
}
