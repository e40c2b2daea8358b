import { Injectable } from '@nestjs/common';
import { ConflictError, NotFoundError } from '../../common/errors';
import type { TenantEntity } from './tenant.entity';
import { TenantsRepository } from './tenants.repository';

@Injectable()
export class TenantsService {
  constructor(private readonly tenants: TenantsRepository) {}

  async create(name: string): Promise<TenantEntity> {
    const tenant = await this.tenants.create(name);
    if (!tenant) throw new ConflictError(`A tenant named "${name}" already exists`);
    return tenant;
  }

  async get(id: string): Promise<TenantEntity> {
    const tenant = await this.tenants.findById(id);
    if (!tenant) throw new NotFoundError(`No tenant ${id}`);
    return tenant;
  }

  findByName(name: string): Promise<TenantEntity | null> {
    return this.tenants.findByName(name);
  }
}
