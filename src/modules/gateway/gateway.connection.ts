import { takeTokens, type TokenBucketState } from '@aragora/resilience';
import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { WebSocket } from 'ws';
import { NotFoundError } from '../../common/errors';
import type { Logger } from '../../common/logging/logger';
import type { DebateFanout, FanoutTarget, OutgoingEvent } from './debate-fanout';
import {
  ackFrame,
  errorFrame,
  helloFrame,
  isDebateId,
  parseClientMessage,
  replayEnvelope,
  type ClientMessage,
  type ErrorCode,
  type HelloLimits,
  type LoggedEvent,
} from './gateway.protocol';
import { OutboundQueue, type FrameSink, type OutboundLimits } from './outbound-queue';
import { socketOf, textFrame, type CorkBatch, type PreparedFrame } from './prepared-frame';
import { ReplaySeam } from './replay-seam';

/** The event log as the gateway reads it: tenant-scoped, throws NotFoundError for a foreign debate. */
export interface EventLog {
  page(
    tenantId: string,
    debateId: string,
    afterSeq: number,
    limit: number,
  ): Promise<{ readonly status: string; readonly items: readonly LoggedEvent[] }>;
}

export interface ConnectionLimits extends HelloLimits {
  readonly outbound: OutboundLimits;
  /** Rejected messages in a row before the connection is closed with 1008. */
  readonly rateLimitStrikes: number;
  readonly replayPageSize: number;
  /** How long a cut or closing connection may take to finish its close handshake. */
  readonly closeGraceMs: number;
}

/** What every connection shares: one object for all of them, not closures per socket. */
export interface ConnectionContext {
  readonly fanout: DebateFanout;
  readonly log: EventLog;
  readonly logger: Logger;
  readonly limits: ConnectionLimits;
  readonly cork: CorkBatch;
  readonly written: (eventTs: number, now: number) => void;
  slowConsumer(connection: GatewayConnection): void;
  congested(connection: GatewayConnection): void;
  closed(connection: GatewayConnection): void;
}

/** How often a paced replay looks whether the socket took its last page. */
const WRITABLE_POLL_MS = 20;

export const CLOSE_GOING_AWAY = 1001;
export const CLOSE_POLICY_VIOLATION = 1008;
export const CLOSE_TRY_AGAIN_LATER = 1013;

/** One subscription of this connection to one debate: the seam between the log and live events. */
class Subscription implements FanoutTarget {
  readonly seam: ReplaySeam<OutgoingEvent>;

  constructor(
    connection: GatewayConnection,
    readonly debateId: string,
    readonly tenantId: string,
    afterSeq: number,
    context: ConnectionContext,
  ) {
    this.seam = new ReplaySeam<OutgoingEvent>({
      afterSeq,
      pageSize: context.limits.replayPageSize,
      maxBuffered: context.limits.outbound.maxFrames,
      // The replay goes at the client's pace: a page is read once the last one was taken.
      fetchPage: async (after, limit) => {
        await connection.writable();
        return toOutgoing(
          debateId,
          (await context.log.page(tenantId, debateId, after, limit)).items,
        );
      },
      deliver: (item) => connection.deliver(item),
      onOverflow: () => connection.cutSlowConsumer(),
      onError: (error) => connection.replayFailed(this, error),
    });
  }

  push(item: OutgoingEvent): void {
    this.seam.push(item);
  }
}

function toOutgoing(debateId: string, items: readonly LoggedEvent[]): OutgoingEvent[] {
  return items.map((e) => ({
    seq: e.seq,
    frame: textFrame(replayEnvelope(debateId, e)),
    ts: NaN,
  }));
}

/**
 * One authenticated socket: the message protocol (subscribe, unsubscribe, ping), the per-socket
 * message rate limit, its subscriptions and its bounded outgoing queue. Kept small: an idle
 * connection holds no subscription map and no timer of its own.
 */
export class GatewayConnection implements FrameSink {
  private subscriptions: Map<string, Subscription> | undefined;
  private readonly queue: OutboundQueue;
  private readonly socket: Socket;
  private bucket: TokenBucketState | undefined;
  private strikes = 0;
  private closing = false;
  /** Epoch ms of the ping we wait a pong for; 0 when none. */
  private pingSentAt = 0;
  private lastPingAt: number;

