import fc from 'fast-check';
import { InvalidatingCache, type Loaded } from './invalidating-cache';

const cacheOf = (maxSize = 1_000_000, maxAgeMs = 60_000) =>
  new InvalidatingCache({ maxSize, maxAgeMs, sizeOf: (b) => b.length });

const text = async (p: Promise<Buffer>) => (await p).toString();

interface Deferred {
  resolve: () => void;
}

/**
 * A store whose keys change (each change bumps a version and invalidates the key, as the event bus
 * does after a commit) and whose reads resolve when the test says so: a read returns the version
 * current when it began.
 */
class Store {
  readonly versions = new Map<string, number>();
  readonly pending: Deferred[] = [];
  loads = 0;

  constructor(private readonly cache: InvalidatingCache) {}

  change(key: string): void {
    this.versions.set(key, this.version(key) + 1);
    this.cache.invalidate(key);
  }

  version(key: string): number {
    return this.versions.get(key) ?? 0;
  }

  read(key: string, keep = true): Promise<Loaded> {
    this.loads += 1;
    const seen = `${key}@${this.version(key)}`;
    return new Promise((resolve) => {
      this.pending.push({ resolve: () => resolve({ value: Buffer.from(seen), keep }) });
    });
  }
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

/** A load that answers `value` at once and counts its calls. */
function counting(value: string, keep = true) {
  const load = Object.assign(
    () => {
      load.calls += 1;
      return Promise.resolve({ value: Buffer.from(value), keep });
    },
    { calls: 0 },
  );
  return load;
}

describe('InvalidatingCache', () => {
  it('answers a kept value without loading again', async () => {
    const cache = cacheOf();
    const load = counting('v');
    expect(await text(cache.getOrLoad('k', load))).toBe('v');
    expect(await text(cache.getOrLoad('k', load))).toBe('v');
    expect(load.calls).toBe(1);
    expect([cache.hits, cache.misses]).toEqual([1, 1]);
  });

  it('does not keep what the load says not to keep', async () => {
    const cache = cacheOf();
    const load = counting('queued', false);
    await cache.getOrLoad('k', load);
    await cache.getOrLoad('k', load);
    expect(load.calls).toBe(2);
  });

  it('shares one load between concurrent misses', async () => {
    const cache = cacheOf();
    const store = new Store(cache);
    const a = cache.getOrLoad('k', () => store.read('k'));
    const b = cache.getOrLoad('k', () => store.read('k'));
    await flush();
    expect(store.loads).toBe(1);
    store.pending.forEach((d) => d.resolve());
    expect([await text(a), await text(b)]).toEqual(['k@0', 'k@0']);
  });

  it('does not keep a load that an invalidation overtook, and starts a new one after it', async () => {
    const cache = cacheOf();
    const store = new Store(cache);
    const before = cache.getOrLoad('k', () => store.read('k'));
    await flush();
    store.change('k');
    const after = cache.getOrLoad('k', () => store.read('k'));
    await flush();
    expect(store.loads).toBe(2);
    // the newer read settles first: the older one must not overwrite it
    [...store.pending].reverse().forEach((d) => d.resolve());
    expect(await text(before)).toBe('k@0');
    expect(await text(after)).toBe('k@1');
    expect(await text(cache.getOrLoad('k', () => store.read('k')))).toBe('k@1');
    expect(store.loads).toBe(2);
  });

  it('passes a failed load to everyone waiting on it and keeps nothing', async () => {
    const cache = cacheOf();
    const failing = () => Promise.reject(new Error('db down'));
    await expect(cache.getOrLoad('k', failing)).rejects.toThrow('db down');
    expect(
      await text(
        cache.getOrLoad('k', () => Promise.resolve({ value: Buffer.from('ok'), keep: true })),
      ),
    ).toBe('ok');
  });

  it('drops values older than maxAgeMs', async () => {
    const cache = cacheOf(1_000_000, 20);
    const load = counting('v');
    await cache.getOrLoad('k', load);
    await new Promise((resolve) => setTimeout(resolve, 40));
    await cache.getOrLoad('k', load);
    expect(load.calls).toBe(2);
  });

  it('keeps the sum of sizes under maxSize, dropping the least recently used', async () => {
    const cache = cacheOf(100);
    const load = (v: string) => () => Promise.resolve({ value: Buffer.alloc(40, v), keep: true });
    await cache.getOrLoad('a', load('a'));
    await cache.getOrLoad('b', load('b'));
    await cache.getOrLoad('a', load('a')); // a is now more recent than b
    await cache.getOrLoad('c', load('c'));
    expect(cache.size).toBe(2);
    let reloaded = false;
    await cache.getOrLoad('b', () => {
      reloaded = true;
      return load('b')();
    });
    expect(reloaded).toBe(true);
  });

  it('invalidateWhere drops matching keys and loads under way', async () => {
    const cache = cacheOf();
    const store = new Store(cache);
    const flying = cache.getOrLoad('t1:x', () => store.read('t1:x'));
    await flush();
    await cache.getOrLoad('t2:y', () => Promise.resolve({ value: Buffer.from('y'), keep: true }));
    cache.invalidateWhere((key) => key.startsWith('t1:'));
    store.pending.forEach((d) => d.resolve());
    await flying;
    const again = cache.getOrLoad('t1:x', () => store.read('t1:x'));
    await flush();
    expect(store.loads).toBe(2); // the overtaken load was not kept
    store.pending.forEach((d) => d.resolve());
    expect((await again).toString()).toBe('t1:x@0');
    let reloadedOther = false;
    await cache.getOrLoad('t2:y', () => {
      reloadedOther = true;
      return Promise.resolve({ value: Buffer.from('y'), keep: true });
    });
    expect(reloadedOther).toBe(false);
  });

  it('property: every answer is the version current when it was asked for', async () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('get' as const), key: fc.constantFrom('a', 'b', 'c') }),
      fc.record({ kind: fc.constant('change' as const), key: fc.constantFrom('a', 'b', 'c') }),
      fc.record({ kind: fc.constant('settle' as const), index: fc.nat() }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 60 }), async (ops) => {
        const cache = cacheOf();
        const store = new Store(cache);
        const answers: { expected: string; answer: Promise<Buffer> }[] = [];
        for (const o of ops) {
          if (o.kind === 'get') {
            answers.push({
              expected: `${o.key}@${store.version(o.key)}`,
              answer: cache.getOrLoad(o.key, () => store.read(o.key)),
            });
          } else if (o.kind === 'change') {
            store.change(o.key);
          } else if (store.pending.length > 0) {
            store.pending.splice(o.index % store.pending.length, 1)[0]?.resolve();
          }
          await flush();
        }
        while (store.pending.length > 0) {
          store.pending.shift()?.resolve();
          await flush();
        }
        for (const { expected, answer } of answers) expect(await text(answer)).toBe(expected);
      }),
      { numRuns: 200 },
    );
  });
});
