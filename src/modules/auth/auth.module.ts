import { Module } from '@nestjs/common';
import { TenantsModule } from '../tenants/tenants.module';
import { ApiKeysRepository } from './api-keys.repository';
import { ApiKeysService } from './api-keys.service';
import { AuthGuard } from './auth.guard';
import { KeyAuthenticator } from './key-authenticator';
import { KeysController } from './keys.controller';

@Module({
  imports: [TenantsModule],
  controllers: [KeysController],
  providers: [ApiKeysRepository, ApiKeysService, KeyAuthenticator, AuthGuard],
  exports: [ApiKeysService, AuthGuard],
})
export class AuthModule {}
