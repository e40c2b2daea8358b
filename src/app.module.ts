import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { AppConfigModule, type AppConfig } from './config';
import type { Logger } from './common/logging/logger';
import { LoggerModule } from './common/logging/logger.module';
import { ProblemDetailsFilter } from './common/problem-details/problem-details.filter';
import { DatabaseModule } from './database/database.module';
import { AdminModule } from './modules/admin/admin.module';
import { AgentsModule } from './modules/agents/agents.module';
import { AppCacheModule } from './modules/cache/cache.module';
import { LeaderboardModule } from './modules/leaderboard/leaderboard.module';
import { DebatesModule } from './modules/debates/debates.module';
import { GatewayModule } from './modules/gateway/gateway.module';
import { AuthGuard } from './modules/auth/auth.guard';
import { AuthModule } from './modules/auth/auth.module';
import { HealthModule } from './modules/health/health.module';
import { ObservabilityModule } from './modules/observability/observability.module';
import { RateLimitGuard } from './modules/rate-limit/rate-limit.guard';
import { RateLimitModule } from './modules/rate-limit/rate-limit.module';
import { ResilienceModule } from './modules/resilience/resilience.module';
import type { RateLimitStore } from './modules/rate-limit/rate-limit.store';

export interface AppModuleOptions {
  readonly config: AppConfig;
  readonly databaseUrl: string;
  readonly log: Logger;
  /** Test seam: a rate-limit store with a controlled clock. */
  readonly rateLimitStore?: RateLimitStore;
}

@Module({})
export class AppModule {
  static forRoot({ config, databaseUrl, log, rateLimitStore }: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        AppConfigModule.forRoot(config),
        LoggerModule.forRoot(log),
        DatabaseModule.forRoot({ url: databaseUrl, config, log }),
        RateLimitModule.forRoot(config, log, rateLimitStore),
        HealthModule,
        AuthModule,
        AdminModule,
        ResilienceModule,
        AppCacheModule,
        AgentsModule,
        LeaderboardModule,
        DebatesModule.forRoot(),
        GatewayModule,
        ...(config.telemetry ? [ObservabilityModule.forRoot()] : []),
      ],
      providers: [
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        // Order matters: the principal is resolved before its tier is limited.
        { provide: APP_GUARD, useExisting: AuthGuard },
        { provide: APP_GUARD, useExisting: RateLimitGuard },
      ],
    };
  }
}
