import { z } from 'zod';
import type { AgentSpec } from './agent.types';
import { PROVIDER_IDS } from './providers/provider.types';

/** No `#`: `name#2` names the second participant of one agent in a debate. */
export const AGENT_NAME = /^[a-z0-9][a-z0-9._-]{0,62}$/;

const agentName = z
  .string()
  .regex(AGENT_NAME, 'lowercase letters, digits and . _ - only, 1–63 characters');
const model = z.string().trim().min(1).max(200);
const target = z.strictObject({ provider: z.enum(PROVIDER_IDS), model });

const settings = {
  provider: z.enum(PROVIDER_IDS),
  model,
  persona: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]{0,31}$/, 'lowercase letters, digits, _ and - only, 1–32 characters')
    .default('default'),
  system_prompt: z.string().max(20_000).nullable().default(null),
  temperature: z.number().min(0).max(2).nullable().default(null),
  max_tokens: z.number().int().min(1).max(200_000).nullable().default(null),
  fallback: target.nullable().default(null),
};

export const newAgentSchema = z.strictObject({ name: agentName, ...settings });
export type NewAgentBody = z.infer<typeof newAgentSchema>;

/** PATCH: any subset of the settings; the name is the identity and does not change. */
export const agentPatchSchema = z
  .strictObject({
    provider: settings.provider,
    model,
    persona: settings.persona.unwrap(),
    system_prompt: z.string().max(20_000).nullable(),
    temperature: z.number().min(0).max(2).nullable(),
    max_tokens: z.number().int().min(1).max(200_000).nullable(),
    fallback: target.nullable(),
  })
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, 'at least one field to change');
export type AgentPatchBody = z.infer<typeof agentPatchSchema>;

export interface AgentView {
  name: string;
  provider: string;
  model: string;
  persona: string;
  system_prompt: string | null;
  temperature: number | null;
  max_tokens: number | null;
  fallback: { provider: string; model: string } | null;
  builtin: boolean;
  created_at: string | null;
  updated_at: string | null;
}

export function toAgentView(
  agent: AgentSpec,
  times?: { createdAt: Date; updatedAt: Date },
): AgentView {
  return {
    name: agent.name,
    provider: agent.provider,
    model: agent.model,
    persona: agent.persona,
    system_prompt: agent.systemPrompt,
    temperature: agent.temperature,
    max_tokens: agent.maxTokens,
    fallback: agent.fallback && { provider: agent.fallback.provider, model: agent.fallback.model },
    builtin: agent.builtin,
    created_at: times?.createdAt.toISOString() ?? null,
    updated_at: times?.updatedAt.toISOString() ?? null,
  };
}
