/** Anything with the event's place in the log: a number when durable, null when ephemeral. */
export interface Sequenced {
  readonly seq: number | null;
}

export interface ReplaySeamOptions<T extends Sequenced> {
  /** The client has everything up to this seq. */
  readonly afterSeq: number;
  readonly pageSize: number;
  /** Events of the log after `afterSeq`, in seq order, at most `limit`. */
  readonly fetchPage: (afterSeq: number, limit: number) => Promise<readonly T[]>;
  readonly deliver: (item: T) => void;
  /** Live events held while replaying, at most; beyond it `onOverflow` is called. */
  readonly maxBuffered: number;
  readonly onOverflow: () => void;
  readonly onError: (error: unknown) => void;
}

/**
 * Joins the replay of the log with live delivery for one subscriber of one debate, with no gap
 * and no duplicate at the seam. The subscriber is registered for live events before the first
 * page is read; live events are held while replaying and then released in seq order, skipping
 * what the replay already gave. Live, a durable event that skips seqs (a publish missed while
 * Redis was down, a node that died between commit and publish) sends it back to the log for the
 * missing ones first. Ephemeral events (seq null) are delivered live only, in arrival order.
 */
export class ReplaySeam<T extends Sequenced> {
  private last: number;
  /** Non-null while reading the log: the live events that came in meanwhile. */
  private held: T[] | null = [];
  private closed = false;

  constructor(private readonly options: ReplaySeamOptions<T>) {
    this.last = options.afterSeq;
  }

  /** The highest seq delivered so far. */
  get lastSeq(): number {
    return this.last;
  }

  get replaying(): boolean {
    return this.held !== null;
  }

  /** Reads the log from `afterSeq` (starting with `firstPage` when the caller has it), then goes live. */
  async start(firstPage?: readonly T[]): Promise<void> {
    await this.catchUp(firstPage);
  }

  /** A live event from the bus. */
  push(item: T): void {
    if (this.closed) return;
    if (this.held !== null) {
      this.held.push(item);
      if (this.held.length > this.options.maxBuffered) this.options.onOverflow();
      return;
    }
    this.live(item, true);
  }

  close(): void {
    this.closed = true;
    this.held = null;
  }

  private live(item: T, mayCatchUp: boolean): void {
    const seq = item.seq;
    if (seq === null) {
      this.options.deliver(item);
      return;
    }
    if (seq <= this.last) return; // replayed already, or a second copy
    if (seq > this.last + 1 && mayCatchUp) {
      this.held = [item];
      void this.catchUp(undefined, true);
      return;
    }
    this.last = seq;
    this.options.deliver(item);
  }

  /**
   * Reads the log after the last seq delivered, page by page, then releases what was held. A
   * read prompted by a gap that brought nothing new means the log cannot fill it: the gap is
   * accepted then, rather than asked about again and again.
   */
  private async catchUp(firstPage?: readonly T[], promptedByGap = false): Promise<void> {
    let progressed = false;
    try {
      let page = firstPage ?? (await this.options.fetchPage(this.last, this.options.pageSize));
      for (;;) {
        if (this.closed) return;
        for (const item of page) {
          if (item.seq !== null && item.seq > this.last) {
            this.last = item.seq;
            progressed = true;
            this.options.deliver(item);
          }
        }
        if (page.length < this.options.pageSize) break;
        page = await this.options.fetchPage(this.last, this.options.pageSize);
      }
    } catch (error) {
      if (!this.closed) this.options.onError(error);
      return;
    }
    this.release(progressed || !promptedByGap);
  }

  /** Goes live with what was held, durable events in seq order. */
  private release(mayCatchUp: boolean): void {
    const held = inSeqOrder(this.held ?? []);
    this.held = null;
    for (const [i, item] of held.entries()) {
      if (this.closed) return;
      this.live(item, mayCatchUp);
      // A gap sent it back to the log: the rest waits behind it.
      if (this.held !== null) {
        (this.held as T[]).push(...held.slice(i + 1));
        return;
      }
    }
  }
}

/** Durable items sorted by seq in the slots durable items held; ephemeral ones stay where they were. */
export function inSeqOrder<T extends Sequenced>(items: readonly T[]): T[] {
  const durable = items.filter((item) => item.seq !== null);
  if (durable.every((item, i) => i === 0 || (item.seq ?? 0) >= (durable[i - 1]?.seq ?? 0))) {
    return [...items];
  }
  durable.sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0));
  let next = 0;
  return items.map((item) => (item.seq === null ? item : (durable[next++] ?? item)));
}
