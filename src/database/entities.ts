import { AgentEntity } from '../modules/agents/agent.entity';
import { ApiKeyEntity } from '../modules/auth/api-key.entity';
import { TenantEntity } from '../modules/tenants/tenant.entity';

/** Every entity, listed explicitly (no globs: the same list works from src in tests and from dist). */
export const entities = [TenantEntity, ApiKeyEntity, AgentEntity];
