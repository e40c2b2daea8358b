import {
  fromNano,
  msUntilRefilled,
  NANO_PER_TOKEN,
  nanoPerMs,
  refillNano,
  toNano,
} from './token-arithmetic';
import type {
  MultiTokenDecision,
  TokenBucketConfig,
  TokenBucketState,
  TokenDecision,
} from './token-bucket.types';
import { assertValidConfig, assertValidCost, assertValidNow } from './token-bucket.validation';

/** A bucket refilled up to now, in nano-tokens; `capacityNano` is Infinity for an unlimited one. */
interface Refilled {
  readonly nano: number;
  readonly capacity: number;
  readonly updatedAtMs: number;
  readonly capacityNano: number;
  readonly ratePerMs: number;
}

function refill(
  state: TokenBucketState | undefined,
  config: TokenBucketConfig,
  nowMs: number,
): Refilled {
  // Capacities too large for nano-tokens are unlimited in practice, and this keeps Infinity - Infinity out.
  const capacityNano = Number.isFinite(config.capacity * NANO_PER_TOKEN)
    ? toNano(config.capacity)
    : Infinity;
  const ratePerMs = nanoPerMs(config.refillPerSecond);
  const { capacity } = config;
  if (state === undefined) {
    return { nano: capacityNano, capacity, updatedAtMs: nowMs, capacityNano, ratePerMs };
  }
  const stored = toNano(state.tokens);
  // A stored count outside [0, capacity] (the capacity shrank, or a corrupt row) is clamped, not trusted.
  const from = Number.isNaN(stored) ? 0 : Math.min(capacityNano, Math.max(0, stored));
  const since = Number.isFinite(state.updatedAtMs) ? state.updatedAtMs : nowMs;
  return {
    nano: Math.min(capacityNano, from + refillNano(nowMs - since, ratePerMs)),
    capacity,
    // Never move the timestamp back: when the clock returns, the same interval must not refill twice.
    updatedAtMs: Math.max(since, nowMs),
    capacityNano,
    ratePerMs,
  };
}

/** A full bucket reports the configured capacity itself, which need not be a whole nano-token. */
function toTokens(bucket: Refilled, nano: number): number {
  return nano >= bucket.capacityNano ? bucket.capacity : fromNano(nano);
}

function costToNano(cost: number): number {
  // At least one nano-token, so a tiny positive cost is never free.
  return Math.max(1, toNano(cost));
}

function canPay(bucket: Refilled, costNano: number): boolean {
  return bucket.capacityNano === Infinity || bucket.nano >= costNano;
}

function decide(bucket: Refilled, costNano: number, charge: boolean, nowMs: number): TokenDecision {
  if (bucket.capacityNano === Infinity) {
    return {
      allowed: charge,
      state: { tokens: Infinity, updatedAtMs: bucket.updatedAtMs },
      remaining: charge ? Number.MAX_SAFE_INTEGER : 0,
      retryAfterMs: 0,
      resetMs: 0,
    };
  }
  const after = charge ? bucket.nano - costNano : bucket.nano;
  const leadMs = bucket.updatedAtMs - nowMs;
  // A cost above capacity can never be paid, however long the caller waits.
  const retryAfterMs =
    costNano > bucket.capacityNano
      ? Infinity
      : msUntilRefilled(costNano - after, bucket.ratePerMs, leadMs);
  return {
    allowed: charge,
    state: { tokens: toTokens(bucket, after), updatedAtMs: bucket.updatedAtMs },
    remaining: charge ? Math.floor(after / NANO_PER_TOKEN) : 0,
    retryAfterMs: charge ? 0 : retryAfterMs,
    resetMs: msUntilRefilled(bucket.capacityNano - after, bucket.ratePerMs, leadMs),
  };
}

/** Refills `state` (undefined = a fresh, full bucket) up to `nowMs`, then tries to take `cost` tokens (default 1). Pure. */
export function takeTokens(
  state: TokenBucketState | undefined,
  config: TokenBucketConfig,
  nowMs: number,
  cost = 1,
): TokenDecision {
  assertValidConfig(config);
  assertValidCost(cost);
  assertValidNow(nowMs);
  const bucket = refill(state, config, nowMs);
  const costNano = costToNano(cost);
  return decide(bucket, costNano, canPay(bucket, costNano), nowMs);
}

/** Tokens the bucket holds at `nowMs` without taking any. */
export function tokensAt(
  state: TokenBucketState | undefined,
  config: TokenBucketConfig,
  nowMs: number,
): number {
  assertValidConfig(config);
  assertValidNow(nowMs);
  const bucket = refill(state, config, nowMs);
  return toTokens(bucket, bucket.nano);
}

/**
 * All-or-nothing take across several buckets: if any lacks `cost` tokens none is charged.
 * On rejection every decision is `allowed: false`, and the caller's wait is the largest retryAfterMs
 * (0 for the buckets that could have paid).
 */
export function takeFromAll(
  states: readonly (TokenBucketState | undefined)[],
  configs: readonly TokenBucketConfig[],
  nowMs: number,
  cost = 1,
): MultiTokenDecision {
  if (states.length !== configs.length) {
    throw new RangeError(`got ${states.length} bucket states but ${configs.length} configs`);
  }
  configs.forEach(assertValidConfig);
  assertValidCost(cost);
  assertValidNow(nowMs);
  const costNano = costToNano(cost);
  const buckets = configs.map((config, i) => refill(states[i], config, nowMs));
  const allowed = buckets.every((bucket) => canPay(bucket, costNano));
  return {
    allowed,
    decisions: buckets.map((bucket) => decide(bucket, costNano, allowed, nowMs)),
  };
}
