import { Body, Controller, Param, Post } from '@nestjs/common';
import { ZodPipe } from '../../common/validation/zod-body.pipe';
import { UuidParamPipe } from '../../common/validation/uuid-param.pipe';
import { ApiKeysService, type CreatedKey } from '../auth/api-keys.service';
import { OperatorOnly } from '../auth/auth.decorators';
import {
  newKeySchema,
  newTenantSchema,
  type NewKeyBody,
  type NewTenantBody,
} from '../auth/auth.dto';
import { TenantsService } from '../tenants/tenants.service';

export interface TenantView {
  id: string;
  name: string;
  created_at: string;
}

/** The platform operator (ARAGORA_ADMIN_TOKEN) creates tenants and their first keys. */
@Controller('api/v1/admin/tenants')
@OperatorOnly()
export class AdminController {
  constructor(
    private readonly tenants: TenantsService,
    private readonly keys: ApiKeysService,
  ) {}

  @Post()
  async createTenant(@Body(new ZodPipe(newTenantSchema)) body: NewTenantBody): Promise<TenantView> {
    const tenant = await this.tenants.create(body.name);
    return { id: tenant.id, name: tenant.name, created_at: tenant.createdAt.toISOString() };
  }

  @Post(':id/keys')
  async createKey(
    @Param('id', new UuidParamPipe('tenant')) tenantId: string,
    @Body(new ZodPipe(newKeySchema)) body: NewKeyBody,
  ): Promise<CreatedKey> {
    await this.tenants.get(tenantId);
    return this.keys.create(tenantId, body);
  }
}
