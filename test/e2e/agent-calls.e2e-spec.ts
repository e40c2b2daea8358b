import { CircuitBreakerRegistry, realTimer, sleep, type RetryPolicy } from '@aragora/resilience';
import { loadConfig } from '../../src/config';
import { AgentCaller, breakerName } from '../../src/modules/agents/agent-caller';
import { AgentMetrics } from '../../src/modules/agents/agent.metrics';
import { AgentCallError, type AgentSpec } from '../../src/modules/agents/agent.types';
import { ProviderBudget } from '../../src/modules/agents/provider-budget';
import { ProviderRegistry } from '../../src/modules/agents/providers/provider-registry';
import { BREAKER_DEFAULTS } from '../../src/modules/resilience/circuit-breakers.factory';
import { MemoryRateLimitStore } from '../../src/modules/rate-limit/memory-rate-limit.store';
import { startFakeLlmServer, type FakeLlmServer } from '../fake-llm/fake-llm-server';

/** A structured answer: a vote. */
const VOTE_OUTPUT = {
  name: 'vote',
  schema: {
    type: 'object',
    properties: {
      choice: { type: 'string' },
      confidence: { type: 'number' },
      reasoning: { type: 'string' },
    },
    required: ['choice', 'confidence', 'reasoning'],
    additionalProperties: false,
  },
};

