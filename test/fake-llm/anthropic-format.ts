/**
 * Anthropic Messages API wire format (`POST /v1/messages`). Structured output arrives either as
 * `output_config.format` (native, newer models: answered with a JSON text block) or, for models
 * without native support, as a forced tool named `json` (answered with a `tool_use` block).
 */
import { asRecord } from './reply';
import { sseEvent, type SseEvent } from './sse';
import type { ResolvedReply } from './types';

const STATUS_ERRORS: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  503: 'overloaded_error',
  529: 'overloaded_error',
};

export function anthropicErrorBody(status: number, requestId: string, message?: string): unknown {
  const type = STATUS_ERRORS[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
  return {
    type: 'error',
    error: { type, message: message ?? `${type} (fake-llm: scripted ${status})` },
    request_id: requestId,
  };
}

/** The SDK's fallback for structured output: a tool named `json`, no `output_config.format`. */
export function usesJsonTool(body: Record<string, unknown>): boolean {
  const format = asRecord(asRecord(body.output_config)?.format);
  const tools = Array.isArray(body.tools) ? body.tools : [];
  return format === undefined && tools.some((tool) => asRecord(tool)?.name === 'json');
}

function answerAsTool(reply: ResolvedReply, body: Record<string, unknown>): boolean {
  return reply.isJson && usesJsonTool(body);
}

function usage(reply: ResolvedReply, outputTokens: number): Record<string, unknown> {
  return {
    input_tokens: reply.usage.inputTokens,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 0,
    output_tokens: outputTokens,
    service_tier: 'standard',
  };
}

export function messageBody(reply: ResolvedReply, body: Record<string, unknown>): unknown {
  const asTool = answerAsTool(reply, body);
  return {
    id: `msg_fake_${reply.id}`,
    type: 'message',
    role: 'assistant',
    model: reply.model,
    content: [
      asTool
        ? { type: 'tool_use', id: `toolu_fake_${reply.id}`, name: 'json', input: reply.json }
        : { type: 'text', text: reply.text },
    ],
    stop_reason: asTool ? 'tool_use' : 'end_turn',
    stop_sequence: null,
    usage: usage(reply, reply.usage.outputTokens),
  };
}

/** message_start, content_block_start, ping, content_block_delta…, content_block_stop, message_delta, message_stop */
export function messageEvents(reply: ResolvedReply, body: Record<string, unknown>): SseEvent[] {
  const asTool = answerAsTool(reply, body);
  const event = (type: string, data: Record<string, unknown>): SseEvent =>
    sseEvent({ type, ...data }, type);
  return [
    event('message_start', {
      message: {
        id: `msg_fake_${reply.id}`,
        type: 'message',
        role: 'assistant',
        model: reply.model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: usage(reply, 1),
      },
    }),
    event('content_block_start', {
      index: 0,
      content_block: asTool
        ? { type: 'tool_use', id: `toolu_fake_${reply.id}`, name: 'json', input: {} }
        : { type: 'text', text: '' },
    }),
    event('ping', {}),
    ...reply.chunks.map((piece) =>
      event('content_block_delta', {
        index: 0,
        delta: asTool
          ? { type: 'input_json_delta', partial_json: piece }
          : { type: 'text_delta', text: piece },
      }),
    ),
    event('content_block_stop', { index: 0 }),
    event('message_delta', {
      delta: { stop_reason: asTool ? 'tool_use' : 'end_turn', stop_sequence: null },
      usage: { output_tokens: reply.usage.outputTokens },
    }),
    event('message_stop', {}),
  ];
}
