import { Injectable } from '@nestjs/common';

export type LiveStatName = 'active_debates' | 'websocket_connections';
export type DependencyState = 'connected' | 'disconnected' | 'not_configured';

/**
 * What other modules report for /api/v1/health: live counters and the state of optional
 * dependencies (a module that registered nothing counts 0 / `not_configured`).
 */
@Injectable()
export class LiveStats {
  private readonly counters = new Map<LiveStatName, () => number>();
  private readonly dependencies = new Map<'redis', () => DependencyState>();

  registerCounter(name: LiveStatName, read: () => number): void {
    this.counters.set(name, read);
  }

  registerDependency(name: 'redis', read: () => DependencyState): void {
    this.dependencies.set(name, read);
  }

  counter(name: LiveStatName): number {
    return this.counters.get(name)?.() ?? 0;
  }

  dependency(name: 'redis'): DependencyState {
    return this.dependencies.get(name)?.() ?? 'not_configured';
  }
}
