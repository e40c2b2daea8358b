import { Injectable } from '@nestjs/common';
import { createCounter, createGauge, createHistogram } from '../observability/metric-registry';

/** Debate throughput, duration, queue and consensus timing. */
@Injectable()
export class DebateMetrics {
  private readonly total = createCounter({
    name: 'aragora_debates_total',
    help: 'Debates ended, by outcome (completed, no_consensus, failed, timed_out, cancelled)',
    labelNames: ['outcome'] as const,
  });
  private readonly duration = createHistogram({
    name: 'aragora_debate_duration_seconds',
    help: 'Time from start to end of a debate',
    labelNames: ['outcome'] as const,
    buckets: [0.05, 0.1, 0.5, 1, 5, 15, 30, 60, 120, 300, 600, 900, 1800],
  });
  private readonly consensus = createHistogram({
    name: 'aragora_consensus_detection_seconds',
    help: 'Time to tally votes and decide the consensus (judge call included)',
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30, 120],
  });

  /** The gauges read their sources on scrape. */
  bind(sources: { active: () => number; queueDepth: () => Promise<number> }): void {
    createGauge({
      name: 'aragora_active_debates',
      help: 'Debates running on this node',
      collect() {
        this.set(sources.active());
      },
    });
    createGauge({
      name: 'aragora_queue_depth',
      help: 'Debates waiting for a worker (the whole queue in distributed mode)',
      async collect() {
        this.set(await sources.queueDepth().catch(() => 0));
      },
    });
  }

  ended(outcome: string, seconds: number | null): void {
    this.total.inc({ outcome });
    if (seconds !== null) this.duration.observe({ outcome }, seconds);
  }

  consensusDecided(seconds: number): void {
    this.consensus.observe(seconds);
  }
}
