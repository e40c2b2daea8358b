import type { FakeReply, ResolvedReply } from './types';

export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** Validates a FakeReply arriving as JSON (control endpoints, `x-fake-llm` header). */
export function parseFakeReply(value: unknown): FakeReply {
  const record = asRecord(value);
  if (record === undefined) throw new Error('a FakeReply must be a JSON object');
  const expect = (key: string, type: string): void => {
    if (record[key] !== undefined && typeof record[key] !== type) {
      throw new Error(`FakeReply.${key} must be a ${type}`);
    }
  };
  expect('text', 'string');
  expect('latencyMs', 'number');
  expect('chunkDelayMs', 'number');
  expect('status', 'number');
  expect('retryAfter', 'string');
  expect('hang', 'boolean');
  expect('malformed', 'boolean');
  const { chunks, usage } = record;
  if (
    chunks !== undefined &&
    !(Array.isArray(chunks) && chunks.every((c) => typeof c === 'string'))
  ) {
    throw new Error('FakeReply.chunks must be an array of strings');
  }
  const usageRecord = asRecord(usage);
  if (
    usage !== undefined &&
    (typeof usageRecord?.inputTokens !== 'number' || typeof usageRecord.outputTokens !== 'number')
  ) {
    throw new Error('FakeReply.usage must be { inputTokens: number, outputTokens: number }');
  }
  return record;
}

export function parseFakeReplies(value: unknown): FakeReply[] {
  return Array.isArray(value) ? value.map(parseFakeReply) : [parseFakeReply(value)];
}

/** Word by word, keeping the whitespace: the pieces concatenate back to `text`. */
export function splitWords(text: string): string[] {
  return text === '' ? [] : text.split(/(?<=\s)(?=\S)/);
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part) => asRecord(part)?.text)
    .filter((text): text is string => typeof text === 'string')
    .join('\n');
}

/** The prompt's messages: `messages` (chat completions, anthropic) or `input` (responses). */
function messagesOf(body: Record<string, unknown>): Record<string, unknown>[] {
  const list = body.messages ?? body.input;
  if (typeof list === 'string') return [{ role: 'user', content: list }];
  if (!Array.isArray(list)) return [];
  return list.map(asRecord).filter((m): m is Record<string, unknown> => m !== undefined);
}

export function lastUserText(body: Record<string, unknown>): string {
  const user = messagesOf(body).findLast((m) => m.role === 'user');
  return user === undefined ? '' : textOf(user.content);
}

/** A deterministic token estimate (~4 characters a token) of the whole prompt. */
function estimateInputTokens(body: Record<string, unknown>): number {
  const system = typeof body.system === 'string' ? body.system : textOf(body.system);
  const chars = messagesOf(body).reduce((sum, m) => sum + textOf(m.content).length, system.length);
  return Math.max(1, Math.ceil(chars / 4));
}

function defaultText(body: Record<string, unknown>): string {
  const last = lastUserText(body).replace(/\s+/g, ' ').trim();
  const echoed = last.length > 120 ? `${last.slice(0, 117)}...` : last;
  return `Fake answer to: ${echoed || '(empty prompt)'}`;
}

export function resolveReply(
  reply: FakeReply,
  body: Record<string, unknown>,
  id: number,
): ResolvedReply {
  const isJson = reply.json !== undefined;
  const text = isJson
    ? JSON.stringify(reply.json)
    : (reply.text ?? reply.chunks?.join('') ?? defaultText(body));
  const chunks = reply.chunks ?? splitWords(text);
  return {
    id,
    model: typeof body.model === 'string' ? body.model : 'fake-model',
    text,
    isJson,
    json: reply.json,
    chunks,
    usage: reply.usage ?? {
      inputTokens: estimateInputTokens(body),
      outputTokens: Math.max(1, splitWords(text).length),
    },
    created: Math.floor(Date.now() / 1000),
  };
}