/** The real SDK adapters against the fake provider server, through the whole call pipeline. */
describe('agent calls against a provider speaking the real wire formats', () => {
  let fake: FakeLlmServer;
  let offsetMs = 0;
  const clock = { now: () => Date.now() + offsetMs };
  let breakers: CircuitBreakerRegistry;
  let sleeps: number[];
  let caller: AgentCaller;
  const fastRetry: RetryPolicy = {
    maxRetries: 3,
    baseDelayMs: 20,
    maxDelayMs: 5_000,
    jitter: 0.25,
  };
  let retryPolicy: RetryPolicy;

  const agent = (over: Partial<AgentSpec> = {}): AgentSpec => ({
    name: 'tester',
    provider: 'openai-compatible',
    model: `model-${Math.random().toString(36).slice(2, 8)}`,
    persona: 'default',
    systemPrompt: 'You are terse.',
    temperature: 0.2,
    maxTokens: 200,
    fallback: null,
    builtin: false,
    ...over,
  });
  const ask = { messages: [{ role: 'user' as const, content: 'Should we shard the database?' }] };

  beforeAll(async () => {
    fake = await startFakeLlmServer();
  });
  afterAll(() => fake.close());

  beforeEach(() => {
    fake.reset();
    offsetMs = 0;
    sleeps = [];
    retryPolicy = fastRetry;
    const config = loadConfig({
      OPENAI_COMPATIBLE_BASE_URL: fake.openaiBaseUrl,
      ANTHROPIC_API_KEY: 'test-key',
      ANTHROPIC_BASE_URL: fake.anthropicBaseUrl,
      OPENAI_API_KEY: 'test-key',
      OPENAI_BASE_URL: fake.openaiBaseUrl,
      ARAGORA_INTER_REQUEST_DELAY: '0',
      ARAGORA_OPENROUTER_INTER_REQUEST_DELAY: '0',
    });
    const registry = new ProviderRegistry(config);
    breakers = new CircuitBreakerRegistry({ clock, defaults: BREAKER_DEFAULTS });
    const ports = {
      clock,
      now: clock.now,
      random: Math.random,
      setTimer: realTimer,
      sleep: (ms: number, signal?: AbortSignal) => {
        sleeps.push(ms);
        return sleep(ms, signal);
      },
    };
    const staggerMs = { ...config.providers.rpm };
    for (const key of Object.keys(staggerMs) as (keyof typeof staggerMs)[]) staggerMs[key] = 0;
    caller = new AgentCaller({
      providers: (id) => registry.get(id),
      breakers,
      budget: new ProviderBudget(
        new MemoryRateLimitStore(clock.now),
        { rpm: config.providers.rpm, burstShare: 1, staggerMs },
        ports,
      ),
      metrics: new AgentMetrics(),
      agentTimeoutMs: 10_000,
      ports,
      retryPolicy: () => retryPolicy,
    });
  });

  it('answers with text and token usage (OpenAI chat completions)', async () => {
    fake.enqueue({ text: 'Shard by tenant.', usage: { inputTokens: 12, outputTokens: 4 } });
    const result = await caller.call(agent(), ask);
    expect(result).toMatchObject({
      text: 'Shard by tenant.',
      usage: { inputTokens: 12, outputTokens: 4 },
      attempts: 1,
    });
    const [request] = fake.requests();
    expect(request?.api).toBe('openai-chat');
    expect(JSON.stringify(request?.body)).toContain('You are terse.');
  });

  it('answers through the Anthropic messages API and the OpenAI default API', async () => {
    fake.setDefault({ text: 'Yes, carefully.' });
    const anthropic = await caller.call(agent({ provider: 'anthropic', model: 'claude-x' }), ask);
    const openai = await caller.call(agent({ provider: 'openai', model: 'gpt-x' }), ask);
    expect([anthropic.text, openai.text]).toEqual(['Yes, carefully.', 'Yes, carefully.']);
    expect(fake.requests().map((r) => r.api)).toEqual([
      'anthropic',
      expect.stringMatching(/^openai-/),
    ]);
  });

  it('returns structured output parsed against the JSON schema', async () => {
    const vote = { choice: 'demo#2', confidence: 0.8, reasoning: 'clearest plan' };
    fake.setDefault({ json: vote });
    for (const provider of ['openai-compatible', 'anthropic'] as const) {
      const result = await caller.call(agent({ provider }), { ...ask, output: VOTE_OUTPUT });
      expect(result.object).toEqual(vote);
    }
  });

  it('streams deltas in order, and the result is their concatenation', async () => {
    const chunks = ['Shard ', 'by ', 'tenant, ', 'then ', 'by ', 'region.'];
    fake.setDefault({ chunks, chunkDelayMs: 5 });
    for (const provider of ['openai-compatible', 'anthropic'] as const) {
      const deltas: string[] = [];
      const result = await caller.call(agent({ provider }), {
        ...ask,
        onDelta: (d) => deltas.push(d),
      });
      expect(deltas.join('')).toBe(chunks.join(''));
      expect(deltas.length).toBeGreaterThan(1);
      expect(result.text).toBe(chunks.join(''));
    }
  });

  it('makes provider text storable: NUL and unpaired surrogates become U+FFFD, a split pair survives', async () => {
    fake.setDefault({ text: 'nul\u0000 and lone \ud800 here' });
    const plain = await caller.call(agent(), ask);
    expect(plain.text).toBe('nul\ufffd and lone \ufffd here');
    // a surrogate pair split across two stream chunks is whole again in the result
    fake.setDefault({ chunks: ['smile \ud83d', '\ude00 then \u0000'], chunkDelayMs: 5 });
    const deltas: string[] = [];
    const streamed = await caller.call(agent(), { ...ask, onDelta: (d) => deltas.push(d) });
    expect(streamed.text).toBe('smile \ud83d\ude00 then \ufffd');
    expect(deltas.join('').includes('\u0000')).toBe(false);
    fake.setDefault({ json: { choice: 'a\u0000b', confidence: 0.5, reasoning: '\udfff' } });
    const structured = await caller.call(agent(), { ...ask, output: VOTE_OUTPUT });
    expect(structured.object).toEqual({ choice: 'a\ufffdb', confidence: 0.5, reasoning: '\ufffd' });
  });

  it('opens the breaker after 3 consecutive 5xx; the 4th call fails fast without reaching the server', async () => {
    retryPolicy = { ...fastRetry, maxRetries: 0 };
    fake.setDefault({ status: 503 });
    const spec = agent();
    for (let i = 0; i < 3; i++) {
      await expect(caller.call(spec, ask)).rejects.toMatchObject({ code: 'provider_error' });
    }
    await expect(caller.call(spec, ask)).rejects.toMatchObject({ code: 'circuit_open' });
    expect(fake.requests()).toHaveLength(3);
    expect(breakers.get(breakerName(spec)).state).toBe('open');
  });

  it('stops retrying once the breaker opens within one call', async () => {
    fake.setDefault({ status: 500 });
    const spec = agent();
    const error = await caller.call(spec, ask).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AgentCallError);
    expect(error).toMatchObject({ code: 'circuit_open', attempts: 3 });
    expect(fake.requests()).toHaveLength(3);
  });

  it('after the cooldown admits at most 3 concurrent trial calls; 2 successes close it', async () => {
    retryPolicy = { ...fastRetry, maxRetries: 0 };
    const spec = agent();
    fake.setDefault({ status: 502 });
    for (let i = 0; i < 3; i++) await caller.call(spec, ask).catch(() => undefined);
    expect(breakers.get(breakerName(spec)).state).toBe('open');

    offsetMs = BREAKER_DEFAULTS.cooldownMs; // the cooldown passes
    fake.reset();
    fake.setDefault({ text: 'recovered', latencyMs: 300 });
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, () => caller.call(spec, ask)),
    );
    const fulfilled = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter(
      (r) => r.status === 'rejected' && (r.reason as AgentCallError).code === 'circuit_open',
    );
    expect(fake.maxInFlight()).toBe(3);
    expect(fake.requests()).toHaveLength(3);
    expect([fulfilled.length, refused.length]).toEqual([3, 3]);
    expect(breakers.get(breakerName(spec)).state).toBe('closed');
  });

  it('a failed trial call reopens the circuit', async () => {
    retryPolicy = { ...fastRetry, maxRetries: 0 };
    const spec = agent();
    fake.setDefault({ status: 503 });
    for (let i = 0; i < 3; i++) await caller.call(spec, ask).catch(() => undefined);
    offsetMs = BREAKER_DEFAULTS.cooldownMs;
    await expect(caller.call(spec, ask)).rejects.toMatchObject({ code: 'provider_error' });
    expect(breakers.get(breakerName(spec)).state).toBe('open');
  });

  it('delays the retry after a 429 by its Retry-After (2 s), then succeeds', async () => {
    fake.enqueue({ status: 429, retryAfter: '2' }, { text: 'after the wait' });
    const result = await caller.call(agent(), ask);
    expect(result).toMatchObject({ text: 'after the wait', attempts: 2 });
    expect(sleeps).toEqual([2_000]);
    const [first, second] = fake.requests();
    const gap = (second?.startedAt ?? 0) - (first?.endedAt ?? first?.startedAt ?? 0);
    // Retry-After is honoured in full (no jitter below it); the rest is scheduling slack
    expect(gap).toBeGreaterThanOrEqual(1_990);
    expect(gap).toBeLessThan(2_000 * 1.25);
  });

  it('never retries a 400', async () => {
    fake.setDefault({ status: 400 });
    await expect(caller.call(agent(), ask)).rejects.toMatchObject({
      code: 'invalid_request',
      attempts: 1,
    });
    expect(fake.requests()).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('ends a hanging call at the agent timeout and the connection is closed', async () => {
    fake.setDefault({ hang: true });
    const started = Date.now();
    await expect(caller.call(agent(), { ...ask, timeoutMs: 400 })).rejects.toMatchObject({
      code: 'timeout',
    });
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(390);
    expect(took).toBeLessThan(2_000);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(fake.requests()[0]?.aborted).toBe(true);
  });

  it('treats a malformed body as a retryable provider error', async () => {
    fake.enqueue({ malformed: true }, { text: 'fine now' });
    const result = await caller.call(agent(), ask);
    expect(result).toMatchObject({ text: 'fine now', attempts: 2 });
  });

  it('falls back to the configured provider on a rate error, and records it', async () => {
    retryPolicy = { ...fastRetry, maxRetries: 0 };
    fake.enqueue({ status: 429 }, { text: 'from the fallback' });
    const spec = agent({ fallback: { provider: 'anthropic', model: 'claude-fallback' } });
    const result = await caller.call(spec, ask);
    expect(result).toMatchObject({
      text: 'from the fallback',
      provider: 'anthropic',
      model: 'claude-fallback',
      fallback: { from: { provider: 'openai-compatible' }, to: { provider: 'anthropic' } },
    });
    expect(fake.requests().map((r) => r.api)).toEqual(['openai-chat', 'anthropic']);
  });

  it('does not count a cancelled call as a provider failure', async () => {
    fake.setDefault({ hang: true });
    const spec = agent();
    for (let i = 0; i < 3; i++) {
      const controller = new AbortController();
      const call = caller.call(spec, { ...ask, signal: controller.signal });
      setTimeout(() => controller.abort(), 50);
      await expect(call).rejects.toMatchObject({ name: 'AbortError' });
    }
    expect(breakers.get(breakerName(spec)).snapshot()).toMatchObject({
      state: 'closed',
      consecutiveFailures: 0,
    });
  });
});
