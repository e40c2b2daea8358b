import type { DebateQueue, DebateWorker } from './debate-queue';

/** FIFO in this process: the embedded default. Queued debates are reloaded from the database on start. */
export class InProcessDebateQueue implements DebateQueue {
  private readonly waiting: string[] = [];
  private readonly waitingSet = new Set<string>();
  private worker: DebateWorker | undefined;
  private concurrency = 0;
  private running = 0;
  private closed = false;

  enqueue(debateId: string): Promise<void> {
    if (!this.waitingSet.has(debateId)) {
      this.waiting.push(debateId);
      this.waitingSet.add(debateId);
      this.pump();
    }
    return Promise.resolve();
  }

  position(debateId: string): Promise<number | undefined> {
    if (!this.waitingSet.has(debateId)) return Promise.resolve(undefined);
    return Promise.resolve(this.waiting.indexOf(debateId) + 1);
  }

  depth(): Promise<number> {
    return Promise.resolve(this.waiting.length);
  }

  remove(debateId: string): Promise<boolean> {
    if (!this.waitingSet.delete(debateId)) return Promise.resolve(false);
    this.waiting.splice(this.waiting.indexOf(debateId), 1);
    return Promise.resolve(true);
  }

  start(worker: DebateWorker, concurrency: number): void {
    this.worker = worker;
    this.concurrency = concurrency;
    this.pump();
  }

  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }

  private pump(): void {
    const worker = this.worker;
    while (worker && !this.closed && this.running < this.concurrency && this.waiting.length > 0) {
      const id = this.waiting.shift()!;
      this.waitingSet.delete(id);
      this.running++;
      void worker(id)
        .catch(() => undefined) // the worker logs its own failures
        .finally(() => {
          this.running--;
          this.pump();
        });
    }
  }
}
