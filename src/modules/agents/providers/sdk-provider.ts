import {
  APICallError,
  generateText,
  jsonSchema,
  Output,
  streamText,
  type LanguageModel,
  type LanguageModelUsage,
  type ModelMessage,
} from 'ai';
import { isAbortError } from '@aragora/resilience';
import { toStorableText, toStorableValue } from '../../../common/storable-text';
import {
  ProviderCallError,
  type LlmProvider,
  type ProviderEvent,
  type ProviderId,
  type ProviderRequest,
  type ProviderResult,
  type TokenUsage,
} from './provider.types';

export type ModelFactory = (model: string) => LanguageModel;

const MALFORMED_ERRORS = new Set([
  'AI_JSONParseError',
  'AI_TypeValidationError',
  'AI_NoObjectGeneratedError',
  'AI_NoOutputGeneratedError',
  'AI_InvalidResponseDataError',
  'AI_EmptyResponseBodyError',
  'AI_NoContentGeneratedError',
]);

/**
 * A real provider through the Vercel AI SDK. Its answers are made storable (toStorableText): a
 * model may emit NUL, which the event log could not keep. The SDK never retries (`maxRetries: 0`): the
 * retry policy, breaker and budgets of AgentCaller are the only ones.
 */
export class SdkProvider implements LlmProvider {
  constructor(
    readonly id: ProviderId,
    private readonly modelFor: ModelFactory,
  ) {}

  async complete(request: ProviderRequest): Promise<ProviderResult> {
    try {
      const common = this.options(request);
      if (request.output) {
        const result = await generateText({
          ...common,
          output: Output.object({ schema: jsonSchema(request.output.schema) }),
        });
        return {
          text: toStorableText(result.text),
          object: toStorableValue(result.output),
          usage: usageOf(result.usage),
          finishReason: result.finishReason,
        };
      }
      const result = await generateText(common);
      return {
        text: toStorableText(result.text),
        usage: usageOf(result.usage),
        finishReason: result.finishReason,
      };
    } catch (error) {
      throw this.translate(error, request.signal);
    }
  }

  async *stream(request: ProviderRequest): AsyncIterable<ProviderEvent> {
    // Structured answers are only useful whole: one delta with the JSON.
    if (request.output) {
      const result = await this.complete(request);
      yield { type: 'delta', text: result.text };
      yield { type: 'done', result };
      return;
    }
    const result = streamText({ ...this.options(request), onError: () => undefined });
    let text = '';
    try {
      for await (const part of result.fullStream) {
        if (part.type === 'text-delta') {
          text += part.text;
          // NUL goes now; a surrogate half may be completed by the next delta (fixed in the result)
          yield { type: 'delta', text: part.text.replaceAll('\0', '\uFFFD') };
        } else if (part.type === 'error') {
          throw part.error;
        } else if (part.type === 'abort') {
          throw request.signal.reason ?? new DOMException('aborted', 'AbortError');
        }
      }
      yield {
        type: 'done',
        result: {
          text: toStorableText(text),
          usage: usageOf(await result.totalUsage),
          finishReason: await result.finishReason,
        },
      };
    } catch (error) {
      throw this.translate(error, request.signal);
    }
  }

  private options(request: ProviderRequest) {
    return {
      model: this.modelFor(request.model),
      ...(request.system !== undefined && { system: request.system }),
      messages: request.messages.map((m): ModelMessage => ({ role: m.role, content: m.content })),
      ...(request.temperature !== undefined && { temperature: request.temperature }),
      ...(request.maxTokens !== undefined && { maxOutputTokens: request.maxTokens }),
      abortSignal: request.signal,
      maxRetries: 0,
    };
  }

  /** SDK errors become ProviderCallError (status, Retry-After); cancellation passes through. */
  private translate(error: unknown, signal: AbortSignal): unknown {
    if (signal.aborted || isAbortError(error)) return signal.reason ?? error;
    if (error instanceof ProviderCallError) return error;
    // A 2xx whose body the SDK could not parse: the provider answered garbage, not an error.
    if (
      APICallError.isInstance(error) &&
      (error.statusCode ?? 0) >= 200 &&
      (error.statusCode ?? 0) < 300
    ) {
      return new ProviderCallError(`${this.id}: malformed response: ${error.message}`, {
        provider: this.id,
        kind: 'malformed',
      });
    }
    if (APICallError.isInstance(error)) {
      const retryAfter = headerValue(error.responseHeaders, 'retry-after');
      return new ProviderCallError(`${this.id}: ${error.message}`, {
        provider: this.id,
        kind: 'http',
        ...(error.statusCode !== undefined && { status: error.statusCode }),
        ...(retryAfter !== undefined && { retryAfter }),
      });
    }
    const name = error instanceof Error ? error.name : '';
    const message = error instanceof Error ? error.message : String(error);
    return new ProviderCallError(`${this.id}: ${message}`, {
      provider: this.id,
      kind: MALFORMED_ERRORS.has(name) ? 'malformed' : 'network',
    });
  }
}

function headerValue(
  headers: Record<string, string> | undefined,
  name: string,
): string | undefined {
  if (!headers) return undefined;
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name) return value;
  }
  return undefined;
}

function usageOf(usage: LanguageModelUsage): TokenUsage {
  return { inputTokens: usage.inputTokens ?? 0, outputTokens: usage.outputTokens ?? 0 };
}
