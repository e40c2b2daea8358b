import { Queue, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import type { DebateQueue, DebateWorker } from './debate-queue';

export interface BullmqDebateQueueOptions {
  /** Redis URL (`redis://…` / `rediss://…`). */
  readonly url: string;
  /** Key prefix of every BullMQ key; default `aragora:bull`. */
  readonly prefix?: string;
  /** BullMQ queue name (no `:`); default `debates`. */
  readonly queueName?: string;
  /** Redis connection errors, worker rejections, stalled-limit failures. */
  readonly onError?: (error: Error) => void;
  /**
   * How long a running job's lock lives without renewal; default 20 000 ms. The worker renews it
   * every lockDuration/2 for as long as the debate runs, so this bounds only how long a dead node
   * keeps its job. Tests shorten it.
   */
  readonly lockDurationMs?: number;
  /** Period of the stalled-job check (shared by all nodes through Redis); default 10 000 ms. */
  readonly stalledIntervalMs?: number;
  /**
   * Re-deliveries of one job after its node died before BullMQ fails (and drops) it; default 3,
   * so a debate that keeps killing its node does not cycle forever. The runner's own lease sweep
   * may still enqueue it again.
   */
  readonly maxStalledCount?: number;
  /** Bound on waiting for the first connection before a queue call fails; default 5000 ms. */
  readonly connectTimeoutMs?: number;
}

interface DebateJobData {
  readonly debateId: string;
}

const JOB_NAME = 'debate';

/**
 * Defaults: lockDuration 20 s + stalled check every 10 s re-deliver a dead node's job after at
 * most ~lockDuration + 1 check interval (≈ 30 s; a check only moves a job whose lock has expired
 * and that an earlier check already marked). BullMQ's own defaults (30 s + 30 s) take up to 60 s.
 */
const DEFAULT_LOCK_DURATION_MS = 20_000;
const DEFAULT_STALLED_INTERVAL_MS = 10_000;
const DEFAULT_MAX_STALLED_COUNT = 3;
const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;

/** Reconnect quickly after a short Redis outage, without hammering it during a long one. */
const retryStrategy = (attempt: number): number => Math.min(attempt * 200, 2_000);
/** ioredis keeps a timer this long after disconnecting a socket that never closes (default 2 s). */
const DISCONNECT_TIMEOUT_MS = 500;

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * The debate queue on BullMQ: every node's workers take any debate. One job per debate (jobId =
 * debate id), removed as soon as it completes or fails so the id can be enqueued again; no BullMQ
 * retries (the runner owns resume through its database lease).
 *
 * Debate ids must be valid custom BullMQ job ids (UUIDs are): not all digits, no `:`.
 */
export class BullmqDebateQueue implements DebateQueue {
  /**
   * Producer/reader connection, owned here: fails fast while Redis is down (no offline queue), so
   * a create request gets an error (→ 503) instead of hanging until Redis is back.
   */
  private readonly redis: Redis;
  private readonly queue: Queue<DebateJobData>;
  private worker: Worker<DebateJobData> | undefined;
  private closing: Promise<void> | undefined;
  private readonly onError: (error: Error) => void;

