import { createAnthropic } from '@ai-sdk/anthropic';
import { createDeepSeek } from '@ai-sdk/deepseek';
import { createGoogle } from '@ai-sdk/google';
import { createMistral } from '@ai-sdk/mistral';
import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { createXai } from '@ai-sdk/xai';
import { createOpenRouter } from '@openrouter/ai-sdk-provider';
import type { ProviderBudgetName, ProviderCredentials } from '../../../config';
import type { ModelFactory } from './sdk-provider';

/** The AI SDK provider package behind each real provider, pointed at its key and base URL. */
export function sdkModelFactory(
  provider: ProviderBudgetName,
  { apiKey, baseUrl }: ProviderCredentials,
): ModelFactory {
  const settings = {
    ...(apiKey !== undefined && { apiKey }),
    ...(baseUrl && { baseURL: baseUrl }),
  };
  switch (provider) {
    case 'anthropic': {
      const sdk = createAnthropic(settings);
      return (model) => sdk(model);
    }
    case 'openai': {
      const sdk = createOpenAI(settings);
      return (model) => sdk(model);
    }
    case 'gemini': {
      const sdk = createGoogle(settings);
      return (model) => sdk(model);
    }
    case 'mistral': {
      const sdk = createMistral(settings);
      return (model) => sdk(model);
    }
    case 'deepseek': {
      const sdk = createDeepSeek(settings);
      return (model) => sdk(model);
    }
    case 'grok': {
      const sdk = createXai(settings);
      return (model) => sdk(model);
    }
    case 'openrouter': {
      const sdk = createOpenRouter(settings);
      return (model) => sdk(model);
    }
    case 'openai-compatible': {
      const sdk = createOpenAICompatible({
        name: 'openai-compatible',
        baseURL: baseUrl ?? 'http://127.0.0.1:11434/v1',
        ...(apiKey !== undefined && { apiKey }),
      });
      return (model) => sdk(model);
    }
  }
}
