/** Refused because the queue is at ARAGORA_MAX_QUEUED_DEBATES. */
export class QueueFullError extends Error {
  override readonly name = 'QueueFullError';
}

export type DebateWorker = (debateId: string) => Promise<void>;

/**
 * Debates waiting for a worker slot. Two adapters: in-process (embedded default) and BullMQ on
 * Redis, where any node's workers take any debate.
 */
export interface DebateQueue {
  /** Adds a debate (a no-op when it is already waiting). */
  enqueue(debateId: string): Promise<void>;
  /** 1-based place among the waiting debates; undefined when it is not waiting. */
  position(debateId: string): Promise<number | undefined>;
  /** Debates waiting (not running). */
  depth(): Promise<number>;
  /** Takes a waiting debate out; false when it was not waiting. */
  remove(debateId: string): Promise<boolean>;
  /** Starts handing debates to `worker`, at most `concurrency` at once on this node. */
  start(worker: DebateWorker, concurrency: number): void;
  /** Stops taking new debates and waits for none (the runner drains its own). */
  close(): Promise<void>;
}

export const DEBATE_QUEUE = Symbol('DEBATE_QUEUE');
