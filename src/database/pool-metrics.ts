import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { createGauge } from '../modules/observability/metric-registry';
import { poolOf } from './prepared-query';

/** `aragora_db_connections{state}` read from the pool at scrape time. */
@Injectable()
export class PoolMetrics implements OnModuleInit {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  onModuleInit(): void {
    const pool = poolOf(this.dataSource);
    const max = pool.options.max;
    createGauge({
      name: 'aragora_db_connections',
      help: 'Database pool connections by state (max = size + overflow)',
      labelNames: ['state'] as const,
      collect() {
        this.set({ state: 'total' }, pool.totalCount);
        this.set({ state: 'idle' }, pool.idleCount);
        this.set({ state: 'active' }, pool.totalCount - pool.idleCount);
        this.set({ state: 'waiting' }, pool.waitingCount);
        this.set({ state: 'available' }, max - pool.totalCount + pool.idleCount);
        this.set({ state: 'max' }, max);
      },
    });
  }
}
