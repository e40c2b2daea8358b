/**
 * The fake LLM server (test/fake-llm) driven through the real AI SDK provider adapters: every
 * provider below sends its real HTTP request and parses the fake's answer with its own code.
 */
import { createAnthropic } from '@ai-sdk/anthropic';
import { createDeepSeek } from '@ai-sdk/deepseek';
import { createMistral } from '@ai-sdk/mistral';
import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { createXai } from '@ai-sdk/xai';
import { createOpenRouter } from '@openrouter/ai-sdk-provider';
import {
  APICallError,
  generateText,
  JSONParseError,
  Output,
  streamText,
  type LanguageModel,
} from 'ai';
import { z } from 'zod';
import {
  startFakeLlmServer,
  type FakeApi,
  type FakeLlmServer,
  type RecordedRequest,
} from '../fake-llm/fake-llm-server';

globalThis.AI_SDK_LOG_WARNINGS = false;

const verdict = z.object({ verdict: z.string(), score: z.number() });

interface ProviderCase {
  name: string;
  api: FakeApi;
  path: string;
  model(fake: FakeLlmServer): LanguageModel;
  /** how the provider asks for structured output (a subset of the recorded request body) */
  structuredRequest: Record<string, unknown>;
}

const objectSchema = expect.objectContaining({ type: 'object', required: ['verdict', 'score'] });

const providers: ProviderCase[] = [
  {
    name: 'openai.chat (Chat Completions)',
    api: 'openai-chat',
    path: '/v1/chat/completions',
    model: (fake) => createOpenAI({ baseURL: fake.openaiBaseUrl, apiKey: 'test' }).chat('gpt-x'),
    structuredRequest: {
      response_format: {
        type: 'json_schema',
        json_schema: expect.objectContaining({
          name: 'response',
          strict: true,
          schema: objectSchema,
        }),
      },
    },
  },
  {
    name: 'openai (default: Responses API)',
    api: 'openai-responses',
    path: '/v1/responses',
    model: (fake) => createOpenAI({ baseURL: fake.openaiBaseUrl, apiKey: 'test' })('gpt-x'),
    structuredRequest: {
      text: { format: expect.objectContaining({ type: 'json_schema', schema: objectSchema }) },
    },
  },
  {
    name: 'anthropic (native output_config.format)',
    api: 'anthropic',
    path: '/v1/messages',
    model: (fake) =>
      createAnthropic({ baseURL: fake.anthropicBaseUrl, apiKey: 'test' })('claude-x'),
    structuredRequest: {
      output_config: { format: { type: 'json_schema', schema: objectSchema } },
    },
  },
  {
    name: 'anthropic (json tool fallback of older models)',
    api: 'anthropic',
    path: '/v1/messages',
    model: (fake) =>
      createAnthropic({ baseURL: fake.anthropicBaseUrl, apiKey: 'test' })(
        'claude-3-haiku-20240307',
      ),
    structuredRequest: {
      tools: [expect.objectContaining({ name: 'json', input_schema: objectSchema })],
      tool_choice: { type: 'any', disable_parallel_tool_use: true },
    },
  },
  {
    name: 'openai-compatible',
    api: 'openai-chat',
    path: '/v1/chat/completions',
    model: (fake) =>
      createOpenAICompatible({
        name: 'local',
        baseURL: fake.openaiBaseUrl,
        apiKey: 'test',
        includeUsage: true,
      })('local-x'),
    structuredRequest: { response_format: { type: 'json_object' } },
  },
];

