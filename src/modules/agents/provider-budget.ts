import type { ProviderBudgetName } from '../../config';
import type { RateLimitStore } from '../rate-limit/rate-limit.store';

export interface BudgetSettings {
  readonly rpm: Readonly<Record<ProviderBudgetName, number>>;
  /** Bucket capacity as a share of the RPM (at least one token). */
  readonly burstShare: number;
  /** Least time between two call starts to one provider on this node. */
  readonly staggerMs: Readonly<Record<ProviderBudgetName, number>>;
}

export interface BudgetPorts {
  readonly now: () => number;
  /** Waits `ms`; rejects with the signal's reason when it aborts. */
  readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
}

export interface BudgetState {
  readonly rpm: number;
  readonly capacity: number;
  /**
   * Calls that could start now: this node's view since its last take, refilled at the RPM rate
   * (other pods may have spent some since; the store is not charged to look).
   */
  readonly remaining: number;
}

const KEY_PREFIX = 'provider-rpm:';

/**
 * Each real provider's RPM budget (a token bucket in the rate-limit store, so in distributed mode
 * the whole fleet shares it) and the per-node stagger between call starts. `acquire` waits for
 * both; it never fails except through its signal.
 */
export class ProviderBudget {
  private readonly nextStart = new Map<ProviderBudgetName, number>();
  private readonly lastSeen = new Map<ProviderBudgetName, { tokens: number; at: number }>();

  constructor(
    private readonly store: RateLimitStore,
    private readonly settings: BudgetSettings,
    private readonly ports: BudgetPorts,
  ) {}

  capacity(provider: ProviderBudgetName): number {
    return Math.max(1, Math.floor(this.settings.rpm[provider] * this.settings.burstShare));
  }

  async acquire(provider: ProviderBudgetName, signal: AbortSignal): Promise<void> {
    await this.waitForStagger(provider, signal);
    const spec = this.bucket(provider);
    for (;;) {
      signal.throwIfAborted();
      const { allowed, buckets } = await this.store.take([spec]);
      this.lastSeen.set(provider, { tokens: buckets[0]?.remaining ?? 0, at: this.ports.now() });
      if (allowed) return;
      await this.ports.sleep(Math.max(1, buckets[0]?.retryAfterMs ?? 1), signal);
    }
  }

  state(provider: ProviderBudgetName): BudgetState {
    const rpm = this.settings.rpm[provider];
    const capacity = this.capacity(provider);
    const seen = this.lastSeen.get(provider);
    const refilled = seen ? seen.tokens + ((this.ports.now() - seen.at) / 60_000) * rpm : capacity;
    return { rpm, capacity, remaining: Math.floor(Math.min(capacity, refilled)) };
  }

  /** Reserves the next start slot first, so concurrent callers queue up one stagger apart. */
  private async waitForStagger(provider: ProviderBudgetName, signal: AbortSignal): Promise<void> {
    const gap = this.settings.staggerMs[provider];
    if (gap <= 0) return;
    const now = this.ports.now();
    const slot = Math.max(now, this.nextStart.get(provider) ?? 0);
    this.nextStart.set(provider, slot + gap);
    if (slot > now) await this.ports.sleep(slot - now, signal);
  }

  private bucket(provider: ProviderBudgetName) {
    return {
      key: `${KEY_PREFIX}${provider}`,
      capacity: this.capacity(provider),
      refillPerSecond: this.settings.rpm[provider] / 60,
    };
  }
}
