import fc from 'fast-check';
import { inSeqOrder, ReplaySeam, type Sequenced } from './replay-seam';

interface Item extends Sequenced {
  readonly tag: string;
}

const item = (seq: number | null, tag = seq === null ? 'e' : `#${seq}`): Item => ({ seq, tag });
const settle = () => new Promise((resolve) => setImmediate(resolve));

/**
 * A log of seqs 1..n that a test grows, with fetches it answers by hand: read when answered, or
 * (snapshotAtCall) as the log was when the fetch was made.
 */
function fakeLog(snapshotAtCall = false) {
  const log: number[] = [];
  const requests: { after: number; limit: number; answer: () => void }[] = [];
  let failNext: Error | undefined;
  const read = (after: number, limit: number) =>
    log
      .filter((s) => s > after)
      .slice(0, limit)
      .map((s) => item(s));
  return {
    log,
    requests,
    failNext: (error: Error) => (failNext = error),
    append: (...seqs: number[]) => log.push(...seqs),
    fetchPage: (after: number, limit: number) =>
      new Promise<readonly Item[]>((resolve, reject) => {
        const snapshot = snapshotAtCall ? read(after, limit) : undefined;
        requests.push({
          after,
          limit,
          answer: () => {
            if (failNext) reject(failNext);
            else resolve(snapshot ?? read(after, limit));
            failNext = undefined;
          },
        });
      }),
    /** Answers the oldest open fetch (the log as it is now). */
    answer: async () => {
      requests.shift()?.answer();
      await settle();
    },
  };
}

function seam(
  log: ReturnType<typeof fakeLog>,
  options: Partial<{ afterSeq: number; pageSize: number; maxBuffered: number }> = {},
) {
  const delivered: Item[] = [];
  const events = { overflow: 0, errors: [] as unknown[] };
  const s = new ReplaySeam<Item>({
    afterSeq: options.afterSeq ?? 0,
    pageSize: options.pageSize ?? 100,
    maxBuffered: options.maxBuffered ?? 1000,
    fetchPage: log.fetchPage,
    deliver: (i) => delivered.push(i),
    onOverflow: () => (events.overflow += 1),
    onError: (e) => events.errors.push(e),
  });
  return { s, delivered, events, tags: () => delivered.map((i) => i.tag) };
}

