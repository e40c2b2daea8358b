import {
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { TypeOrmHealthIndicator } from '@nestjs/terminus';

import type { DependencyState } from './live-stats';

const CHECK_INTERVAL_MS = 2_000;
const CHECK_TIMEOUT_MS = 1_000;

/**
 * Pings the database in the background so that /api/v1/health, which load balancers poll at
 * high rates, answers from memory instead of costing a query per request.
 */
@Injectable()
export class DatabaseMonitor implements OnApplicationBootstrap, OnApplicationShutdown {
  private state: DependencyState = 'connected';
  private timer: NodeJS.Timeout | undefined;
  private checking = false;

  constructor(private readonly indicator: TypeOrmHealthIndicator) {}

  get database(): DependencyState {
    return this.state;
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.check(), CHECK_INTERVAL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** One ping with a short timeout; returns and remembers the result. */
  async check(): Promise<DependencyState> {
    if (this.checking) return this.state;
    this.checking = true;
    try {
      const result = await this.indicator.pingCheck('database', { timeout: CHECK_TIMEOUT_MS });
      this.state = result['database']?.status === 'up' ? 'connected' : 'disconnected';
    } catch {
      this.state = 'disconnected';
    } finally {
      this.checking = false;
    }
    return this.state;
  }
}
