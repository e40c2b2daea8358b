const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/**
 * FNV-1a over UTF-16 code units, continuing from `state` so a key can be hashed in parts
 * without concatenating strings (`hashString(b, hashString(a))`).
 */
export function hashString(text: string, state: number = FNV_OFFSET): number {
  let h = state;
  for (let i = 0; i < text.length; i++) {
    h = Math.imul(h ^ text.charCodeAt(i), FNV_PRIME);
  }
  return h >>> 0;
}

/** Derives an independent-looking value from a hash and a small salt (template slot, round …). */
export function mix(hash: number, salt: number): number {
  let h = Math.imul(hash ^ Math.imul(salt + 1, 0x9e3779b1), 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** One element chosen by a hash; the tuple type keeps the result defined. */
export function pick<T>(items: readonly [T, ...T[]], hash: number): T {
  return items[hash % items.length] ?? items[0];
}
