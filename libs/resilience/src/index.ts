export type {
  MultiTokenDecision,
  TokenBucketConfig,
  TokenBucketState,
  TokenDecision,
} from './token-bucket.types';
export { takeFromAll, takeTokens, tokensAt } from './token-bucket';
export { TokenBucketMap, type TokenBucketMapOptions } from './token-bucket-map';
