export type {
  MultiTokenDecision,
  TokenBucketConfig,
  TokenBucketState,
  TokenDecision,
} from './token-bucket.types';
export { takeFromAll, takeTokens, tokensAt } from './token-bucket';
export { TokenBucketMap, type TokenBucketMapOptions } from './token-bucket-map';
export type { Clock } from './clock';
export { abortReason, isAbortError } from './abort';
export { sleep } from './sleep';
export { CircuitOpenError } from './circuit-open-error';
export type {
  CircuitBreakerOptions,
  CircuitBreakerSnapshot,
  CircuitState,
  ExecuteOptions,
  Permit,
} from './circuit-breaker.types';
export { CircuitBreaker } from './circuit-breaker';
export {
  CircuitBreakerRegistry,
  type CircuitBreakerRegistryOptions,
  type NamedSnapshot,
} from './circuit-breaker-registry';
export {
  backoffDelayMs,
  RETRY_ANTHROPIC,
  RETRY_DEFAULT,
  RETRY_OPENAI,
  RETRY_PROVIDER_DEFAULT,
  type RetryPolicy,
} from './retry-policy';
export { retryAfterMs } from './retry-after';
export {
  classifyHttpError,
  NON_RETRYABLE_STATUSES,
  type RetryClassification,
  type RetryClassifier,
} from './retry-classify';
export { retry, type RetryInfo, type RetryOptions, type RetryPorts } from './retry';
export { Bulkhead, BulkheadFullError } from './bulkhead';
export { realTimer, TimeoutError, withTimeout, type SetTimer } from './timeout';
