import type { BusEvent, DebateEventBus } from '../debates/debate-event-bus';
import { liveEnvelope } from './gateway.protocol';
import { textFrame, type PreparedFrame } from './prepared-frame';
import type { Sequenced } from './replay-seam';
import { TokenDeltaCoalescer } from './token-delta-coalescer';

/** An event ready for the wire: framed once, the same buffer written to every subscriber's socket. */
export interface OutgoingEvent extends Sequenced {
  readonly frame: PreparedFrame;
  /** Epoch ms of a live event; NaN for a replayed one (its age is not a delivery latency). */
  readonly ts: number;
}

/** One subscription of one connection to one debate. */
export interface FanoutTarget {
  readonly tenantId: string;
  push(item: OutgoingEvent): void;
}

export interface FanoutOptions {
  readonly batchSize: number;
  readonly intervalMs: number;
}

/**
 * The gateway's single listener on the event bus: routes each event of a watched debate to its
 * subscriptions, coalescing token deltas first. Events of debates nobody here watches are
 * dropped at once, before any work.
 */
export class DebateFanout {
  private readonly targets = new Map<string, Set<FanoutTarget>>();
  private readonly coalescer: TokenDeltaCoalescer;
  private readonly unsubscribe: () => void;

  constructor(bus: DebateEventBus, options: FanoutOptions) {
    this.coalescer = new TokenDeltaCoalescer({
      batchSize: options.batchSize,
      intervalMs: options.intervalMs,
      emit: (event) => this.route(event),
    });
    this.unsubscribe = bus.subscribe((event) => {
      if (this.targets.has(event.debateId)) this.coalescer.push(event);
    });
  }

  add(debateId: string, target: FanoutTarget): void {
    let set = this.targets.get(debateId);
    if (!set) {
      set = new Set();
      this.targets.set(debateId, set);
    }
    set.add(target);
  }

  remove(debateId: string, target: FanoutTarget): void {
    const set = this.targets.get(debateId);
    if (!set?.delete(target) || set.size > 0) return;
    this.targets.delete(debateId);
    this.coalescer.forget(debateId);
  }

  close(): void {
    this.unsubscribe();
    this.coalescer.close();
    this.targets.clear();
  }

  private route(event: BusEvent): void {
    const set = this.targets.get(event.debateId);
    if (!set) return;
    const item: OutgoingEvent = {
      seq: event.seq,
      frame: textFrame(liveEnvelope(event)),
      ts: event.ts,
    };
    // The tenant is checked at subscribe time; this keeps a foreign event out even so.
    for (const target of set) if (target.tenantId === event.tenantId) target.push(item);
  }
}
