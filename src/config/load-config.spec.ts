import { ConfigValidationError, loadConfig } from './load-config';

function problemsOf(env: Record<string, string>): ConfigValidationError['problems'] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigValidationError) return error.problems;
    throw error;
  }
  throw new Error('expected the configuration to be rejected');
}

describe('loadConfig', () => {
  it('starts on the embedded default with no environment at all', () => {
    const config = loadConfig({});
    expect(config.http).toMatchObject({
      host: '0.0.0.0',
      port: 8080,
      jsonBodyLimit: 10 * 1024 * 1024,
    });
    expect(config.database.url).toBeUndefined();
    expect(config.database.pool).toEqual({
      size: 20,
      overflow: 15,
      acquireTimeoutMs: 30_000,
      recycleSeconds: 1800,
    });
    expect(config.database).toMatchObject({ queryTimeoutMs: 30_000, statementTimeoutMs: 60_000 });
    expect(config.debates).toMatchObject({ maxConcurrent: 10, defaultRounds: 9, maxRounds: 12 });
    expect(config.rateLimit).toMatchObject({
      authenticatedPerMinute: 60,
      ipPerMinute: 120,
      burstMultiplier: 2,
    });
    expect(config.providers.rpm).toEqual({
      anthropic: 1000,
      openai: 500,
      grok: 500,
      openrouter: 500,
      mistral: 300,
      deepseek: 200,
      gemini: 60,
      'openai-compatible': 600,
    });
    expect(config.providers).toMatchObject({
      interRequestDelayMs: 1500,
      openrouterInterRequestDelayMs: 2000,
      burstShare: 0.1,
      // no key configured: only the demo provider is available
      credentials: {},
    });
    expect(config.websocket).toMatchObject({
      maxMessageBytes: 65536,
      heartbeatMs: 30_000,
      userEventQueueSize: 10_000,
    });
    expect(config.redis).toMatchObject({
      url: undefined,
      keyPrefix: 'aragora:ratelimit:',
      keyTtlSeconds: 120,
    });
    expect(config.slo).toEqual({
      availabilityTarget: 0.999,
      latencyP99TargetMs: 500,
      debateSuccessTarget: 0.95,
    });
    expect(config.demo).toEqual({ latencyMs: { min: 200, max: 800 }, failureRate: 0, seed: 42 });
  });

  it('names every bad variable with its value and allowed range in one error', () => {
    const problems = problemsOf({
      ARAGORA_MAX_CONCURRENT_DEBATES: '0',
      ARAGORA_DB_POOL_SIZE: 'abc',
      ARAGORA_BURST_MULTIPLIER: '11',
      ARAGORA_ALLOW_ANONYMOUS: 'maybe',
    });
    expect(problems.map((p) => [p.name, p.value, p.allowed])).toEqual([
      ['ARAGORA_DB_POOL_SIZE', 'abc', 'integer 1–100'],
      ['ARAGORA_MAX_CONCURRENT_DEBATES', '0', 'integer 1–100'],
      ['ARAGORA_BURST_MULTIPLIER', '11', 'number 1–10'],
      ['ARAGORA_ALLOW_ANONYMOUS', 'maybe', 'true | false'],
    ]);
    const message = new ConfigValidationError(problems).message;
    expect(message).toContain('ARAGORA_DB_POOL_SIZE="abc": allowed integer 1–100');
    expect(message).toContain('ARAGORA_MAX_CONCURRENT_DEBATES="0": allowed integer 1–100');
  });

  it('rejects fractions where an integer is required', () => {
    expect(problemsOf({ PORT: '80.5' }).map((p) => p.name)).toEqual(['PORT']);
  });

  it('never echoes a secret in the error', () => {
    const problems = problemsOf({
      DATABASE_URL: 'mysql://u:hunter2@db/x',
      ARAGORA_ADMIN_TOKEN: 'short',
    });
    expect(problems.map((p) => [p.name, p.value])).toEqual([
      ['DATABASE_URL', '***'],
      ['ARAGORA_ADMIN_TOKEN', '***'],
    ]);
    expect(new ConfigValidationError(problems).message).not.toContain('hunter2');
  });

  it('treats empty values as unset and ignores unknown variables', () => {
    const config = loadConfig({ PORT: '', SOMETHING_ELSE: 'x', DATABASE_URL: '' });
    expect(config.http.port).toBe(8080);
    expect(config.database.url).toBeUndefined();
  });

  it('accepts the seed aliases', () => {
    const config = loadConfig({
      ARAGORA_REDIS_URL: 'redis://cache:6379/0',
      ARAGORA_EMBEDDING_CACHE_TTL: '600',
    });
    expect(config.redis.url).toBe('redis://cache:6379/0');
    expect(config.caches.embeddings.ttlSeconds).toBe(600);
  });

  it('prefers the canonical name over an alias', () => {
    const config = loadConfig({ REDIS_URL: 'redis://a:1', ARAGORA_REDIS_URL: 'redis://b:2' });
    expect(config.redis.url).toBe('redis://a:1');
  });

  it.each([
    ['0', { min: 0, max: 0 }],
    ['2000-10000', { min: 2000, max: 10000 }],
    [' 5 - 7 ', { min: 5, max: 7 }],
  ])('parses the demo latency %p', (value, expected) => {
    expect(loadConfig({ ARAGORA_DEMO_LATENCY_MS: value }).demo.latencyMs).toEqual(expected);
  });

  it.each(['10-5', 'fast', '-3', '1-700000'])('rejects the demo latency %p', (value) => {
    expect(problemsOf({ ARAGORA_DEMO_LATENCY_MS: value }).map((p) => p.name)).toEqual([
      'ARAGORA_DEMO_LATENCY_MS',
    ]);
  });

  it('parses trusted proxies and rejects garbage', () => {
    expect(
      loadConfig({ ARAGORA_TRUSTED_PROXIES: '10.0.0.0/8, ::1,loopback' }).rateLimit.trustedProxies,
    ).toEqual(['10.0.0.0/8', '::1', 'loopback']);
    expect(
      problemsOf({ ARAGORA_TRUSTED_PROXIES: '10.0.0.0/8,nonsense' }).map((p) => p.name),
    ).toEqual(['ARAGORA_TRUSTED_PROXIES']);
  });

  it('converts seconds to milliseconds', () => {
    const config = loadConfig({
      ARAGORA_AGENT_TIMEOUT: '120',
      ARAGORA_INTER_REQUEST_DELAY: '0.25',
    });
    expect(config.debates.agentTimeoutMs).toBe(120_000);
    expect(config.providers.interRequestDelayMs).toBe(250);
  });

  it('configures a provider only when its key (or the compatible server URL) is set', () => {
    const config = loadConfig({
      ANTHROPIC_API_KEY: 'sk-ant-test',
      GOOGLE_GENERATIVE_AI_API_KEY: 'g-test',
      OPENAI_COMPATIBLE_BASE_URL: 'http://127.0.0.1:11434/v1',
      XAI_BASE_URL: 'https://proxy.example/xai',
    });
    expect(config.providers.credentials).toEqual({
      anthropic: { apiKey: 'sk-ant-test', baseUrl: undefined },
      gemini: { apiKey: 'g-test', baseUrl: undefined },
      'openai-compatible': { apiKey: undefined, baseUrl: 'http://127.0.0.1:11434/v1' },
    });
  });
});
