import { isAbortError } from './abort';
import type { Clock } from './clock';
import { CircuitOpenError } from './circuit-open-error';
import type {
  CircuitBreakerOptions,
  CircuitBreakerSnapshot,
  CircuitState,
  ExecuteOptions,
  Permit,
} from './circuit-breaker.types';

type Outcome = 'success' | 'failure' | 'neutral';

function assertCount(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`${name} must be an integer >= 1, got ${value}`);
  }
}

/**
 * Closed → (failureThreshold consecutive failures) → open → (cooldownMs, then a call) → half-open
 * → (halfOpenSuccessThreshold successes) → closed, or (any failure) → open again.
 * Half-open admits at most halfOpenMaxCalls trials at once and rejects the rest at once (no queue).
 */
export class CircuitBreaker {
  private readonly failureThreshold: number;
  private readonly cooldownMs: number;
  private readonly halfOpenMaxCalls: number;
  private readonly halfOpenSuccessThreshold: number;
  private readonly clock: Clock;
  private readonly onStateChange: CircuitBreakerOptions['onStateChange'];

  private current: CircuitState = 'closed';
  private consecutiveFailures = 0;
  private openedAt: number | undefined;
  private lastChangeAt: number;
  private halfOpenInFlight = 0;
  private halfOpenSuccesses = 0;
  private lastCall: number;
  // Bumped on every transition: a permit admitted in an earlier phase settles without effect,
  // so a slow call from before an open/close cannot count towards the new phase.
  private epoch = 0;

  constructor(
    readonly name: string,
    options: CircuitBreakerOptions,
  ) {
    this.failureThreshold = options.failureThreshold ?? 3;
    this.cooldownMs = options.cooldownMs ?? 60_000;
    this.halfOpenMaxCalls = options.halfOpenMaxCalls ?? 3;
    this.halfOpenSuccessThreshold = options.halfOpenSuccessThreshold ?? 2;
    assertCount('failureThreshold', this.failureThreshold);
    assertCount('halfOpenMaxCalls', this.halfOpenMaxCalls);
    assertCount('halfOpenSuccessThreshold', this.halfOpenSuccessThreshold);
    if (!(this.cooldownMs >= 0 && Number.isFinite(this.cooldownMs))) {
      throw new RangeError(`cooldownMs must be a finite number >= 0, got ${this.cooldownMs}`);
    }
    this.clock = options.clock;
    this.onStateChange = options.onStateChange;
    this.lastChangeAt = this.clock.now();
    this.lastCall = this.lastChangeAt;
  }

  /** Current state; an elapsed cooldown is applied here, so open may read as half_open. */
  get state(): CircuitState {
    this.refresh(this.clock.now());
    return this.current;
  }

  /** Clock time of the last `tryAcquire`/`execute` (creation time if none); used for pruning. */
  get lastCallAt(): number {
    return this.lastCall;
  }

  snapshot(): CircuitBreakerSnapshot {
    this.refresh(this.clock.now());
    return {
      state: this.current,
      consecutiveFailures: this.consecutiveFailures,
      openedAt: this.openedAt,
      lastChangeAt: this.lastChangeAt,
      halfOpenInFlight: this.halfOpenInFlight,
      halfOpenSuccesses: this.halfOpenSuccesses,
    };
  }

  /** Back to closed with all counts cleared; permits still out settle without effect. */
  reset(): void {
    this.transition('closed', this.clock.now());
  }

  /** Admits a call (settle the permit exactly once) or returns the refusal. Never throws. */
  tryAcquire(): Permit | CircuitOpenError {
    const now = this.clock.now();
    this.lastCall = now;
    this.refresh(now);
    if (this.current === 'open') {
      return new CircuitOpenError(this.name, this.cooldownLeft(now));
    }
    if (this.current === 'half_open') {
      if (this.halfOpenInFlight >= this.halfOpenMaxCalls) return new CircuitOpenError(this.name, 0);
      this.halfOpenInFlight++;
    }
    return this.permit(this.epoch, this.current);
  }

  /** Runs `fn` through the breaker; throws CircuitOpenError without calling it when refused. */
  async execute<T>(
    fn: (signal?: AbortSignal) => Promise<T>,
    options: ExecuteOptions = {},
  ): Promise<T> {
    const permit = this.tryAcquire();
    if (permit instanceof CircuitOpenError) throw permit;
    let outcome: Outcome = 'failure';
    try {
      const result = await fn(options.signal);
      outcome = 'success';
      return result;
    } catch (error) {
      // Cancellation says nothing about the dependency's health.
      const neutral =
        isAbortError(error) ||
        options.signal?.aborted === true ||
        options.isFailure?.(error) === false;
      outcome = neutral ? 'neutral' : 'failure';
      throw error;
    } finally {
      if (outcome === 'success') permit.success();
      else if (outcome === 'failure') permit.failure();
      else permit.release();
    }
  }

  private permit(epoch: number, admittedIn: CircuitState): Permit {
    let settled = false;
    const settle = (outcome: Outcome) => {
      if (settled) return;
      settled = true;
      this.settle(epoch, admittedIn, outcome);
    };
    return {
      success: () => settle('success'),
      failure: () => settle('failure'),
      release: () => settle('neutral'),
    };
  }

  private settle(epoch: number, admittedIn: CircuitState, outcome: Outcome): void {
    if (epoch !== this.epoch) return;
    const now = this.clock.now();
    if (admittedIn === 'closed') {
      if (outcome === 'success') this.consecutiveFailures = 0;
      if (outcome !== 'failure') return;
      this.consecutiveFailures++;
      if (this.consecutiveFailures >= this.failureThreshold) this.transition('open', now);
      return;
    }
    this.halfOpenInFlight--;
    if (outcome === 'failure') {
      this.transition('open', now);
    } else if (outcome === 'success') {
      this.halfOpenSuccesses++;
      if (this.halfOpenSuccesses >= this.halfOpenSuccessThreshold) this.transition('closed', now);
    }
  }

  private refresh(now: number): void {
    if (this.current !== 'open' || this.openedAt === undefined) return;
    // A clock that stepped back restarts the cooldown from the earlier time instead of stretching it.
    if (now < this.openedAt) this.openedAt = now;
    if (now - this.openedAt >= this.cooldownMs) this.transition('half_open', now);
  }

  private cooldownLeft(now: number): number {
    return Math.max(0, (this.openedAt ?? now) + this.cooldownMs - now);
  }

  private transition(to: CircuitState, now: number): void {
    const from = this.current;
    this.epoch++;
    this.current = to;
    this.lastChangeAt = now;
    this.consecutiveFailures = 0;
    this.halfOpenInFlight = 0;
    this.halfOpenSuccesses = 0;
    if (to === 'open') this.openedAt = now;
    if (to === 'closed') this.openedAt = undefined;
    if (from !== to) this.onStateChange?.(from, to);
  }
}
