/**
 * OpenAI wire formats: Chat Completions (`POST /v1/chat/completions`, also what
 * @ai-sdk/openai-compatible, deepseek, xai, mistral-like providers speak) and the
 * Responses API (`POST /v1/responses`, the default of `createOpenAI(...)(model)`).
 */
import { sseEvent, type SseEvent } from './sse';
import type { ResolvedReply } from './types';

const STATUS_ERRORS: Record<number, { type: string; code: string | null; message: string }> = {
  400: { type: 'invalid_request_error', code: null, message: 'Invalid request.' },
  401: { type: 'invalid_request_error', code: 'invalid_api_key', message: 'Incorrect API key.' },
  403: { type: 'invalid_request_error', code: 'unsupported_country', message: 'Forbidden.' },
  404: { type: 'invalid_request_error', code: 'model_not_found', message: 'Model not found.' },
  429: { type: 'requests', code: 'rate_limit_exceeded', message: 'Rate limit reached.' },
  500: { type: 'server_error', code: null, message: 'The server had an error.' },
  503: { type: 'server_error', code: null, message: 'The engine is currently overloaded.' },
};

export function openaiErrorBody(status: number, message?: string): unknown {
  const known = STATUS_ERRORS[status] ?? {
    type: status >= 500 ? 'server_error' : 'invalid_request_error',
    code: null,
    message: `HTTP ${status}.`,
  };
  return {
    error: {
      message: message ?? `${known.message} (fake-llm: scripted ${status})`,
      type: known.type,
      param: null,
      code: known.code,
    },
  };
}

function chatUsage({ usage }: ResolvedReply): unknown {
  return {
    prompt_tokens: usage.inputTokens,
    completion_tokens: usage.outputTokens,
    total_tokens: usage.inputTokens + usage.outputTokens,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: 0,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

export function chatCompletionBody(reply: ResolvedReply): unknown {
  return {
    id: `chatcmpl-fake-${reply.id}`,
    object: 'chat.completion',
    created: reply.created,
    model: reply.model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: reply.text, refusal: null, annotations: [] },
        logprobs: null,
        finish_reason: 'stop',
      },
    ],
    usage: chatUsage(reply),
    service_tier: 'default',
    system_fingerprint: 'fp_fake',
  };
}

/**
 * `data: <chunk>` lines, then `data: [DONE]`. Usage comes as OpenAI sends it when asked for
 * (`stream_options.include_usage`: a last chunk with `choices: []`), else on the finish chunk,
 * as Mistral, OpenRouter and most OpenAI-compatible servers do unasked.
 */
export function chatCompletionEvents(reply: ResolvedReply, includeUsage: boolean): SseEvent[] {
  const chunk = (choices: unknown[], extra: Record<string, unknown> = {}): SseEvent =>
    sseEvent({
      id: `chatcmpl-fake-${reply.id}`,
      object: 'chat.completion.chunk',
      created: reply.created,
      model: reply.model,
      system_fingerprint: 'fp_fake',
      choices,
      ...extra,
    });
  const choice = (delta: unknown, finishReason: string | null = null): unknown => ({
    index: 0,
    delta,
    logprobs: null,
    finish_reason: finishReason,
  });
  return [
    chunk([choice({ role: 'assistant', content: '', refusal: null })]),
    ...reply.chunks.map((content) => chunk([choice({ content })])),
    includeUsage
      ? chunk([choice({}, 'stop')])
      : chunk([choice({}, 'stop')], { usage: chatUsage(reply) }),
    ...(includeUsage ? [chunk([], { usage: chatUsage(reply) })] : []),
    sseEvent('[DONE]'),
  ];
}

function responsesUsage({ usage }: ResolvedReply): unknown {
  return {
    input_tokens: usage.inputTokens,
    input_tokens_details: { cached_tokens: 0 },
    output_tokens: usage.outputTokens,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: usage.inputTokens + usage.outputTokens,
  };
}

function messageItem(reply: ResolvedReply, text: string, status: string): unknown {
  return {
    id: `msg_fake_${reply.id}`,
    type: 'message',
    status,
    role: 'assistant',
    content: status === 'in_progress' ? [] : [outputText(text)],
  };
}

function outputText(text: string): unknown {
  return { type: 'output_text', text, annotations: [], logprobs: [] };
}

function responseObject(reply: ResolvedReply, text: string, done: boolean): unknown {
  return {
    id: `resp_fake_${reply.id}`,
    object: 'response',
    created_at: reply.created,
    status: done ? 'completed' : 'in_progress',
    error: null,
    incomplete_details: null,
    model: reply.model,
    output: done ? [messageItem(reply, text, 'completed')] : [],
    parallel_tool_calls: true,
    service_tier: 'default',
    usage: done ? responsesUsage(reply) : null,
  };
}

export function responsesBody(reply: ResolvedReply): unknown {
  return responseObject(reply, reply.text, true);
}

/** Named events, each data carrying `type` and `sequence_number`, as the Responses API streams. */
export function responsesEvents(reply: ResolvedReply): SseEvent[] {
  const text = reply.chunks.join('');
  const itemId = `msg_fake_${reply.id}`;
  const part = { item_id: itemId, output_index: 0, content_index: 0 };
  const events: [string, Record<string, unknown>][] = [
    ['response.created', { response: responseObject(reply, text, false) }],
    ['response.in_progress', { response: responseObject(reply, text, false) }],
    [
      'response.output_item.added',
      { output_index: 0, item: messageItem(reply, text, 'in_progress') },
    ],
    ['response.content_part.added', { ...part, part: outputText('') }],
    ...reply.chunks.map((delta): [string, Record<string, unknown>] => [
      'response.output_text.delta',
      { ...part, delta, logprobs: [] },
    ]),
    ['response.output_text.done', { ...part, text, logprobs: [] }],
    ['response.content_part.done', { ...part, part: outputText(text) }],
    ['response.output_item.done', { output_index: 0, item: messageItem(reply, text, 'completed') }],
    ['response.completed', { response: responseObject(reply, text, true) }],
  ];
  return events.map(([type, data], sequence) =>
    sseEvent({ type, sequence_number: sequence, ...data }, type),
  );
}
