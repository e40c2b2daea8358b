import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import {
  BullmqDebateQueue,
  type BullmqDebateQueueOptions,
} from '../../src/modules/debates/bullmq-debate-queue';
import type { DebateQueue, DebateWorker } from '../../src/modules/debates/debate-queue';
import { InProcessDebateQueue } from '../../src/modules/debates/in-process-debate-queue';
import { startRedisServer, type TestRedis } from '../support/redis-server';

jest.setTimeout(30_000);

const PREFIX = 'aragora-test:bull';

/** Polls until `check` holds; fails with `what` after `timeoutMs`. */
async function waitFor(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 5_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

interface Gate {
  readonly promise: Promise<void>;
  open(): void;
}

function gate(): Gate {
  let open = () => {};
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

/** Ids as the app makes them (BullMQ refuses all-digit custom job ids). */
const ids = (n: number, tag = 'd'): string[] =>
  Array.from({ length: n }, (_, i) => `${tag}-${String(i + 1).padStart(2, '0')}`);

/** A worker that only notes which debates it got. */
const record =
  (into: string[], tag = ''): DebateWorker =>
  (id) => {
    into.push(tag + id);
    return Promise.resolve();
  };

async function enqueueAll(queue: DebateQueue, debateIds: readonly string[]): Promise<void> {
  for (const id of debateIds) await queue.enqueue(id); // sequential: FIFO is about this order
}

type Tuning = Pick<BullmqDebateQueueOptions, 'lockDurationMs' | 'stalledIntervalMs'>;

/** One adapter under test; `create` gives another instance on the same (per-test) queue. */
interface Adapter {
  readonly name: string;
  readonly distributed: boolean;
  setUp(): void;
  create(tuning?: Tuning): DebateQueue;
  /** What the instances reported through onError during this test. */
  readonly errors: Error[];
  /** True once nothing of the debate's job is left (BullMQ removes it after the worker returns). */
  jobGone(debateId: string): Promise<boolean>;
  tearDown(): Promise<void>;
}

let redisServer: TestRedis;
let admin: Redis;

beforeAll(async () => {
  redisServer = await startRedisServer();
  admin = new Redis(redisServer.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await admin.connect();
});

afterAll(async () => {
  await admin.quit();
  await redisServer.stop();
});

function inProcessAdapter(): Adapter {
  let queues: DebateQueue[] = [];
  let shared: InProcessDebateQueue | undefined;
  return {
    name: 'InProcessDebateQueue',
    distributed: false,
    errors: [],
    setUp() {
      shared = new InProcessDebateQueue();
      queues = [];
    },
    create() {
      queues.push(shared!);
      return shared!;
    },
    jobGone: () => Promise.resolve(true),
    async tearDown() {
      await Promise.all(queues.map((q) => q.close()));
    },
  };
}

function bullmqAdapter(): Adapter {
  let counter = 0;
  let queueName = '';
  let queues: BullmqDebateQueue[] = [];
  const errors: Error[] = [];
  return {
    name: 'BullmqDebateQueue',
    distributed: true,
    errors,
    setUp() {
      queueName = `contract${++counter}x${Date.now()}`; // own keys per test
      queues = [];
      errors.length = 0;
    },
    create(tuning?: Tuning) {
      const queue = new BullmqDebateQueue({
        url: redisServer.url,
        prefix: PREFIX,
        queueName,
        onError: (error) => errors.push(error),
        ...tuning,
      });
      queues.push(queue);
      return queue;
    },
    async jobGone(debateId: string) {
      return (await admin.exists(`${PREFIX}:${queueName}:${debateId}`)) === 0;
    },
    async tearDown() {
      await Promise.all(queues.map((q) => q.close()));
      // removeOnComplete/removeOnFail: nothing finished is kept
      expect(await admin.zcard(`${PREFIX}:${queueName}:completed`)).toBe(0);
      expect(await admin.zcard(`${PREFIX}:${queueName}:failed`)).toBe(0);
    },
  };
}

describe.each([inProcessAdapter(), bullmqAdapter()])('DebateQueue contract: $name', (adapter) => {
  const gates: Gate[] = [];
  const held = (): Gate => {
    const g = gate();
    gates.push(g);
    return g;
  };

  beforeEach(() => adapter.setUp());
  afterEach(async () => {
    gates.splice(0).forEach((g) => g.open()); // never leave a worker hanging
    await adapter.tearDown();
  });

  it('runs debates in FIFO order with concurrency 1', async () => {
    const queue = adapter.create();
    const order: string[] = [];
    const all = ids(10);
    await enqueueAll(queue, all);
    queue.start(async (id) => {
      order.push(id);
      await sleep(5);
    }, 1);
    await waitFor('all debates', () => order.length === all.length);
    expect(order).toEqual(all);
  });

  it('never runs more than `concurrency` at once, and runs all of them', async () => {
    const queue = adapter.create();
    let running = 0;
    let maxRunning = 0;
    const done = new Set<string>();
    await enqueueAll(queue, ids(20));
    queue.start(async (id) => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      await sleep(50);
      running--;
      done.add(id);
    }, 5);
    await waitFor('20 debates', () => done.size === 20);
    expect(maxRunning).toBe(5);
    expect(running).toBe(0);
  });

  it('reports position and depth of waiting debates only', async () => {
    const queue = adapter.create();
    await enqueueAll(queue, ['a-1', 'b-2', 'c-3']);
    expect(await queue.depth()).toBe(3);
    expect(await queue.position('a-1')).toBe(1);
    expect(await queue.position('b-2')).toBe(2);
    expect(await queue.position('c-3')).toBe(3);
    expect(await queue.position('unknown')).toBeUndefined();

    const first = held();
    const started: string[] = [];
    const finished: string[] = [];
    queue.start(async (id) => {
      started.push(id);
      if (id === 'a-1') await first.promise;
      finished.push(id);
    }, 1);
    await waitFor('a-1 to start', () => started.length === 1);
    expect(await queue.depth()).toBe(2);
    expect(await queue.position('a-1')).toBeUndefined(); // running, not waiting
    expect(await queue.position('b-2')).toBe(1);
    expect(await queue.position('c-3')).toBe(2);

    first.open();
    await waitFor('all debates', () => finished.length === 3);
    expect(await queue.depth()).toBe(0);
    expect(await queue.position('c-3')).toBeUndefined();
  });

  it('ignores an enqueue of a debate that is already waiting', async () => {
    const queue = adapter.create();
    await enqueueAll(queue, ['a-1', 'b-2', 'a-1']);
    expect(await queue.depth()).toBe(2);
    expect(await queue.position('a-1')).toBe(1);
    const runs: string[] = [];
    queue.start(record(runs), 1);
    await waitFor('both debates', () => runs.length === 2);
    await sleep(100); // a duplicate would have run by now
    expect(runs).toEqual(['a-1', 'b-2']);
  });

  it('removes a waiting debate, but not a running or unknown one', async () => {
    const queue = adapter.create();
    await enqueueAll(queue, ['a-1', 'b-2', 'c-3']);
    expect(await queue.remove('b-2')).toBe(true);
    expect(await queue.remove('b-2')).toBe(false);
    expect(await queue.remove('unknown')).toBe(false);
    expect(await queue.depth()).toBe(2);
    expect(await queue.position('c-3')).toBe(2);

    const first = held();
    const runs: string[] = [];
    queue.start(async (id) => {
      runs.push(id);
      if (id === 'a-1') await first.promise;
    }, 1);
    await waitFor('a-1 to start', () => runs.length === 1);
    expect(await queue.remove('a-1')).toBe(false); // running
    first.open();
    await waitFor('c-3', () => runs.length === 2);
    await sleep(100);
    expect(runs).toEqual(['a-1', 'c-3']);
  });

  it('keeps going after the worker rejects', async () => {
    const queue = adapter.create();
    const runs: string[] = [];
    await enqueueAll(queue, ['ok-1', 'bad-2', 'ok-3', 'bad-4', 'ok-5']);
    queue.start(async (id) => {
      runs.push(id);
      if (id.startsWith('bad')) throw new Error(`boom ${id}`);
      await sleep(1);
    }, 1);
    await waitFor('all debates', () => runs.length === 5);
    expect(runs).toEqual(['ok-1', 'bad-2', 'ok-3', 'bad-4', 'ok-5']);
    if (adapter.distributed) {
      await waitFor('both errors reported', () => adapter.errors.length >= 2);
      expect(adapter.errors.map((e) => e.message)).toEqual(['boom bad-2', 'boom bad-4']);
    }
    await queue.enqueue('ok-6'); // still taking work
    await waitFor('ok-6', () => runs.length === 6);
  });

  it('takes the same debate again once its previous run has finished', async () => {
    const queue = adapter.create();
    const runs: string[] = [];
    queue.start(record(runs), 2);
    await queue.enqueue('again-1');
    await waitFor('first run', () => runs.length === 1);
    await waitFor('job removed after the run', () => adapter.jobGone('again-1'));
    await queue.enqueue('again-1');
    await waitFor('second run', () => runs.length === 2);
    expect(runs).toEqual(['again-1', 'again-1']);
  });

  it('close() resolves promptly while a debate is still running', async () => {
    const queue = adapter.create();
    const hang = held();
    let finished = false;
    const started: string[] = [];
    queue.start(async (id) => {
      started.push(id);
      await hang.promise;
      finished = true;
    }, 2);
    await enqueueAll(queue, ['slow-1', 'never-2', 'never-3']);
    await waitFor('the first debates to start', () => started.length === 2);
    const t0 = Date.now();
    await queue.close();
    expect(Date.now() - t0).toBeLessThan(1_000);
    expect(finished).toBe(false); // close did not wait for it
    hang.open();
    await waitFor('the running debate to finish on its own', () => finished);
    await sleep(100);
    expect(started).toEqual(['slow-1', 'never-2']); // nothing new after close
    expect(adapter.errors).toEqual([]);
  });
});

describe('BullmqDebateQueue across nodes', () => {
  const adapter = bullmqAdapter();
  const gates: Gate[] = [];
  beforeEach(() => adapter.setUp());
  afterEach(async () => {
    gates.splice(0).forEach((g) => g.open());
    await adapter.tearDown();
  });

  it('runs every debate exactly once across two instances, and both do work', async () => {
    const nodes = [adapter.create(), adapter.create()];
    const runs = new Map<string, number>();
    const byNode = [0, 0];
    let running = 0;
    const allFour = gate();
    gates.push(allFour);
    let barrier = 4; // the first 4 wait until 4 run at once: only both nodes together can do that
    const worker =
      (node: number): DebateWorker =>
      async (id) => {
        runs.set(id, (runs.get(id) ?? 0) + 1);
        byNode[node]!++;
        running++;
        if (barrier > 0) {
          if (--barrier === 0) allFour.open();
          await allFour.promise;
        }
        await sleep(20);
        running--;
      };
    nodes.forEach((node, i) => node.start(worker(i), 2));
    const all = ids(20, 'x');
    await enqueueAll(nodes[0]!, all);
    await waitFor('20 debates', () => runs.size === 20 && running === 0, 10_000);
    await sleep(300); // a second delivery would show up by now
    expect([...runs.keys()].sort()).toEqual(all);
    expect([...runs.values()].every((n) => n === 1)).toBe(true);
    expect(byNode[0]).toBeGreaterThan(0);
    expect(byNode[1]).toBeGreaterThan(0);
    expect(byNode[0]! + byNode[1]!).toBe(20);
    expect(await nodes[1]!.depth()).toBe(0);
  });

  it('re-delivers the debate of a node that died mid-run to another node', async () => {
    const tuning = { lockDurationMs: 1_000, stalledIntervalMs: 500 };
    const dying = adapter.create(tuning);
    const hang = gate();
    gates.push(hang);
    const seen: string[] = [];
    dying.start(async (id) => {
      seen.push(`dying:${id}`);
      await hang.promise; // the "dead" node never finishes
    }, 1);
    await dying.enqueue('orphan-1');
    await waitFor('the first node to take it', () => seen.length === 1);

    const survivor = adapter.create(tuning);
    survivor.start(record(seen, 'survivor:'), 1);
    await sleep(2_500); // 2.5 lock durations: renewed while the debate runs, so never re-delivered
    expect(seen).toEqual(['dying:orphan-1']);

    const t0 = Date.now();
    await dying.close(); // force: lock renewal stops, as if the process were gone
    expect(Date.now() - t0).toBeLessThan(1_000);
    await waitFor('re-delivery', () => seen.length === 2, 5_000);
    const redeliveredAfterMs = Date.now() - t0;
    expect(seen).toEqual(['dying:orphan-1', 'survivor:orphan-1']);
    // lock expiry (≤ 1 s) + at most two stalled checks (0.5 s each), with slack
    expect(redeliveredAfterMs).toBeLessThan(3_500);
    await waitFor('job removed', () => adapter.jobGone('orphan-1'));
    hang.open(); // the old run returning late must not complete or break anything
    await sleep(100);
    expect(adapter.errors).toEqual([]);
  });

  it('fails fast while Redis is down and recovers when it is back', async () => {
    const own = await startRedisServer();
    const errors: Error[] = [];
    const queue = new BullmqDebateQueue({
      url: own.url,
      prefix: PREFIX,
      queueName: 'outage',
      onError: (error) => errors.push(error),
    });
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const runs: string[] = [];
      queue.start(record(runs), 1);
      await queue.enqueue('before-1');
      await waitFor('run before the outage', () => runs.length === 1);

      own.kill();
      await sleep(200);
      const t0 = Date.now();
      await expect(queue.enqueue('during-2')).rejects.toThrow();
      expect(Date.now() - t0).toBeLessThan(1_000);

      await own.restart(); // empty server, same port
      await waitFor(
        'enqueue to work again',
        () =>
          queue.enqueue('after-3').then(
            () => true,
            () => false,
          ),
        10_000,
      );
      await waitFor('run after the outage', () => runs.includes('after-3'), 15_000);
      expect(runs).not.toContain('during-2');
      expect(errors.length).toBeGreaterThan(0); // the outage was reported, not thrown
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
      const t0 = Date.now();
      await queue.close();
      expect(Date.now() - t0).toBeLessThan(1_000);
      await own.stop();
    }
  });
});

describe('BullmqDebateQueue without Redis', () => {
  it('rejects a call after connectTimeoutMs and closes without hanging', async () => {
    const errors: Error[] = [];
    const queue = new BullmqDebateQueue({
      url: 'redis://127.0.0.1:1', // nothing listens there
      queueName: 'nowhere',
      connectTimeoutMs: 300,
      onError: (error) => errors.push(error),
    });
    queue.start(() => Promise.resolve(), 1);
    const t0 = Date.now();
    await expect(queue.enqueue('lost-1')).rejects.toThrow(/not reachable/);
    expect(Date.now() - t0).toBeLessThan(1_000);
    await queue.close();
    expect(errors.length).toBeGreaterThan(0);
  });
});
