import { z } from 'zod';
import { UUID } from '../../common/validation/uuid-param.pipe';
import { MAX_EVENT_SEQ, type BusEvent } from '../debates/debate-event-bus';

/** Bumped when a message changes incompatibly; sent in `hello`. */
export const PROTOCOL_VERSION = 1;

export type ErrorCode =
  | 'invalid_json'
  | 'invalid_message'
  | 'unknown_type'
  | 'not_found'
  | 'already_subscribed'
  | 'too_many_subscriptions'
  | 'rate_limited'
  | 'unavailable';

/** An id that cannot exist is simply not found (never a database error). */
export const isDebateId = (value: string): boolean => UUID.test(value);

/** Echoed in the answer, so that a client can match answers to requests. */
const requestId = z.union([z.string().max(100), z.number().int()]).optional();
const debateId = z.string().min(1).max(100);

const schemas = {
  subscribe: z.object({
    type: z.literal('subscribe'),
    debate_id: debateId,
    after_seq: z.number().int().min(0).max(MAX_EVENT_SEQ).optional(),
    id: requestId,
  }),
  unsubscribe: z.object({ type: z.literal('unsubscribe'), debate_id: debateId, id: requestId }),
  ping: z.object({ type: z.literal('ping'), id: requestId }),
};

export type ClientMessage = z.output<(typeof schemas)[keyof typeof schemas]>;

export type Parsed =
  | { readonly ok: true; readonly message: ClientMessage }
  | {
      readonly ok: false;
      readonly code: ErrorCode;
      readonly message: string;
      readonly id?: string | number;
    };

const isKnownType = (type: string): type is keyof typeof schemas => Object.hasOwn(schemas, type);

/** The id to echo in an error: only a valid request id (a 60 KB `id` is not sent back). */
function idOf(value: Record<string, unknown>): string | number | undefined {
  const parsed = requestId.safeParse(value.id);
  return parsed.success ? parsed.data : undefined;
}

/** One client frame: JSON, an object with a known `type`, and that type's fields. */
export function parseClientMessage(text: string): Parsed {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, code: 'invalid_json', message: 'The message is not valid JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, code: 'invalid_message', message: 'The message must be a JSON object' };
  }
  const record = value as Record<string, unknown>;
  const id = idOf(record);
  const type = record.type;
  if (typeof type !== 'string') {
    return { ok: false, code: 'invalid_message', message: 'The message needs a string `type`', id };
  }
  if (!isKnownType(type)) {
    return {
      ok: false,
      code: 'unknown_type',
      message: `Unknown message type "${type.slice(0, 50)}" (subscribe, unsubscribe, ping)`,
      id,
    };
  }
  const parsed = schemas[type].safeParse(value);
  if (!parsed.success) {
    const detail = parsed.error.issues
      .map((issue) => `${issue.path.join('.') || 'message'}: ${issue.message}`)
      .join('; ');
    return { ok: false, code: 'invalid_message', message: detail, id };
  }
  return { ok: true, message: parsed.data };
}

export interface HelloLimits {
  readonly maxMessageBytes: number;
  readonly messagesPerSecond: number;
  readonly messageBurst: number;
  readonly maxSubscriptions: number;
  readonly eventQueueSize: number;
  readonly heartbeatMs: number;
}

export function helloFrame(connectionId: string, limits: HelloLimits): string {
  return JSON.stringify({
    type: 'hello',
    protocol: PROTOCOL_VERSION,
    connection_id: connectionId,
    limits: {
      max_message_bytes: limits.maxMessageBytes,
      messages_per_second: limits.messagesPerSecond,
      message_burst: limits.messageBurst,
      max_subscriptions: limits.maxSubscriptions,
      event_queue_size: limits.eventQueueSize,
      heartbeat_ms: limits.heartbeatMs,
    },
  });
}

export function ackFrame(
  op: ClientMessage['type'],
  id: string | number | undefined,
  extra: Record<string, unknown> = {},
): string {
  return JSON.stringify({ type: 'ack', op, ...(id !== undefined && { id }), ...extra });
}

export function errorFrame(
  code: ErrorCode,
  message: string,
  extra: { readonly debateId?: string; readonly id?: string | number | undefined } = {},
): string {
  return JSON.stringify({
    type: 'error',
    code,
    message,
    ...(extra.debateId !== undefined && { debate_id: extra.debateId }),
    ...(extra.id !== undefined && { id: extra.id }),
  });
}

/** An event of the log as the REST API shows it (`eventView`). */
export interface LoggedEvent {
  readonly seq: number;
  readonly type: string;
  readonly ts: string;
  readonly round?: number;
  readonly agent?: string;
  readonly data: unknown;
}

/** The envelope of a live event; the same shape and field order as a replayed one. */
export function liveEnvelope(event: BusEvent): string {
  return JSON.stringify({
    type: event.type,
    debate_id: event.debateId,
    seq: event.seq,
    ts: new Date(event.ts).toISOString(),
    ...(event.round !== null && { round: event.round }),
    ...(event.agent !== null && { agent: event.agent }),
    data: event.data,
  });
}

export function replayEnvelope(debateId: string, event: LoggedEvent): string {
  return JSON.stringify({
    type: event.type,
    debate_id: debateId,
    seq: event.seq,
    ts: event.ts,
    ...(event.round !== undefined && { round: event.round }),
    ...(event.agent !== undefined && { agent: event.agent }),
    data: event.data,
  });
}
