export { DemoProvider, type DemoLatency, type DemoProviderOptions } from './demo-provider';
export { DEMO_PERSONAS, type DemoPersona } from './demo-voices';
