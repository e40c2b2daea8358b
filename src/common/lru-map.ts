/**
 * A Map that keeps at most `maxEntries` keys, dropping the least recently used one. Keyv accepts
 * any Map as its store, so this bounds the in-process cache tier without another dependency.
 */
export class LruMap<V = unknown> extends Map<string, V> {
  constructor(private readonly maxEntries: number) {
    super();
    if (!Number.isInteger(maxEntries) || maxEntries < 1) {
      throw new RangeError(`maxEntries must be a positive integer, got ${maxEntries}`);
    }
  }

  override get(key: string): V | undefined {
    if (!super.has(key)) return undefined;
    const value = super.get(key) as V;
    // re-insert: a Map iterates in insertion order, so the first key is the least recent
    super.delete(key);
    super.set(key, value);
    return value;
  }

  override set(key: string, value: V): this {
    super.delete(key);
    super.set(key, value);
    if (this.size > this.maxEntries) {
      const oldest = super.keys().next();
      if (!oldest.done) super.delete(oldest.value);
    }
    return this;
  }
}
