import { Injectable } from '@nestjs/common';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  RequestValidationError,
  type FieldViolation,
} from '../../common/errors';
import { InjectConfig, type AppConfig } from '../../config';
import { builtInAgents, RESERVED_AGENT_NAMES } from './agent-presets';
import type { AgentSpec, AgentTarget } from './agent.types';
import { toAgentView, type AgentPatchBody, type AgentView, type NewAgentBody } from './agents.dto';
import { AgentsRepository, type AgentFields, type AgentRow } from './agents.repository';
import { ProviderRegistry } from './providers/provider-registry';

/** A tenant's agents: its own configurations plus the built-in presets (read-only). */
@Injectable()
export class AgentsService {
  private readonly presets: ReadonlyMap<string, AgentSpec>;

  constructor(
    private readonly agents: AgentsRepository,
    private readonly providers: ProviderRegistry,
    @InjectConfig() config: AppConfig,
  ) {
    this.presets = new Map(builtInAgents(config.providers).map((a) => [a.name, a]));
  }

  async list(tenantId: string): Promise<AgentView[]> {
    const own = await this.agents.list(tenantId);
    return [...[...this.presets.values()].map((a) => toAgentView(a)), ...own.map(viewOfRow)];
  }

  async get(tenantId: string, name: string): Promise<AgentView> {
    const preset = this.presets.get(name);
    if (preset) return toAgentView(preset);
    const row = await this.agents.find(tenantId, name);
    if (!row) throw new NotFoundError(`No agent named ${name}`);
    return viewOfRow(row);
  }

  async create(tenantId: string, body: NewAgentBody): Promise<AgentView> {
    const violations = this.check(body);
    if (RESERVED_AGENT_NAMES.has(body.name)) {
      violations.unshift({
        field: 'name',
        rule: 'reserved',
        message: `${body.name} is the name of a built-in agent`,
      });
    }
    if (violations.length > 0) throw new RequestValidationError(violations);
    const row = await this.agents.insert(tenantId, {
      name: body.name,
      provider: body.provider,
      model: body.model,
      persona: body.persona,
      systemPrompt: body.system_prompt,
      temperature: body.temperature,
      maxTokens: body.max_tokens,
      fallbackProvider: body.fallback?.provider ?? null,
      fallbackModel: body.fallback?.model ?? null,
    });
    if (!row) throw new ConflictError(`An agent named ${body.name} already exists`);
    return viewOfRow(row);
  }

  async update(tenantId: string, name: string, patch: AgentPatchBody): Promise<AgentView> {
    this.refuseBuiltIn(name);
    const violations = this.check(patch);
    if (violations.length > 0) throw new RequestValidationError(violations);
    const row = await this.agents.update(tenantId, name, fieldsOf(patch));
    if (!row) throw new NotFoundError(`No agent named ${name}`);
    return viewOfRow(row);
  }

  async delete(tenantId: string, name: string): Promise<void> {
    this.refuseBuiltIn(name);
    if (!(await this.agents.delete(tenantId, name))) {
      throw new NotFoundError(`No agent named ${name}`);
    }
  }

  /** The agents a debate names (`demo#2` → `demo`), in order; unknown names answer 422. */
  async resolve(tenantId: string, names: readonly string[]): Promise<AgentSpec[]> {
    const own = new Map(
      (
        await this.agents.findMany(
          tenantId,
          names.filter((n) => !this.presets.has(n)),
        )
      ).map((row) => [row.name, specOfRow(row)]),
    );
    const violations: FieldViolation[] = [];
    const specs = names.map((name, i) => {
      const spec = this.presets.get(name) ?? own.get(name);
      if (!spec) {
        violations.push({
          field: `agents.${i}`,
          rule: 'unknown_agent',
          message: `No agent named ${name}`,
        });
      }
      return spec;
    });
    if (violations.length > 0) throw new RequestValidationError(violations);
    return specs.filter((s): s is AgentSpec => s !== undefined);
  }

  private refuseBuiltIn(name: string): void {
    if (this.presets.has(name) || RESERVED_AGENT_NAMES.has(name)) {
      throw new ForbiddenError(`${name} is a built-in agent and cannot be changed`);
    }
  }

  /** Providers must be configured on this deployment (a key, or the compatible server's URL). */
  private check(body: { provider?: AgentTarget['provider']; fallback?: AgentTarget | null }) {
    const violations: FieldViolation[] = [];
    if (body.provider !== undefined && !this.providers.has(body.provider)) {
      violations.push(notConfigured('provider', body.provider));
    }
    if (body.fallback && !this.providers.has(body.fallback.provider)) {
      violations.push(notConfigured('fallback.provider', body.fallback.provider));
    }
    return violations;
  }
}

function notConfigured(field: string, provider: string): FieldViolation {
  return {
    field,
    rule: 'not_configured',
    message: `provider ${provider} is not configured on this deployment`,
  };
}

function fieldsOf(body: AgentPatchBody): Partial<AgentFields> {
  return {
    ...(body.provider !== undefined && { provider: body.provider }),
    ...(body.model !== undefined && { model: body.model }),
    ...(body.persona !== undefined && { persona: body.persona }),
    ...(body.system_prompt !== undefined && { systemPrompt: body.system_prompt }),
    ...(body.temperature !== undefined && { temperature: body.temperature }),
    ...(body.max_tokens !== undefined && { maxTokens: body.max_tokens }),
    ...(body.fallback !== undefined && {
      fallbackProvider: body.fallback?.provider ?? null,
      fallbackModel: body.fallback?.model ?? null,
    }),
  };
}

function specOfRow(row: AgentRow): AgentSpec {
  return {
    name: row.name,
    provider: row.provider,
    model: row.model,
    persona: row.persona,
    systemPrompt: row.systemPrompt,
    temperature: row.temperature,
    maxTokens: row.maxTokens,
    fallback:
      row.fallbackProvider && row.fallbackModel
        ? { provider: row.fallbackProvider, model: row.fallbackModel }
        : null,
    builtin: false,
  };
}

function viewOfRow(row: AgentRow): AgentView {
  return toAgentView(specOfRow(row), row);
}