  constructor(
    readonly id: string,
    readonly tenantId: string,
    /** The API key the socket authenticated with; null for anonymous. */
    readonly keyId: string | null,
    private readonly ws: WebSocket,
    private readonly context: ConnectionContext,
    now: number,
  ) {
    this.lastPingAt = now;
    this.socket = socketOf(ws);
    this.queue = new OutboundQueue(this, context.limits.outbound, context.written);
    ws.on('message', (data, isBinary) => this.onMessage(data, isBinary));
    ws.on('pong', () => (this.pingSentAt = 0));
    ws.on('close', () => this.onClose());
    // Protocol errors (a frame over the size limit: 1009) close the socket themselves.
    ws.on('error', (error) => context.logger.debug({ err: error, connection: id }, 'ws error'));
    this.sendControl(helloFrame(id, context.limits));
  }

  /**
   * ws's `bufferedAmount` is this plus what its sender holds back while compressing or reading a
   * Blob; with per-message deflate off and no Blob ever sent, that part is always 0, so the socket
   * alone is asked (once per frame per subscriber: one object less on the fan-out's path).
   */
  get bufferedAmount(): number {
    return this.socket.writableLength;
  }

  get subscriptionCount(): number {
    return this.subscriptions?.size ?? 0;
  }

  /** Frames are prepared (framed once for every subscriber) and written past ws's sender. */
  send(frame: PreparedFrame): void {
    if (this.ws.readyState !== this.ws.OPEN) return;
    this.context.cork.write(this.socket, frame);
  }

  /** An event for this socket, from the log or live, in the order the client must see it. */
  deliver(item: OutgoingEvent): void {
    if (this.closing) return;
    this.enqueue(item.frame, item.ts);
  }

  /** Writes what the socket takes now; false when the connection stays congested. */
  drain(now: number): boolean {
    if (this.closing) return false;
    if (this.queue.drain(now) !== 'ok') {
      this.cutSlowConsumer();
      return false;
    }
    return this.queue.congested;
  }

  /**
   * Resolves once the socket has taken what was written (no frame waiting, its buffer under high
   * water); a consumer that stays behind for longer than the stall bound is cut.
   */
  async writable(): Promise<void> {
    const { highWaterBytes, maxStallMs } = this.context.limits.outbound;
    const started = Date.now();
    while (!this.closing && (this.queue.length > 0 || this.bufferedAmount >= highWaterBytes)) {
      if (Date.now() - started > maxStallMs) {
        this.cutSlowConsumer();
        return;
      }
      await sleep(WRITABLE_POLL_MS);
    }
  }

  /** Pings every `intervalMs`; a peer that leaves a ping unanswered for `timeoutMs` is dropped. */
  heartbeat(now: number, intervalMs: number, timeoutMs: number): void {
    if (this.pingSentAt !== 0) {
      if (now - this.pingSentAt >= timeoutMs) this.ws.terminate();
      return;
    }
    if (now - this.lastPingAt < intervalMs) return;
    this.lastPingAt = now;
    this.pingSentAt = now;
    this.ws.ping();
  }

  /** A consumer that does not keep up is closed (1013) instead of growing memory. */
  cutSlowConsumer(): void {
    if (this.closing) return;
    this.context.slowConsumer(this);
    this.close(CLOSE_TRY_AGAIN_LATER, 'consumer too slow');
  }

  close(code: number, reason: string): void {
    if (this.closing) return;
    this.closing = true;
    this.queue.clear();
    this.dropSubscriptions();
    this.ws.close(code, reason);
    // A peer that does not answer the close frame (it is not reading) is not waited for long.
    setTimeout(() => this.ws.terminate(), this.context.limits.closeGraceMs).unref();
  }

  terminate(): void {
    this.ws.terminate();
  }

  replayFailed(subscription: Subscription, error: unknown): void {
    this.context.logger.warn({ err: error, debateId: subscription.debateId }, 'replay failed');
    this.drop(subscription);
    this.sendError('unavailable', 'The event log could not be read; subscribe again', {
      debateId: subscription.debateId,
    });
  }

  private onMessage(data: unknown, isBinary: boolean): void {
    if (this.closing) return;
    this.pingSentAt = 0; // any frame shows the peer is alive
    if (!this.allowMessage()) return;
    if (isBinary || !Buffer.isBuffer(data)) {
      this.sendError('invalid_message', 'Send JSON in text frames');
      return;
    }
    const parsed = parseClientMessage(data.toString('utf8'));
    if (!parsed.ok) {
      this.sendError(parsed.code, parsed.message, { id: parsed.id });
      return;
    }
    this.handle(parsed.message);
  }

