/** DI token of the RateLimitStore (in-process, or Redis with in-process failover). */
export const RATE_LIMIT_STORE = Symbol('RATE_LIMIT_STORE');
