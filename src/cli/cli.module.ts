import { Module, type DynamicModule } from '@nestjs/common';
import { AppConfigModule, type AppConfig } from '../config';
import type { Logger } from '../common/logging/logger';
import { LoggerModule } from '../common/logging/logger.module';
import { DatabaseModule } from '../database/database.module';
import { ApiKeysRepository } from '../modules/auth/api-keys.repository';
import { ApiKeysService } from '../modules/auth/api-keys.service';
import { KeyAuthenticator } from '../modules/auth/key-authenticator';
import { TenantsModule } from '../modules/tenants/tenants.module';

/** The slice of the application the CLI needs: database, tenants, keys. No HTTP. */
@Module({})
export class CliModule {
  static forRoot(config: AppConfig, databaseUrl: string, log: Logger): DynamicModule {
    return {
      module: CliModule,
      imports: [
        AppConfigModule.forRoot(config),
        LoggerModule.forRoot(log),
        DatabaseModule.forRoot({ url: databaseUrl, config, log }),
        TenantsModule,
      ],
      providers: [ApiKeysRepository, ApiKeysService, KeyAuthenticator],
    };
  }
}