  private handle(message: ClientMessage): void {
    switch (message.type) {
      case 'subscribe':
        void this.subscribe(message.debate_id, message.after_seq ?? 0, message.id);
        return;
      case 'unsubscribe': {
        const debateId = message.debate_id.toLowerCase();
        const subscription = this.subscriptions?.get(debateId);
        if (subscription) this.drop(subscription);
        this.sendControl(
          ackFrame('unsubscribe', message.id, {
            debate_id: debateId,
            was_subscribed: subscription !== undefined,
          }),
        );
        return;
      }
      case 'ping':
        this.sendControl(ackFrame('ping', message.id, { ts: new Date().toISOString() }));
        return;
    }
  }

  /**
   * Registers for live events first, then reads the log: whatever is published meanwhile is held
   * by the seam and released after the replay (no gap, no duplicate).
   */
  private async subscribe(
    rawId: string,
    afterSeq: number,
    id: string | number | undefined,
  ): Promise<void> {
    if (!isDebateId(rawId)) {
      this.sendError('not_found', `No debate ${rawId}`, { debateId: rawId, id });
      return;
    }
    const debateId = rawId.toLowerCase();
    this.subscriptions ??= new Map();
    if (this.subscriptions.has(debateId)) {
      this.sendError('already_subscribed', 'Already subscribed to this debate', { debateId, id });
      return;
    }
    if (this.subscriptions.size >= this.context.limits.maxSubscriptions) {
      this.sendError(
        'too_many_subscriptions',
        `At most ${this.context.limits.maxSubscriptions} subscriptions per connection`,
        { debateId, id },
      );
      return;
    }
    const subscription = new Subscription(this, debateId, this.tenantId, afterSeq, this.context);
    this.subscriptions.set(debateId, subscription);
    this.context.fanout.add(debateId, subscription);
    let first: { readonly status: string; readonly items: readonly LoggedEvent[] };
    try {
      first = await this.context.log.page(
        this.tenantId,
        debateId,
        afterSeq,
        this.context.limits.replayPageSize,
      );
    } catch (error) {
      if (this.subscriptions?.get(debateId) !== subscription) return;
      this.drop(subscription);
      if (error instanceof NotFoundError) {
        this.sendError('not_found', `No debate ${debateId}`, { debateId, id });
      } else {
        this.context.logger.warn({ err: error, debateId }, 'subscribe: the event log failed');
        this.sendError('unavailable', 'The event log could not be read; try again', {
          debateId,
          id,
        });
      }
      return;
    }
    // Unsubscribed (or closed) while the first page was being read.
    if (this.subscriptions?.get(debateId) !== subscription) return;
    this.sendControl(
      ackFrame('subscribe', id, { debate_id: debateId, after_seq: afterSeq, status: first.status }),
    );
    await subscription.seam.start(toOutgoing(debateId, first.items));
  }

  /** Token bucket per socket; a client that keeps flooding is closed with 1008. */
  private allowMessage(): boolean {
    const { messagesPerSecond, messageBurst, rateLimitStrikes } = this.context.limits;
    const decision = takeTokens(
      this.bucket,
      { capacity: messageBurst, refillPerSecond: messagesPerSecond },
      Date.now(),
    );
    this.bucket = decision.state;
    if (decision.allowed) {
      this.strikes = 0;
      return true;
    }
    this.strikes += 1;
    if (this.strikes >= rateLimitStrikes) {
      this.close(CLOSE_POLICY_VIOLATION, 'message rate limit exceeded');
    } else {
      this.sendError(
        'rate_limited',
        `At most ${messagesPerSecond} messages per second (burst ${messageBurst}); retry in ${decision.retryAfterMs} ms`,
      );
    }
    return false;
  }

  private sendError(
    code: ErrorCode,
    message: string,
    extra: { readonly debateId?: string; readonly id?: string | number | undefined } = {},
  ): void {
    this.sendControl(errorFrame(code, message, extra));
  }

  private sendControl(text: string): void {
    if (this.closing) return;
    this.enqueue(textFrame(text), NaN);
  }

  private enqueue(frame: PreparedFrame, eventTs: number): void {
    const now = Date.now();
    const verdict = this.queue.push(frame, eventTs, now);
    if (verdict !== 'ok') {
      this.cutSlowConsumer();
      return;
    }
    if (this.queue.congested) this.context.congested(this);
  }

  private drop(subscription: Subscription): void {
    subscription.seam.close();
    this.context.fanout.remove(subscription.debateId, subscription);
    if (this.subscriptions?.get(subscription.debateId) === subscription) {
      this.subscriptions.delete(subscription.debateId);
    }
  }

  private dropSubscriptions(): void {
    if (!this.subscriptions) return;
    for (const subscription of [...this.subscriptions.values()]) this.drop(subscription);
  }

  private onClose(): void {
    this.closing = true;
    this.queue.clear();
    this.dropSubscriptions();
    this.context.closed(this);
  }
}
