import type { KeyvStoreAdapter } from 'keyv';
import type { CacheOp } from './cache.tokens';
import { GuardedStore, StoreTimeoutError } from './guarded.store';

/** A store that answers like the given functions (stands in for a broken or hung Redis). */
function storeOf(behaviour: (op: string) => Promise<unknown>): KeyvStoreAdapter {
  return {
    opts: {},
    get: () => behaviour('get') as Promise<undefined>,
    set: () => behaviour('set'),
    delete: () => behaviour('delete') as Promise<boolean>,
    clear: () => behaviour('clear') as Promise<void>,
    on() {
      return this;
    },
  };
}

function guarded(inner: KeyvStoreAdapter) {
  const errors: [CacheOp, unknown][] = [];
  const store = new GuardedStore(inner, {
    timeoutMs: 20,
    onError: (op, error) => errors.push([op, error]),
  });
  return { store, errors };
}

describe('GuardedStore', () => {
  it('answers a failing store with a miss / no-op and reports each failure once', async () => {
    const { store, errors } = guarded(storeOf(() => Promise.reject(new Error('ECONNREFUSED'))));
    await expect(store.get('k')).resolves.toBeUndefined();
    await expect(store.set('k', 'v', 1000)).resolves.toBe(false);
    await expect(store.delete('k')).resolves.toBe(false);
    await expect(store.clear()).resolves.toBeUndefined();
    expect(errors.map(([op]) => op)).toEqual(['get', 'set', 'delete', 'clear']);
  });

  it('gives up on a store that does not answer', async () => {
    const { store, errors } = guarded(storeOf(() => new Promise<never>(() => undefined)));
    await expect(store.get('k')).resolves.toBeUndefined();
    expect(errors).toHaveLength(1);
    expect(errors[0]?.[1]).toBeInstanceOf(StoreTimeoutError);
  });

  it('catches a store that throws instead of rejecting', async () => {
    const { store, errors } = guarded(
      storeOf(() => {
        throw new Error('sync failure');
      }),
    );
    await expect(store.get('k')).resolves.toBeUndefined();
    expect(errors).toHaveLength(1);
  });

  it('passes answers of a healthy store through', async () => {
    const { store, errors } = guarded(
      storeOf((op) => Promise.resolve(op === 'get' ? 'stored' : true)),
    );
    await expect(store.get('k')).resolves.toBe('stored');
    await expect(store.set('k', 'v')).resolves.toBe(true);
    await expect(store.delete('k')).resolves.toBe(true);
    expect(errors).toEqual([]);
  });
});
