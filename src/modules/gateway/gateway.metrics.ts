import { Injectable } from '@nestjs/common';
import { createCounter, createGauge } from '../observability/metric-registry';
import { SlotHistogram } from '../observability/slot-histogram';

/** WebSocket connections, frames sent, slow consumers cut, and event-to-socket latency. */
@Injectable()
export class GatewayMetrics {
  // Hot path (one per frame per subscriber): a plain number, handed to prom-client on scrape.
  private unreported = 0;
  private readonly sentTotal = createCounter({
    name: 'aragora_ws_messages_sent_total',
    help: 'Frames written to WebSocket clients (events, acks, errors, hello)',
    collect: () => {
      if (this.unreported === 0) return;
      this.sentTotal.inc(this.unreported);
      this.unreported = 0;
    },
  });
  private readonly slowConsumers = createCounter({
    name: 'aragora_ws_dropped_slow_consumers_total',
    help: 'Connections closed with 1013 because they did not read fast enough',
  });
  // One observation per frame per subscriber (100,000/s at load): no per-call label hashing.
  private readonly delivery = new SlotHistogram(
    'aragora_ws_delivery_seconds',
    'From an event being created to its frame being written to a subscriber socket (live events)',
    [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  ).at();
  private readonly refusals = createCounter({
    name: 'aragora_ws_refused_total',
    help: 'WebSocket upgrades refused, by reason (unauthorized, rate_limited, capacity, draining)',
    labelNames: ['reason'] as const,
  });
  private slowTotal = 0;

  /** The gauge reads the live count on scrape. */
  bind(connections: () => number): void {
    createGauge({
      name: 'aragora_ws_connections',
      help: 'Open WebSocket connections on this node',
      collect() {
        this.set(connections());
      },
    });
  }

  /** One frame written; `eventTs` is the event's epoch ms (NaN for frames that are not live events). */
  written(eventTs: number, now: number): void {
    this.unreported += 1;
    if (!Number.isNaN(eventTs)) this.delivery.observe(Math.max(0, now - eventTs) / 1000);
  }

  slowConsumerDropped(): void {
    this.slowTotal += 1;
    this.slowConsumers.inc();
  }

  /** For tests and the health view: slow consumers cut since start. */
  get slowConsumersDropped(): number {
    return this.slowTotal;
  }

  refused(reason: 'unauthorized' | 'rate_limited' | 'capacity' | 'draining'): void {
    this.refusals.inc({ reason });
  }
}
