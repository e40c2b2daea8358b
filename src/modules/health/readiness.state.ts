import { Injectable } from '@nestjs/common';

export type ReadinessPhase = 'starting' | 'ready' | 'draining';

/** Where the process is in its life: only `ready` takes traffic from a load balancer. */
@Injectable()
export class ReadinessState {
  private current: ReadinessPhase = 'starting';
  private readonly drainingListeners = new Set<() => void>();

  get phase(): ReadinessPhase {
    return this.current;
  }

  markReady(): void {
    if (this.current === 'starting') this.current = 'ready';
  }

  /** Draining is final: the listeners are told once, the first time. */
  markDraining(): void {
    if (this.current === 'draining') return;
    this.current = 'draining';
    const listeners = [...this.drainingListeners];
    this.drainingListeners.clear();
    for (const listener of listeners) listener();
  }

  /**
   * Calls `listener` once as the process starts draining (at once if it already is); returns a
   * function that cancels it.
   */
  onDraining(listener: () => void): () => void {
    if (this.current === 'draining') {
      listener();
      return () => undefined;
    }
    this.drainingListeners.add(listener);
    return () => this.drainingListeners.delete(listener);
  }
}
