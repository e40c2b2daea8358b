import { CircuitBreaker } from './circuit-breaker';
import type {
  CircuitBreakerOptions,
  CircuitBreakerSnapshot,
  CircuitState,
} from './circuit-breaker.types';
import type { Clock } from './clock';

export interface CircuitBreakerRegistryOptions {
  readonly clock: Clock;
  /** Options shared by every breaker the registry creates. */
  readonly defaults?: Omit<CircuitBreakerOptions, 'clock' | 'onStateChange'>;
  /** Default 1000. */
  readonly maxBreakers?: number;
  /** A closed breaker without a call for longer than this may be pruned when full. Default 24 h. */
  readonly staleMs?: number;
  readonly onStateChange?: (name: string, from: CircuitState, to: CircuitState) => void;
}

export interface NamedSnapshot {
  readonly name: string;
  readonly snapshot: CircuitBreakerSnapshot;
}

/** Breakers by name (one per provider/host), bounded so unbounded names cannot grow memory. */
export class CircuitBreakerRegistry {
  private readonly breakers = new Map<string, CircuitBreaker>();
  private readonly maxBreakers: number;
  private readonly staleMs: number;

  constructor(private readonly options: CircuitBreakerRegistryOptions) {
    this.maxBreakers = options.maxBreakers ?? 1000;
    this.staleMs = options.staleMs ?? 24 * 60 * 60 * 1000;
    if (!Number.isInteger(this.maxBreakers) || this.maxBreakers < 1) {
      throw new RangeError(`maxBreakers must be an integer >= 1, got ${this.maxBreakers}`);
    }
    if (!(this.staleMs >= 0)) {
      throw new RangeError(`staleMs must be >= 0, got ${this.staleMs}`);
    }
  }

  get size(): number {
    return this.breakers.size;
  }

  /**
   * The breaker for `name`, created on first use. When the registry is full, idle closed breakers
   * are pruned first (a caller still holding one keeps a detached breaker); if none can go, throws RangeError.
   */
  get(name: string): CircuitBreaker {
    const existing = this.breakers.get(name);
    if (existing !== undefined) return existing;
    if (this.breakers.size >= this.maxBreakers) this.prune();
    if (this.breakers.size >= this.maxBreakers) {
      throw new RangeError(`circuit breaker registry is full (${this.maxBreakers} breakers)`);
    }
    const { onStateChange } = this.options;
    const breaker = new CircuitBreaker(name, {
      ...this.options.defaults,
      clock: this.options.clock,
      ...(onStateChange && { onStateChange: (from, to) => onStateChange(name, from, to) }),
    });
    this.breakers.set(name, breaker);
    return breaker;
  }

  has(name: string): boolean {
    return this.breakers.has(name);
  }

  list(): NamedSnapshot[] {
    return [...this.breakers].map(([name, breaker]) => ({ name, snapshot: breaker.snapshot() }));
  }

  /** Resets the named breaker to closed; false if there is none. */
  reset(name: string): boolean {
    const breaker = this.breakers.get(name);
    breaker?.reset();
    return breaker !== undefined;
  }

  private prune(): void {
    const now = this.options.clock.now();
    for (const [name, breaker] of this.breakers) {
      // Open or half-open breakers hold information about a failing dependency: never dropped.
      if (now - breaker.lastCallAt > this.staleMs && breaker.state === 'closed') {
        this.breakers.delete(name);
      }
    }
  }
}
