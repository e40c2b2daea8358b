import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ZodPipe } from '../../common/validation/zod-body.pipe';
import { UuidParamPipe } from '../../common/validation/uuid-param.pipe';
import { ApiKeysService, type CreatedKey, type KeyView } from './api-keys.service';
import { CurrentPrincipal, MinRole } from './auth.decorators';
import { newKeySchema, type NewKeyBody } from './auth.dto';
import type { TenantPrincipal } from './principal';

/** A tenant admin manages the tenant's own keys. */
@Controller('api/v1/keys')
@MinRole('admin')
export class KeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @Post()
  create(
    @CurrentPrincipal() principal: TenantPrincipal,
    @Body(new ZodPipe(newKeySchema)) body: NewKeyBody,
  ): Promise<CreatedKey> {
    return this.keys.createForTenant(principal, body);
  }

  @Get()
  async list(@CurrentPrincipal() principal: TenantPrincipal): Promise<{ items: KeyView[] }> {
    return { items: await this.keys.list(principal.tenantId) };
  }

  @Delete(':id')
  @HttpCode(204)
  revoke(
    @CurrentPrincipal() principal: TenantPrincipal,
    @Param('id', new UuidParamPipe('key')) id: string,
  ): Promise<void> {
    return this.keys.revoke(principal.tenantId, id);
  }
}
