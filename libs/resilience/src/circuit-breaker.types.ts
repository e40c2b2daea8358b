import type { Clock } from './clock';

export type CircuitState = 'closed' | 'open' | 'half_open';

export interface CircuitBreakerOptions {
  /** Consecutive failures in closed that open the circuit. Default 3. */
  readonly failureThreshold?: number;
  /** Time open before the next call may try half-open. Default 60 000 ms. */
  readonly cooldownMs?: number;
  /** Trial calls in flight at once while half-open. Default 3. */
  readonly halfOpenMaxCalls?: number;
  /** Trial successes that close the circuit again. Default 2. */
  readonly halfOpenSuccessThreshold?: number;
  readonly clock: Clock;
  readonly onStateChange?: (from: CircuitState, to: CircuitState) => void;
}

export interface CircuitBreakerSnapshot {
  readonly state: CircuitState;
  /** Consecutive failures counted while closed; 0 in the other states. */
  readonly consecutiveFailures: number;
  /** When the circuit last opened; undefined while closed. */
  readonly openedAt: number | undefined;
  readonly lastChangeAt: number;
  readonly halfOpenInFlight: number;
  readonly halfOpenSuccesses: number;
}

/** One admitted call. The first of success/failure/release counts; later calls are ignored. */
export interface Permit {
  success(): void;
  failure(): void;
  /** Neutral outcome (e.g. cancelled): frees the slot, counts as neither success nor failure. */
  release(): void;
}

export interface ExecuteOptions {
  /** Return false for errors that say nothing about the dependency's health. */
  readonly isFailure?: (error: unknown) => boolean;
  /** Passed to `fn`; an error thrown once it has fired is neutral. */
  readonly signal?: AbortSignal;
}
