import type { PreparedFrame } from './prepared-frame';

/** The part of a socket the queue writes to. */
export interface FrameSink {
  /** Bytes accepted by send() but not yet handed to the kernel. */
  readonly bufferedAmount: number;
  send(frame: PreparedFrame): void;
}

export interface OutboundLimits {
  /** Above this many bytes in the socket's buffer, frames wait in the queue instead. */
  readonly highWaterBytes: number;
  /** Frames waiting, at most (ARAGORA_USER_EVENT_QUEUE_SIZE). */
  readonly maxFrames: number;
  /** Bytes waiting, at most. */
  readonly maxBytes: number;
  /** How long the socket may stay congested (above high water, or frames waiting). */
  readonly maxStallMs: number;
}

/** `ok`, or why the consumer must be cut. */
export type OutboundVerdict = 'ok' | 'overflow' | 'stalled';

interface Waiting {
  readonly frame: PreparedFrame;
  /** Epoch ms of the event, NaN for frames that are not live events. */
  readonly eventTs: number;
}

/**
 * One connection's outgoing frames. Frames go straight to the socket while its buffer is below
 * high water; beyond that they wait here, bounded by count and bytes, so that a consumer that
 * does not read costs at most high water + the queue bound before it is cut, never unbounded
 * memory. Frames are shared buffers: one event fanned out to many sockets is serialized once.
 */
export class OutboundQueue {
  /** Sent slots before `head` are cleared so their frames can be collected. */
  private waiting: (Waiting | undefined)[] = [];
  private head = 0;
  private waitingBytes = 0;
  private congestedSince: number | null = null;

  constructor(
    private readonly sink: FrameSink,
    private readonly limits: OutboundLimits,
    /** Called for every frame written, with the event's epoch ms (NaN when not an event). */
    private readonly onWritten: (eventTs: number, now: number) => void,
  ) {}

  get length(): number {
    return this.waiting.length - this.head;
  }

  get congested(): boolean {
    return this.congestedSince !== null;
  }

  push(frame: PreparedFrame, eventTs: number, now: number): OutboundVerdict {
    if (this.length === 0 && this.sink.bufferedAmount < this.limits.highWaterBytes) {
      this.sink.send(frame);
      this.onWritten(eventTs, now);
      return 'ok';
    }
    this.waiting.push({ frame, eventTs });
    this.waitingBytes += frame.length;
    this.congestedSince ??= now;
    if (this.length > this.limits.maxFrames || this.waitingBytes > this.limits.maxBytes) {
      return 'overflow';
    }
    return 'ok';
  }

  /** Writes what the socket takes now; called while congested (and whenever it may have drained). */
  drain(now: number): OutboundVerdict {
    while (
      this.head < this.waiting.length &&
      this.sink.bufferedAmount < this.limits.highWaterBytes
    ) {
      const next = this.waiting[this.head];
      this.waiting[this.head++] = undefined;
      if (!next) continue;
      this.waitingBytes -= next.frame.length;
      this.sink.send(next.frame);
      this.onWritten(next.eventTs, now);
    }
    if (this.head === this.waiting.length) {
      this.waiting = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.waiting.length) {
      this.waiting = this.waiting.slice(this.head);
      this.head = 0;
    }
    if (this.length === 0 && this.sink.bufferedAmount < this.limits.highWaterBytes) {
      this.congestedSince = null;
      return 'ok';
    }
    this.congestedSince ??= now;
    return now - this.congestedSince > this.limits.maxStallMs ? 'stalled' : 'ok';
  }

  /** Forgets every waiting frame (the connection is being cut or closed). */
  clear(): void {
    this.waiting = [];
    this.head = 0;
    this.waitingBytes = 0;
    this.congestedSince = null;
  }
}