  constructor(private readonly options: BullmqDebateQueueOptions) {
    this.onError = options.onError ?? (() => undefined);
    this.redis = new Redis(options.url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectTimeout: 2_000,
      commandTimeout: 5_000,
      disconnectTimeout: DISCONNECT_TIMEOUT_MS,
      retryStrategy,
    });
    // Errors are reported once, through the Queue's 'error' event; this listener only keeps a late
    // reconnect error (after queue.close() detached BullMQ's listener) from being unhandled.
    this.redis.on('error', () => undefined);
    this.queue = new Queue<DebateJobData>(this.queueName, {
      connection: this.redis,
      prefix: this.prefix,
    });
    this.queue.on('error', (error: Error) => this.onError(error));
  }

  private get prefix(): string {
    return this.options.prefix ?? 'aragora:bull';
  }

  private get queueName(): string {
    return this.options.queueName ?? 'debates';
  }

  async enqueue(debateId: string): Promise<void> {
    await this.ready();
    // An existing job with this id (waiting or running anywhere) makes add a no-op.
    await this.queue.add(
      JOB_NAME,
      { debateId },
      { jobId: debateId, attempts: 1, removeOnComplete: true, removeOnFail: true },
    );
  }

  async position(debateId: string): Promise<number | undefined> {
    await this.ready();
    // New jobs are LPUSHed and workers take from the right: place = length - index. One MULTI so
    // a concurrent push or pop cannot skew the two numbers.
    const waitKey = this.queue.toKey('wait');
    const replies = await this.redis.multi().llen(waitKey).lpos(waitKey, debateId).exec();
    const [lengthReply, indexReply] = replies ?? [];
    if (lengthReply?.[0]) throw lengthReply[0];
    if (indexReply?.[0]) throw indexReply[0];
    const length = lengthReply?.[1];
    const index = indexReply?.[1];
    if (typeof length !== 'number' || typeof index !== 'number') return undefined;
    return length - index;
  }

  async depth(): Promise<number> {
    await this.ready();
    return this.queue.getWaitingCount();
  }

  async remove(debateId: string): Promise<boolean> {
    await this.ready();
    if ((await this.queue.getJobState(debateId)) !== 'waiting') return false;
    // A worker that took it meanwhile holds its lock, and BullMQ refuses to remove a locked job.
    return (await this.queue.remove(debateId)) === 1;
  }

  start(worker: DebateWorker, concurrency: number): void {
    if (this.closing) return;
    if (this.worker) throw new Error('BullmqDebateQueue already started');
    const processor = async (job: Job<DebateJobData>): Promise<void> => {
      // Completing (not failing) the job on a rejection: the runner records its own failures, and
      // the job is removed either way.
      await worker(job.data.debateId).catch((error: unknown) => this.onError(toError(error)));
    };
    this.worker = new Worker<DebateJobData>(this.queueName, processor, {
      // BullMQ creates and owns the worker's two connections (commands + blocking fetch); a
      // blocking connection must retry forever, hence maxRetriesPerRequest: null.
      connection: {
        url: this.options.url,
        maxRetriesPerRequest: null,
        disconnectTimeout: DISCONNECT_TIMEOUT_MS,
        retryStrategy,
      },
      prefix: this.prefix,
      concurrency,
      lockDuration: this.options.lockDurationMs ?? DEFAULT_LOCK_DURATION_MS,
      stalledInterval: this.options.stalledIntervalMs ?? DEFAULT_STALLED_INTERVAL_MS,
      maxStalledCount: this.options.maxStalledCount ?? DEFAULT_MAX_STALLED_COUNT,
    });
    this.worker.on('error', (error: Error) => this.onError(error));
    // Only reached for a job stalled more than maxStalledCount times (the processor never throws).
    this.worker.on('failed', (_job: Job<DebateJobData> | undefined, error: Error) =>
      this.onError(error),
    );
  }

  /**
   * Force-closes the worker: it stops fetching, stops renewing the locks of debates still running
   * here and drops its connections at once, without waiting for those debates (the runner drains
   * them). If this node then dies, their locks expire and the stalled check re-delivers them to
   * another node, whose runner decides through the database lease.
   */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    await this.worker?.close(true).catch((error: unknown) => this.onError(toError(error)));
    await this.queue.close().catch((error: unknown) => this.onError(toError(error)));
    this.redis.disconnect(); // our own connection: BullMQ does not close a client it was given
  }

  /**
   * Waits (bounded) for the Queue's first connection: BullMQ would otherwise park a call until
   * Redis comes up. Once connected, commands fail at once while Redis is away.
   */
  private async ready(): Promise<void> {
    if (this.closing) throw new Error('BullmqDebateQueue is closed');
    const timeoutMs = this.options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`debate queue: Redis not reachable within ${timeoutMs} ms`)),
        timeoutMs,
      );
    });
    try {
      await Promise.race([this.queue.waitUntilReady(), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
