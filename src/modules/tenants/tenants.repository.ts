import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, QueryFailedError } from 'typeorm';
import { TenantEntity } from './tenant.entity';

const UNIQUE_VIOLATION = '23505';

@Injectable()
export class TenantsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private get repo() {
    return this.dataSource.getRepository(TenantEntity);
  }

  /** Returns undefined when the name is taken. */
  async create(name: string): Promise<TenantEntity | undefined> {
    try {
      return await this.repo.save(this.repo.create({ name }));
    } catch (error) {
      if (
        error instanceof QueryFailedError &&
        (error.driverError as { code?: string }).code === UNIQUE_VIOLATION
      ) {
        return undefined;
      }
      throw error;
    }
  }

  findById(id: string): Promise<TenantEntity | null> {
    return this.repo.findOneBy({ id });
  }

  findByName(name: string): Promise<TenantEntity | null> {
    return this.repo.findOneBy({ name });
  }
}
