import { Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../config';
import type { Logger } from '../common/logging/logger';
import { buildDataSourceOptions } from './data-source-options';
import { PoolMetrics } from './pool-metrics';
import { runMigrations } from './run-migrations';

@Module({})
export class DatabaseModule {
  /** Connects to `url` (external or the embedded server) and applies migrations before start-up completes. */
  static forRoot(options: { url: string; config: AppConfig; log: Logger }): DynamicModule {
    const { url, config, log } = options;
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: () => ({
            ...buildDataSourceOptions(config.database, url, log),
            retryAttempts: 3,
            retryDelay: 2000,
          }),
          dataSourceFactory: async (dataSourceOptions) => {
            if (!dataSourceOptions) throw new Error('missing data source options');
            const dataSource = await new DataSource(dataSourceOptions).initialize();
            await runMigrations(dataSource, config.database.commandTimeoutMs);
            return dataSource;
          },
        }),
      ],
      providers: [PoolMetrics],
    };
  }
}
