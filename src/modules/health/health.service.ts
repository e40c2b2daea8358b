import { Injectable } from '@nestjs/common';
import { TypeOrmHealthIndicator } from '@nestjs/terminus';
import { InjectConfig, type AppConfig } from '../../config';
import { ServiceUnavailableError } from '../../common/errors';
import { DatabaseMonitor } from './database-monitor';
import { LiveStats, type DependencyState } from './live-stats';
import { ReadinessState } from './readiness.state';

export interface HealthReport {
  status: 'healthy' | 'unhealthy' | 'draining' | 'starting';
  version: string;
  uptime_seconds: number;
  active_debates: number;
  websocket_connections: number;
  database: DependencyState;
  redis: DependencyState;
}

const READINESS_PING_TIMEOUT_MS = 1_000;

@Injectable()
export class HealthService {
  private readonly startedAt = Date.now();

  constructor(
    @InjectConfig() private readonly config: AppConfig,
    private readonly readinessState: ReadinessState,
    private readonly monitor: DatabaseMonitor,
    private readonly stats: LiveStats,
    private readonly indicator: TypeOrmHealthIndicator,
  ) {}

  async assertReady(): Promise<void> {
    const phase = this.readinessState.phase;
    if (phase !== 'ready') {
      throw new ServiceUnavailableError(
        phase === 'draining' ? 'The service is shutting down' : 'The service is starting',
        { retryAfterSeconds: 1, extensions: { phase } },
      );
    }
    const result = await this.indicator.pingCheck('database', {
      timeout: READINESS_PING_TIMEOUT_MS,
    });
    const database = result['database'];
    if (database?.status !== 'up') {
      throw new ServiceUnavailableError('The database is unreachable', {
        retryAfterSeconds: 1,
        extensions: { phase, checks: { database: 'down' } },
      });
    }
  }

  report(): HealthReport {
    const phase = this.readinessState.phase;
    const database = this.monitor.database;
    const status = phase === 'ready' ? (database === 'connected' ? 'healthy' : 'unhealthy') : phase;
    return {
      status,
      version: this.config.version,
      uptime_seconds: Math.floor((Date.now() - this.startedAt) / 1000),
      active_debates: this.stats.counter('active_debates'),
      websocket_connections: this.stats.counter('websocket_connections'),
      database,
      redis: this.stats.dependency('redis'),
    };
  }
}
