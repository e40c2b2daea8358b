import type { AppConfig, ProviderBudgetName } from '../../../config';
import { DemoProvider } from './demo';
import type { LlmProvider, ProviderId } from './provider.types';

/** The providers this deployment can call: the demo provider always, real ones with credentials. */
export class ProviderRegistry {
  private readonly providers = new Map<ProviderId, LlmProvider>();

  constructor(config: Pick<AppConfig, 'providers' | 'demo'>) {
    this.providers.set(
      'demo',
      new DemoProvider({
        latencyMs: config.demo.latencyMs,
        failureRate: config.demo.failureRate,
        seed: config.demo.seed,
      }),
    );
    const credentials = config.providers.credentials;
    const configured = Object.keys(credentials) as ProviderBudgetName[];
    if (configured.length === 0) return;
    // The AI SDK and its provider packages (~40 MB) are loaded only when a real provider is
    // configured: the embedded default with demo agents stays small.
    /* eslint-disable @typescript-eslint/no-require-imports */
    const { sdkModelFactory } = require('./sdk-models') as typeof import('./sdk-models');
    const { SdkProvider } = require('./sdk-provider') as typeof import('./sdk-provider');
    /* eslint-enable @typescript-eslint/no-require-imports */
    for (const id of configured) {
      const settings = credentials[id];
      if (settings) this.providers.set(id, new SdkProvider(id, sdkModelFactory(id, settings)));
    }
  }

  get(id: ProviderId): LlmProvider | undefined {
    return this.providers.get(id);
  }

  has(id: ProviderId): boolean {
    return this.providers.has(id);
  }

  ids(): ProviderId[] {
    return [...this.providers.keys()];
  }
}
