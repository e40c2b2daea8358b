import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { AppConfig } from '../../config';
import type { Logger } from '../../common/logging/logger';
import { createCounter } from '../observability/metric-registry';
import { createRedisClient } from '../rate-limit/redis-client';
import {
  InProcessEventBus,
  type BusEvent,
  type BusListener,
  type DebateEventBus,
} from './debate-event-bus';

/** One channel for every debate: a node keeps what its sockets watch (DebateFanout filters). */
export const EVENTS_CHANNEL = 'aragora:events';

export interface RedisEventBusOptions {
  readonly url: string;
  readonly channel?: string;
  /** Tells this node's own messages apart when Redis echoes them back. */
  readonly nodeId?: string;
  /** A publish that did not reach Redis (events were still delivered on this node). */
  readonly onPublishError?: (error: Error) => void;
  /** Connection errors while the clients reconnect, and unreadable messages. */
  readonly onError?: (error: Error) => void;
  /** A subscriber that threw (the publisher never sees it). */
  readonly onListenerError?: (error: unknown) => void;
}

interface Envelope {
  readonly node: string;
  readonly events: readonly BusEvent[];
}

function isEnvelope(value: unknown): value is Envelope {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<Envelope>;
  return typeof v.node === 'string' && Array.isArray(v.events);
}

/**
 * Cross-node fan-out over Redis pub/sub. A publish is delivered on this node at once and sent to
 * the channel; other nodes deliver it on receipt, this node skips its own echo. Redis being down
 * never stops local delivery: the publish fails fast (no offline queue), is counted, and
 * subscribers elsewhere fill the gap from the event log (the gateway's replay seam).
 */
export class RedisEventBus implements DebateEventBus {
  readonly nodeId: string;
  private readonly local: InProcessEventBus;
  private readonly publisher: Redis;
  private readonly subscriber: Redis;
  private readonly channel: string;

  constructor(private readonly options: RedisEventBusOptions) {
    this.nodeId = options.nodeId ?? randomUUID();
    this.local = new InProcessEventBus(options.onListenerError);
    this.channel = options.channel ?? EVENTS_CHANNEL;
    const onError = (error: Error) => options.onError?.(error);
    this.publisher = createRedisClient(options.url, {
      connectionName: 'aragora-events-pub',
      onError,
    });
    this.subscriber = createRedisClient(options.url, {
      connectionName: 'aragora-events-sub',
      onError,
    });
    // No offline queue: (re)subscribe whenever the connection is ready, on every reconnect too.
    this.subscriber.on('ready', () => {
      this.subscriber.subscribe(this.channel).catch(onError);
    });
    this.subscriber.on('message', (channel: string, message: string) => {
      if (channel === this.channel) this.receive(message);
    });
  }

  publish(events: readonly BusEvent[]): void {
    if (events.length === 0) return;
    this.local.publish(events);
    const message = JSON.stringify({ node: this.nodeId, events } satisfies Envelope);
    this.publisher.publish(this.channel, message).catch((error: Error) => {
      this.options.onPublishError?.(error);
    });
  }

  subscribe(listener: BusListener): () => void {
    return this.local.subscribe(listener);
  }

  async close(): Promise<void> {
    await this.local.close();
    await Promise.all([quit(this.publisher), quit(this.subscriber)]);
  }

  private receive(message: string): void {
    let envelope: unknown;
    try {
      envelope = JSON.parse(message);
    } catch (error) {
      this.options.onError?.(error as Error);
      return;
    }
    if (!isEnvelope(envelope)) {
      this.options.onError?.(new Error('event bus: a message without node and events'));
      return;
    }
    if (envelope.node === this.nodeId) return;
    this.local.publish(envelope.events);
  }
}

async function quit(redis: Redis): Promise<void> {
  try {
    await redis.quit();
  } catch {
    redis.disconnect();
  }
}

const LOG_EVERY_MS = 10_000;

/**
 * The bus the config asks for: Redis pub/sub with REDIS_URL, in-process otherwise. Failed
 * publishes are counted, and logged at most every LOG_EVERY_MS, not once per event.
 */
export function createDebateEventBus(config: AppConfig, log: Logger): DebateEventBus {
  const onListenerError = (error: unknown) =>
    log.error({ err: error }, 'event bus: a subscriber failed');
  if (!config.redis.url) return new InProcessEventBus(onListenerError);
  const failures = createCounter({
    name: 'aragora_event_bus_publish_errors_total',
    help: 'Event batches that could not be published to Redis (delivered on this node only)',
  });
  let loggedAt = -Infinity;
  return new RedisEventBus({
    url: config.redis.url,
    onPublishError: (error) => {
      failures.inc();
      if (Date.now() - loggedAt < LOG_EVERY_MS) return;
      loggedAt = Date.now();
      log.warn({ err: error }, 'event bus: Redis publish failed, events reach this node only');
    },
    onError: (error) => log.debug({ err: error }, 'event bus (Redis) error'),
    onListenerError,
  });
}
