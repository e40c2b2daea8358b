import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { AppConfigModule, type AppConfig } from './config';
import type { Logger } from './common/logging/logger';
import { LoggerModule } from './common/logging/logger.module';
import { ProblemDetailsFilter } from './common/problem-details/problem-details.filter';
import { DatabaseModule } from './database/database.module';
import { HealthModule } from './modules/health/health.module';
import { ObservabilityModule } from './modules/observability/observability.module';

export interface AppModuleOptions {
  readonly config: AppConfig;
  readonly databaseUrl: string;
  readonly log: Logger;
}

@Module({})
export class AppModule {
  static forRoot({ config, databaseUrl, log }: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        AppConfigModule.forRoot(config),
        LoggerModule.forRoot(log),
        DatabaseModule.forRoot({ url: databaseUrl, config, log }),
        HealthModule,
        ...(config.telemetry ? [ObservabilityModule.forRoot()] : []),
      ],
      providers: [{ provide: APP_FILTER, useClass: ProblemDetailsFilter }],
    };
  }
}
