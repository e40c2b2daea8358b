import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { PatternParamPipe } from '../../common/validation/pattern-param.pipe';
import { ZodPipe } from '../../common/validation/zod-body.pipe';
import { CurrentPrincipal, MinRole } from '../auth/auth.decorators';
import type { TenantPrincipal } from '../auth/principal';
import {
  AGENT_NAME,
  agentPatchSchema,
  newAgentSchema,
  type AgentPatchBody,
  type AgentView,
  type NewAgentBody,
} from './agents.dto';
import { AgentsService } from './agents.service';
import type { AgentStatsView } from '../leaderboard/leaderboard.dto';
import { LeaderboardService } from '../leaderboard/leaderboard.service';

/** A name no agent can have is not found without asking the database. */
const agentName = new PatternParamPipe(AGENT_NAME, (name) => `No agent named ${name}`);

/** The tenant's agents and the built-in presets: any key reads, admins write. */
@Controller('api/v1/agents')
export class AgentsController {
  constructor(
    private readonly agents: AgentsService,
    private readonly leaderboard: LeaderboardService,
  ) {}

  @Get()
  async list(@CurrentPrincipal() principal: TenantPrincipal): Promise<{ items: AgentView[] }> {
    return { items: await this.agents.list(principal.tenantId) };
  }

  /** The agent's configuration with its rating, record and recent matches. */
  @Get(':name')
  async get(
    @CurrentPrincipal() principal: TenantPrincipal,
    @Param('name', agentName) name: string,
  ): Promise<AgentView & { stats: AgentStatsView }> {
    const agent = await this.agents.get(principal.tenantId, name);
    return { ...agent, stats: await this.leaderboard.agentStats(principal.tenantId, name) };
  }

  @Post()
  @MinRole('admin')
  create(
    @CurrentPrincipal() principal: TenantPrincipal,
    @Body(new ZodPipe(newAgentSchema)) body: NewAgentBody,
  ): Promise<AgentView> {
    return this.agents.create(principal.tenantId, body);
  }

  @Patch(':name')
  @MinRole('admin')
  update(
    @CurrentPrincipal() principal: TenantPrincipal,
    @Param('name', agentName) name: string,
    @Body(new ZodPipe(agentPatchSchema)) body: AgentPatchBody,
  ): Promise<AgentView> {
    return this.agents.update(principal.tenantId, name, body);
  }

  @Delete(':name')
  @MinRole('admin')
  @HttpCode(204)
  delete(
    @CurrentPrincipal() principal: TenantPrincipal,
    @Param('name', agentName) name: string,
  ): Promise<void> {
    return this.agents.delete(principal.tenantId, name);
  }
}
