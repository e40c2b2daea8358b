import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { TenantsModule } from '../tenants/tenants.module';
import { AdminController } from './admin.controller';

@Module({
  imports: [AuthModule, TenantsModule],
  controllers: [AdminController],
})
export class AdminModule {}
