import { AgentEntity } from '../modules/agents/agent.entity';
import {
  DebateCheckpointEntity,
  DebateEventEntity,
  DebateMessageEntity,
  DebateVoteEntity,
} from '../modules/debates/debate-records.entity';
import { DebateEntity } from '../modules/debates/debate.entity';
import { AgentMatchEntity, AgentRatingEntity } from '../modules/leaderboard/rating.entity';
import { ApiKeyEntity } from '../modules/auth/api-key.entity';
import { TenantEntity } from '../modules/tenants/tenant.entity';

/** Every entity, listed explicitly (no globs: the same list works from src in tests and from dist). */
export const entities = [
  TenantEntity,
  ApiKeyEntity,
  AgentEntity,
  DebateEntity,
  DebateCheckpointEntity,
  DebateMessageEntity,
  DebateEventEntity,
  DebateVoteEntity,
  AgentRatingEntity,
  AgentMatchEntity,
];
