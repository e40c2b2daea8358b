import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, QueryFailedError } from 'typeorm';
import { AgentEntity } from './agent.entity';

export type AgentRow = AgentEntity;
export type AgentFields = Omit<
  AgentEntity,
  'id' | 'tenantId' | 'tenant' | 'createdAt' | 'updatedAt'
>;

const UNIQUE_VIOLATION = '23505';

/** Tenant agents; every query is scoped by tenant. */
@Injectable()
export class AgentsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private get repo() {
    return this.dataSource.getRepository(AgentEntity);
  }

  list(tenantId: string): Promise<AgentRow[]> {
    return this.repo.find({ where: { tenantId }, order: { name: 'ASC' } });
  }

  async find(tenantId: string, name: string): Promise<AgentRow | undefined> {
    return (await this.repo.findOne({ where: { tenantId, name } })) ?? undefined;
  }

  async findMany(tenantId: string, names: readonly string[]): Promise<AgentRow[]> {
    if (names.length === 0) return [];
    return this.repo
      .createQueryBuilder('a')
      .where('a.tenant_id = :tenantId AND a.name = ANY(:names)', { tenantId, names: [...names] })
      .getMany();
  }

  /** Undefined when the tenant already has an agent of that name. */
  async insert(tenantId: string, fields: AgentFields): Promise<AgentRow | undefined> {
    try {
      return await this.repo.save(this.repo.create({ tenantId, ...fields }));
    } catch (error) {
      if (isUniqueViolation(error)) return undefined;
      throw error;
    }
  }

  async update(
    tenantId: string,
    name: string,
    fields: Partial<AgentFields>,
  ): Promise<AgentRow | undefined> {
    const result = await this.repo.update({ tenantId, name }, fields);
    return (result.affected ?? 0) > 0 ? this.find(tenantId, name) : undefined;
  }

  async delete(tenantId: string, name: string): Promise<boolean> {
    const result = await this.repo.delete({ tenantId, name });
    return (result.affected ?? 0) > 0;
  }
}

function isUniqueViolation(error: unknown): boolean {
  return (
    error instanceof QueryFailedError &&
    (error.driverError as { code?: string } | undefined)?.code === UNIQUE_VIOLATION
  );
}
