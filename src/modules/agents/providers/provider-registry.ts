import type { AppConfig, ProviderBudgetName } from '../../../config';
import { DemoProvider } from './demo';
import type { LlmProvider, ProviderId } from './provider.types';
import { sdkModelFactory } from './sdk-models';
import { SdkProvider } from './sdk-provider';

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
    for (const id of Object.keys(credentials) as ProviderBudgetName[]) {
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