describe('ReplaySeam', () => {
  it('replays the log, holds live events meanwhile, then releases only the newer ones', async () => {
    const log = fakeLog();
    log.append(1, 2, 3);
    const { s, tags } = seam(log);
    void s.start();
    // Published while the first page is being read: 4 lands in the log before the read.
    log.append(4);
    s.push(item(4));
    s.push(item(null, 'token'));
    log.append(5);
    s.push(item(5));
    expect(tags()).toEqual([]);
    await log.answer();
    expect(tags()).toEqual(['#1', '#2', '#3', '#4', '#5', 'token']);
    expect(s.replaying).toBe(false);
    s.push(item(6));
    s.push(item(5)); // a second copy
    expect(tags()).toEqual(['#1', '#2', '#3', '#4', '#5', 'token', '#6']);
    expect(s.lastSeq).toBe(6);
  });

  it('reads the log in pages until a short page', async () => {
    const log = fakeLog();
    log.append(1, 2, 3, 4, 5);
    const { s, tags } = seam(log, { pageSize: 2, afterSeq: 1 });
    void s.start();
    const reads: number[] = [];
    while (log.requests.length > 0) {
      reads.push(log.requests[0]?.after ?? -1);
      await log.answer();
    }
    expect(reads).toEqual([1, 3, 5]); // [2,3] [4,5] [] — a full page asks for the next one
    expect(tags()).toEqual(['#2', '#3', '#4', '#5']);
  });

  it('starts from a first page the caller already read', async () => {
    const log = fakeLog();
    log.append(1, 2);
    const { s, tags } = seam(log, { pageSize: 10 });
    await s.start([item(1), item(2)]);
    expect(log.requests).toHaveLength(0);
    expect(tags()).toEqual(['#1', '#2']);
  });

  it('goes back to the log when a live event skips seqs (a publish that never arrived)', async () => {
    const log = fakeLog();
    const { s, tags } = seam(log);
    await s.start([]);
    log.append(1, 2, 3, 4);
    s.push(item(1));
    s.push(item(4)); // 2 and 3 were lost on the way
    expect(tags()).toEqual(['#1']);
    expect(log.requests[0]?.after).toBe(1);
    await log.answer();
    expect(tags()).toEqual(['#1', '#2', '#3', '#4']);
  });

  it('fills a gap left between the replay and the events held meanwhile', async () => {
    const log = fakeLog(true);
    log.append(1, 2);
    const { s, tags } = seam(log);
    void s.start(); // reads 1..2
    log.append(3); // lost on the way
    log.append(4);
    s.push(item(4));
    await log.answer();
    expect(tags()).toEqual(['#1', '#2']);
    await log.answer();
    expect(tags()).toEqual(['#1', '#2', '#3', '#4']);
  });

  it('accepts a gap the log cannot fill instead of asking it again and again', async () => {
    const log = fakeLog();
    const { s, tags } = seam(log);
    await s.start([]);
    s.push(item(3));
    await log.answer();
    expect(tags()).toEqual(['#3']);
    expect(log.requests).toHaveLength(0);
  });

  it('releases held events in seq order, ephemeral ones where they came', async () => {
    const log = fakeLog();
    const { s, tags } = seam(log);
    void s.start();
    s.push(item(2));
    s.push(item(null, 'e1'));
    s.push(item(1));
    s.push(item(null, 'e2'));
    await log.answer();
    expect(tags()).toEqual(['#1', 'e1', '#2', 'e2']);
  });

  it('reports an overflow when too many live events come in during the replay', () => {
    const log = fakeLog();
    const { s, events } = seam(log, { maxBuffered: 2 });
    void s.start();
    s.push(item(1));
    s.push(item(2));
    expect(events.overflow).toBe(0);
    s.push(item(3));
    expect(events.overflow).toBe(1);
  });

  it('reports a failed read and delivers nothing after it', async () => {
    const log = fakeLog();
    log.append(1);
    const { s, tags, events } = seam(log);
    void s.start();
    s.push(item(2));
    log.failNext(new Error('database down'));
    await log.answer();
    expect(events.errors).toHaveLength(1);
    expect(tags()).toEqual([]);
  });

  it('delivers nothing once closed, even when a read completes later', async () => {
    const log = fakeLog();
    log.append(1);
    const { s, tags } = seam(log);
    void s.start();
    s.close();
    await log.answer();
    s.push(item(2));
    expect(tags()).toEqual([]);
  });

  it('gives every durable event exactly once, in order, whatever the interleaving', async () => {
    const step = fc.constantFrom('publish', 'lose', 'answer', 'ephemeral');
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 5 }),
        fc.integer({ min: 1, max: 4 }),
        fc.array(step, { maxLength: 40 }),
        fc.boolean(),
        async (before, pageSize, steps, snapshotAtCall) => {
          const log = fakeLog(snapshotAtCall);
          let next = 1;
          for (; next <= before; next++) log.append(next);
          const afterSeq = Math.floor(before / 2);
          const { s, delivered } = seam(log, { afterSeq, pageSize });
          void s.start();
          for (const op of steps) {
            if (op === 'answer') await log.answer();
            else if (op === 'ephemeral') s.push(item(null));
            else {
              log.append(next); // durable first, then published (or lost on the way)
              if (op === 'publish') s.push(item(next));
              next += 1;
            }
          }
          // A last event always arrives; then every open read is answered.
          log.append(next);
          s.push(item(next));
          while (log.requests.length > 0) await log.answer();
          const seqs = delivered.flatMap((i) => (i.seq === null ? [] : [i.seq]));
          const expected = Array.from({ length: next - afterSeq }, (_, i) => afterSeq + 1 + i);
          expect(seqs).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('inSeqOrder', () => {
  it('sorts durable items among themselves and keeps ephemeral ones in place', () => {
    const sorted = inSeqOrder([item(3), item(null, 'a'), item(1), item(2), item(null, 'b')]);
    expect(sorted.map((i) => i.tag)).toEqual(['#1', 'a', '#2', '#3', 'b']);
  });
});
