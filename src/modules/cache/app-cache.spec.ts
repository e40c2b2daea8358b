import { createCache } from 'cache-manager';
import { Keyv, type KeyvStoreAdapter, type StoredData } from 'keyv';
import { AppCache } from './app-cache';
import { createMemoryTier } from './app-cache.factory';
import type { CacheOp } from './cache.tokens';
import { GuardedStore } from './guarded.store';

/** A shared store that can be taken down, behind the same guard the Redis tier has. */
class SwitchableStore implements KeyvStoreAdapter {
  opts = {};
  down = false;
  readonly data = new Map<string, unknown>();

  private check(): void {
    if (this.down) throw new Error('shared store unreachable');
  }
  get<Value>(key: string) {
    this.check();
    return Promise.resolve(this.data.get(key) as StoredData<Value>);
  }
  set(key: string, value: unknown) {
    this.check();
    this.data.set(key, value);
    return Promise.resolve(true);
  }
  delete(key: string) {
    this.check();
    return Promise.resolve(this.data.delete(key));
  }
  clear() {
    this.check();
    this.data.clear();
    return Promise.resolve();
  }
  on() {
    return this;
  }
}

function memoryCache(): AppCache {
  const memory = createMemoryTier(100);
  return new AppCache(createCache({ stores: [memory] }), { versions: memory });
}

/** A pod: its own in-process tier in front of the shared one. */
function pod(shared: Keyv): AppCache {
  return new AppCache(createCache({ stores: [createMemoryTier(100), shared] }), {
    versions: shared,
  });
}

function sharedTier(store: SwitchableStore, errors: CacheOp[] = []): Keyv {
  const guarded = new GuardedStore(store, { timeoutMs: 50, onError: (op) => errors.push(op) });
  return new Keyv({ store: guarded, useKeyPrefix: false });
}

function counter<T>(values: () => T) {
  let calls = 0;
  const compute = () => {
    calls++;
    return Promise.resolve(values());
  };
  return { compute, calls: () => calls };
}

describe('AppCache (in-process store)', () => {
  afterEach(() => jest.restoreAllMocks());

  it('computes on a miss and answers from the cache until the TTL lapses', async () => {
    const cache = memoryCache();
    let n = 0;
    const c = counter(() => ++n);
    expect(await cache.wrap('k', 1_000, c.compute)).toBe(1);
    expect(await cache.wrap('k', 1_000, c.compute)).toBe(1);
    expect(c.calls()).toBe(1);
    const now = Date.now();
    jest.spyOn(Date, 'now').mockReturnValue(now + 1_001);
    expect(await cache.wrap('k', 1_000, c.compute)).toBe(2);
  });

  it('computes once for concurrent misses of one key', async () => {
    const cache = memoryCache();
    const c = counter(() => 'v');
    const values = await Promise.all([1, 2, 3].map(() => cache.wrap('k', 1_000, c.compute)));
    expect(values).toEqual(['v', 'v', 'v']);
    expect(c.calls()).toBe(1);
  });

  it('hands out copies: mutating a result does not change the cached value', async () => {
    const cache = memoryCache();
    const first = await cache.wrap('k', 1_000, () => Promise.resolve({ items: [1] }));
    first.items.push(2);
    expect(await cache.wrap('k', 1_000, () => Promise.resolve({ items: [] }))).toEqual({
      items: [1],
    });
  });

  it('caches nothing when the computation fails', async () => {
    const cache = memoryCache();
    await expect(
      cache.wrap('k', 1_000, () => Promise.reject(new Error('db down'))),
    ).rejects.toThrow('db down');
    expect(await cache.wrap('k', 1_000, () => Promise.resolve('ok'))).toBe('ok');
  });

  it('del drops a key', async () => {
    const cache = memoryCache();
    await cache.wrap('k', 1_000, () => Promise.resolve('old'));
    await cache.del('k');
    expect(await cache.wrap('k', 1_000, () => Promise.resolve('new'))).toBe('new');
  });

  it('bump invalidates its namespace only', async () => {
    const cache = memoryCache();
    const a = counter(() => 'a');
    const b = counter(() => 'b');
    await cache.wrapIn('board:a', 'top', 1_000, a.compute);
    await cache.wrapIn('board:b', 'top', 1_000, b.compute);
    const before = await cache.namespaceVersion('board:a');
    expect(await cache.namespaceVersion('board:a')).toBe(before);

    expect(await cache.bump('board:a')).toBe(true);
    expect(await cache.namespaceVersion('board:a')).not.toBe(before);
    await cache.wrapIn('board:a', 'top', 1_000, a.compute);
    await cache.wrapIn('board:b', 'top', 1_000, b.compute);
    expect([a.calls(), b.calls()]).toEqual([2, 1]);
  });
});

describe('AppCache with a shared tier (pods)', () => {
  it('a bump on one pod is seen by the others, past their in-process copies', async () => {
    const shared = sharedTier(new SwitchableStore());
    const [one, two] = [pod(shared), pod(shared)];
    let value = 'v1';
    const read = (cache: AppCache) => cache.wrapIn('ns', 'k', 60_000, () => Promise.resolve(value));
    expect(await read(one)).toBe('v1');
    value = 'v2';
    expect(await read(two)).toBe('v1'); // from the shared tier, now also in two's own tier
    await one.bump('ns');
    expect(await read(two)).toBe('v2');
    expect(await read(one)).toBe('v2');
  });

  it('keeps answering while the shared tier is down, computing instead of caching', async () => {
    const store = new SwitchableStore();
    const errors: CacheOp[] = [];
    const cache = pod(sharedTier(store, errors));
    let n = 0;
    const c = counter(() => ++n);
    store.down = true;
    expect(await cache.wrapIn('ns', 'k', 60_000, c.compute)).toBe(1);
    expect(await cache.wrapIn('ns', 'k', 60_000, c.compute)).toBe(2);
    expect(await cache.wrap('plain', 60_000, c.compute)).toBe(3);
    expect(errors.length).toBeGreaterThan(0);
    expect(new Set(errors)).toEqual(new Set(['get', 'set']));

    store.down = false;
    expect(await cache.wrapIn('ns', 'k', 60_000, c.compute)).toBe(4);
    expect(await cache.wrapIn('ns', 'k', 60_000, c.compute)).toBe(4);
  });

  it('a bump that could not reach the shared tier is retried before the namespace is read', async () => {
    const store = new SwitchableStore();
    const cache = pod(sharedTier(store));
    const versionBefore = await cache.namespaceVersion('ns');
    store.down = true;
    expect(await cache.bump('ns')).toBe(false);
    expect(await cache.namespaceVersion('ns')).toBeNull();
    store.down = false;
    const versionAfter = await cache.namespaceVersion('ns');
    expect(versionAfter).not.toBeNull();
    expect(versionAfter).not.toBe(versionBefore);
    expect(await cache.namespaceVersion('ns')).toBe(versionAfter);
  });
});
