import type { AppConfig, ProviderBudgetName } from '../../config';
import type { AgentSpec } from './agent.types';

const DEMO_MODEL = 'demo-1';

/** The five demo agents every tenant has: offline, deterministic, one persona each. */
const DEMO_PRESETS: readonly AgentSpec[] = [
  ['demo', 'default'],
  ['demo-analyst', 'analyst'],
  ['demo-skeptic', 'skeptic'],
  ['demo-pragmatist', 'pragmatist'],
  ['demo-contrarian', 'contrarian'],
].map(([name, persona]) => ({
  name: name!,
  provider: 'demo',
  model: DEMO_MODEL,
  persona: persona!,
  systemPrompt: null,
  temperature: null,
  maxTokens: null,
  fallback: null,
  builtin: true,
}));

/** One preset per real provider, named after it, present while the provider is configured. */
const PROVIDER_PRESET_MODELS: Readonly<Record<ProviderBudgetName, string>> = {
  anthropic: 'claude-sonnet-4-5',
  openai: 'gpt-4.1',
  gemini: 'gemini-2.5-flash',
  mistral: 'mistral-large-latest',
  deepseek: 'deepseek-chat',
  grok: 'grok-4',
  openrouter: 'openrouter/auto',
  'openai-compatible': '',
};

/** Preset name of each real provider (`local` for the OpenAI-compatible server). */
export const PROVIDER_PRESET_NAMES: Readonly<Record<ProviderBudgetName, string>> = {
  anthropic: 'anthropic',
  openai: 'openai',
  gemini: 'gemini',
  mistral: 'mistral',
  deepseek: 'deepseek',
  grok: 'grok',
  openrouter: 'openrouter',
  'openai-compatible': 'local',
};

/** Names a tenant cannot give its own agents, configured or not (a key set later must not shadow one). */
export const RESERVED_AGENT_NAMES: ReadonlySet<string> = new Set([
  ...DEMO_PRESETS.map((p) => p.name),
  ...Object.values(PROVIDER_PRESET_NAMES),
]);

export function builtInAgents(config: AppConfig['providers']): AgentSpec[] {
  const providerPresets = (Object.keys(config.credentials) as ProviderBudgetName[]).map(
    (provider): AgentSpec => ({
      name: PROVIDER_PRESET_NAMES[provider],
      provider,
      model:
        provider === 'openai-compatible'
          ? config.openaiCompatibleModel
          : PROVIDER_PRESET_MODELS[provider],
      persona: 'default',
      systemPrompt: null,
      temperature: null,
      maxTokens: null,
      fallback: null,
      builtin: true,
    }),
  );
  return [...DEMO_PRESETS, ...providerPresets];
}
