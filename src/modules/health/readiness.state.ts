import { Injectable } from '@nestjs/common';

export type ReadinessPhase = 'starting' | 'ready' | 'draining';

/** Where the process is in its life: only `ready` takes traffic from a load balancer. */
@Injectable()
export class ReadinessState {
  private current: ReadinessPhase = 'starting';

  get phase(): ReadinessPhase {
    return this.current;
  }

  markReady(): void {
    if (this.current === 'starting') this.current = 'ready';
  }

  markDraining(): void {
    this.current = 'draining';
  }
}
