export type {
  AppConfig,
  CacheSettings,
  ProviderBudgetName,
  ProviderCredentials,
} from './app-config';
export { AppConfigModule, APP_CONFIG, InjectConfig } from './config.module';
export { ConfigValidationError, loadConfig, loadConfigFromProcess } from './load-config';
export type { ConfigProblem, EnvSource } from './load-config';
