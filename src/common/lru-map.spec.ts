import { LruMap } from './lru-map';

describe('LruMap', () => {
  it('keeps at most maxEntries keys, dropping the least recently used', () => {
    const map = new LruMap<number>(2);
    map.set('a', 1).set('b', 2);
    expect(map.get('a')).toBe(1); // a is now more recent than b
    map.set('c', 3);
    expect([...map.keys()].sort()).toEqual(['a', 'c']);
    expect(map.get('b')).toBeUndefined();
  });

  it('counts overwriting a key as a use, not as a new entry', () => {
    const map = new LruMap<number>(2);
    map.set('a', 1).set('b', 2).set('a', 10).set('c', 3);
    expect(map.size).toBe(2);
    expect(map.get('a')).toBe(10);
    expect(map.has('b')).toBe(false);
  });

  it('refuses a bound that cannot hold anything', () => {
    expect(() => new LruMap(0)).toThrow(RangeError);
  });
});