async function until(what: string, condition: () => boolean, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

function lastRequest(fake: FakeLlmServer): RecordedRequest {
  const request = fake.requests().at(-1);
  if (request === undefined) throw new Error('no request recorded');
  return request;
}

describe('fake LLM server', () => {
  let fake: FakeLlmServer;
  beforeAll(async () => {
    fake = await startFakeLlmServer();
  });
  afterAll(() => fake.close());
  beforeEach(() => fake.reset());

  describe.each(providers)('$name', ({ api, path, model, structuredRequest }) => {
    const call = { maxRetries: 0, maxOutputTokens: 256, prompt: 'Is the sky blue?' };

    it('answers text with token usage, and records the request', async () => {
      fake.enqueue({ text: 'Yes, mostly.', usage: { inputTokens: 11, outputTokens: 3 } });
      const result = await generateText({ model: model(fake), ...call });
      expect(result.text).toBe('Yes, mostly.');
      expect(result.finishReason).toBe('stop');
      expect(result.usage).toMatchObject({ inputTokens: 11, outputTokens: 3, totalTokens: 14 });
      const request = lastRequest(fake);
      expect(request).toMatchObject({ id: 1, api, path, stream: false, aborted: false });
      expect(request.endedAt).toBeGreaterThanOrEqual(request.startedAt);
      expect(JSON.stringify(request.body)).toContain('Is the sky blue?');
      const auth =
        api === 'anthropic' ? request.headers['x-api-key'] : request.headers.authorization;
      expect(auth).toBe(api === 'anthropic' ? 'test' : 'Bearer test');
    });

    it('streams the scripted deltas in order, then the usage', async () => {
      fake.enqueue({
        chunks: ['The ', 'sky ', 'is ', 'blue.'],
        usage: { inputTokens: 5, outputTokens: 4 },
      });
      const result = streamText({ model: model(fake), ...call });
      const deltas: string[] = [];
      for await (const delta of result.textStream) deltas.push(delta);
      expect(deltas).toEqual(['The ', 'sky ', 'is ', 'blue.']);
      expect(await result.usage).toMatchObject({ inputTokens: 5, outputTokens: 4 });
      expect(await result.finishReason).toBe('stop');
      expect(lastRequest(fake)).toMatchObject({ api, path, stream: true });
    });

    it('returns structured output the SDK parses (generateText + Output.object)', async () => {
      fake.enqueue({ json: { verdict: 'blue', score: 0.9 } });
      const result = await generateText({
        model: model(fake),
        ...call,
        output: Output.object({ schema: verdict }),
      });
      expect(result.output).toEqual({ verdict: 'blue', score: 0.9 });
      expect(lastRequest(fake).body).toMatchObject(structuredRequest);
    });

    it('streams structured output too', async () => {
      fake.enqueue({ json: { verdict: 'grey', score: 0.1 } });
      const result = streamText({
        model: model(fake),
        ...call,
        output: Output.object({ schema: verdict }),
      });
      expect(await result.output).toEqual({ verdict: 'grey', score: 0.1 });
    });

    it('500 → APICallError with statusCode 500 (retryable)', async () => {
      fake.enqueue({ status: 500 });
      const error = await rejection(generateText({ model: model(fake), ...call }));
      expect(APICallError.isInstance(error)).toBe(true);
      expect(error).toMatchObject({ statusCode: 500, isRetryable: true });
      expect((error as APICallError).message).toContain('fake-llm: scripted 500');
    });

    it('429 with Retry-After → APICallError exposing the header', async () => {
      fake.enqueue({ status: 429, retryAfter: '2' });
      const error = await rejection(generateText({ model: model(fake), ...call }));
      expect(APICallError.isInstance(error)).toBe(true);
      expect(error).toMatchObject({ statusCode: 429, isRetryable: true });
      expect((error as APICallError).responseHeaders?.['retry-after']).toBe('2');
    });

    it('malformed body → APICallError "Invalid JSON response" caused by a JSONParseError', async () => {
      fake.enqueue({ malformed: true });
      const error = await rejection(generateText({ model: model(fake), ...call }));
      expect(APICallError.isInstance(error)).toBe(true);
      expect(error).toMatchObject({
        message: 'Invalid JSON response',
        statusCode: 200,
        isRetryable: false,
      });
      expect(JSONParseError.isInstance((error as APICallError).cause)).toBe(true);
    });

    it('malformed stream → a JSONParseError error part, finish reason "error"', async () => {
      fake.enqueue({ malformed: true });
      const errors: unknown[] = [];
      const result = streamText({ model: model(fake), ...call, onError: () => undefined });
      for await (const part of result.fullStream)
        if (part.type === 'error') errors.push(part.error);
      expect(errors).toHaveLength(1);
      expect(JSONParseError.isInstance(errors[0])).toBe(true);
      expect(await result.finishReason).toBe('error');
    });

    it('hang: aborting the signal ends the call, the server records the abort', async () => {
      fake.enqueue({ hang: true });
      const controller = new AbortController();
      const pending = rejection(
        generateText({ model: model(fake), ...call, abortSignal: controller.signal }),
      );
      await until('the request to arrive', () => fake.inFlight() === 1);
      controller.abort();
      expect(await pending).toMatchObject({ name: 'AbortError' });
      await until('the server to see the abort', () => lastRequest(fake).aborted);
      expect(fake.inFlight()).toBe(0);
      expect(lastRequest(fake).endedAt).toBeDefined();
    });
  });

  describe.each([
    { name: 'deepseek', api: 'openai-chat', model: createDeepSeek, id: 'deepseek-chat' },
    { name: 'mistral', api: 'openai-chat', model: createMistral, id: 'mistral-small-latest' },
    { name: 'openrouter', api: 'openai-chat', model: createOpenRouter, id: 'vendor/model' },
    { name: 'xai', api: 'openai-responses', model: createXai, id: 'grok-x' },
  ] as const)('$name', ({ api, model, id }) => {
    const create = (): LanguageModel => model({ baseURL: fake.openaiBaseUrl, apiKey: 'test' })(id);

    it('gets text, streamed deltas, usage and API errors from the fake', async () => {
      const usage = { inputTokens: 6, outputTokens: 2 };
      fake.enqueue({ text: 'plain answer', usage }, { chunks: ['streamed ', 'answer'], usage });
      const result = await generateText({ model: create(), maxRetries: 0, prompt: 'x' });
      expect([result.text, result.usage.inputTokens, result.usage.outputTokens]).toEqual([
        'plain answer',
        6,
        2,
      ]);
      const streamed = streamText({ model: create(), maxRetries: 0, prompt: 'x' });
      const deltas: string[] = [];
      for await (const delta of streamed.textStream) deltas.push(delta);
      expect(deltas).toEqual(['streamed ', 'answer']);
      expect(await streamed.usage).toMatchObject(usage);

      fake.enqueue({ status: 429, retryAfter: '2' });
      const error = await rejection(generateText({ model: create(), maxRetries: 0, prompt: 'x' }));
      expect(APICallError.isInstance(error)).toBe(true);
      expect((error as APICallError).responseHeaders?.['retry-after']).toBe('2');
      expect(fake.requests().map((r) => r.api)).toEqual([api, api, api]);
    });
  });

  describe('scripting', () => {
    const model = (): LanguageModel =>
      createOpenAI({ baseURL: fake.openaiBaseUrl, apiKey: 'test' }).chat('gpt-x');

    it('answers by default with a deterministic echo of the last user message', async () => {
      const ask = () =>
        generateText({
          model: model(),
          maxRetries: 0,
          messages: [
            { role: 'user', content: 'first question' },
            { role: 'assistant', content: 'first answer' },
            { role: 'user', content: 'What is 2 + 2?' },
          ],
        });
      const [a, b] = [await ask(), await ask()];
      expect(a.text).toBe('Fake answer to: What is 2 + 2?');
      expect(b.text).toBe(a.text);
      expect(a.usage.inputTokens).toBeGreaterThan(0);
    });

    it('consumes the queue FIFO, then falls back to the default', async () => {
      fake.setDefault({ text: 'default' });
      fake.enqueue({ text: 'one' }, { text: 'two' });
      const texts: string[] = [];
      for (let i = 0; i < 3; i += 1) {
        texts.push((await generateText({ model: model(), maxRetries: 0, prompt: 'x' })).text);
      }
      expect(texts).toEqual(['one', 'two', 'default']);
    });

    it('lets an x-fake-llm request header win over the queue', async () => {
      fake.enqueue({ text: 'queued' });
      const viaHeader = await generateText({
        model: model(),
        maxRetries: 0,
        prompt: 'x',
        headers: { 'x-fake-llm': JSON.stringify({ text: 'from the header' }) },
      });
      expect(viaHeader.text).toBe('from the header');
      expect((await generateText({ model: model(), maxRetries: 0, prompt: 'x' })).text).toBe(
        'queued',
      );
    });

    it('delays the response by latencyMs', async () => {
      fake.enqueue({ latencyMs: 200 });
      const started = Date.now();
      await generateText({ model: model(), maxRetries: 0, prompt: 'x' });
      expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    });

    it('counts concurrent requests in maxInFlight', async () => {
      fake.setDefault({ latencyMs: 150 });
      await Promise.all(
        [1, 2, 3].map(() => generateText({ model: model(), maxRetries: 0, prompt: 'x' })),
      );
      expect(fake.maxInFlight()).toBe(3);
      await until('all requests to close', () => fake.inFlight() === 0);
      await generateText({ model: model(), maxRetries: 0, prompt: 'x' });
      expect(fake.maxInFlight()).toBe(3);
      fake.reset();
      expect(fake.maxInFlight()).toBe(0);
      expect(fake.requests()).toEqual([]);
    });
  });

  describe('control endpoints and routing', () => {
    it('enqueues, lists and resets over HTTP', async () => {
      const enqueued = await fetch(`${fake.url}/_fake/enqueue`, {
        method: 'POST',
        body: JSON.stringify([{ text: 'over http' }, { status: 503 }]),
      });
      expect(await enqueued.json()).toEqual({ queued: 2 });
      const model = createOpenAI({ baseURL: fake.openaiBaseUrl, apiKey: 'test' }).chat('gpt-x');
      expect((await generateText({ model, maxRetries: 0, prompt: 'x' })).text).toBe('over http');
      const error = await rejection(generateText({ model, maxRetries: 0, prompt: 'x' }));
      expect(error).toMatchObject({ statusCode: 503 });

      const listed = (await (await fetch(`${fake.url}/_fake/requests`)).json()) as unknown[];
      expect(listed).toHaveLength(2);
      expect(listed[0]).toMatchObject({ id: 1, api: 'openai-chat', stream: false });

      await fetch(`${fake.url}/_fake/reset`, { method: 'POST' });
      expect(fake.requests()).toEqual([]);
    });

    it('rejects an invalid FakeReply with 400', async () => {
      const response = await fetch(`${fake.url}/_fake/default`, {
        method: 'POST',
        body: JSON.stringify({ status: 'teapot' }),
      });
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({
        error: { message: 'FakeReply.status must be a number' },
      });
    });

    it('answers unknown paths with 404 JSON', async () => {
      const response = await fetch(`${fake.url}/v1/embeddings`, { method: 'POST', body: '{}' });
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toBe('application/json');
      expect(await response.json()).toMatchObject({ error: { code: 'unknown_path' } });
    });

    it('close() ends hanging connections', async () => {
      const other = await startFakeLlmServer();
      other.setDefault({ hang: true });
      const model = createAnthropic({ baseURL: other.anthropicBaseUrl, apiKey: 'test' })(
        'claude-x',
      );
      const pending = rejection(generateText({ model, maxRetries: 0, prompt: 'x' }));
      await until('the request to arrive', () => other.inFlight() === 1);
      await other.close();
      // plain Node: APICallError "Cannot connect to API: other side closed" (retryable); under
      // jest the SDK's `instanceof TypeError` misses undici's TypeError (another realm), so the
      // raw TypeError "fetch failed" comes through
      expect(await pending).toMatchObject({
        message: expect.stringMatching(/fetch failed|Cannot connect to API/),
      });
      expect(other.requests()[0]).toMatchObject({ aborted: false, endedAt: expect.any(Number) });
    });
  });
});
