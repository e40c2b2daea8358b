/** The app's cache-manager `Cache` (all tiers), for code that needs more than AppCache offers. */
export const APP_CACHE_MANAGER = Symbol('APP_CACHE_MANAGER');

/** Operations a cache store can fail at; the label of `aragora_cache_errors_total`. */
export type CacheOp = 'get' | 'set' | 'delete' | 'clear';
