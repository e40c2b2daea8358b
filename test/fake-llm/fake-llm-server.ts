/**
 * A real HTTP server speaking the LLM providers' wire formats, so the AI SDK provider adapters
 * run their real code paths against it (point `baseURL` at `openaiBaseUrl` / `anthropicBaseUrl`).
 * Replies are scripted (queue, default, or a per-request `x-fake-llm: <json FakeReply>` header,
 * which wins) and every request is recorded.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { anthropicErrorBody, messageBody, messageEvents } from './anthropic-format';
import {
  chatCompletionBody,
  chatCompletionEvents,
  openaiErrorBody,
  responsesBody,
  responsesEvents,
} from './openai-format';
import { asRecord, parseFakeReplies, parseFakeReply, resolveReply } from './reply';
import { sleep, startSse, writeSse, type SseEvent } from './sse';
import type { FakeApi, FakeLlmServer, FakeReply, RecordedRequest, ResolvedReply } from './types';

export type { FakeApi, FakeLlmServer, FakeReply, RecordedRequest } from './types';

export const FAKE_REPLY_HEADER = 'x-fake-llm';

type Body = Record<string, unknown>;

interface WireFormat {
  requestIdHeader: string;
  error(status: number, requestId: string, message?: string): unknown;
  body(reply: ResolvedReply, request: Body): unknown;
  events(reply: ResolvedReply, request: Body): SseEvent[];
}

const FORMATS: Record<FakeApi, WireFormat> = {
  'openai-chat': {
    requestIdHeader: 'x-request-id',
    error: (status, _id, message) => openaiErrorBody(status, message),
    body: (reply) => chatCompletionBody(reply),
    events: (reply, request) =>
      chatCompletionEvents(reply, asRecord(request.stream_options)?.include_usage === true),
  },
  'openai-responses': {
    requestIdHeader: 'x-request-id',
    error: (status, _id, message) => openaiErrorBody(status, message),
    body: (reply) => responsesBody(reply),
    events: (reply) => responsesEvents(reply),
  },
  anthropic: {
    requestIdHeader: 'request-id',
    error: anthropicErrorBody,
    body: messageBody,
    events: messageEvents,
  },
};

const ROUTES: Record<string, FakeApi> = {
  'chat/completions': 'openai-chat',
  responses: 'openai-responses',
  messages: 'anthropic',
};

/** `POST [/v1]/chat/completions | /responses | /messages` */
function apiFor(method: string | undefined, pathname: string): FakeApi | undefined {
  const route = /^(?:\/v1)?\/(chat\/completions|responses|messages)\/?$/.exec(pathname)?.[1];
  return method === 'POST' && route !== undefined ? ROUTES[route] : undefined;
}

/** The request body; undefined when the client goes away before sending all of it. */
function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => resolve(undefined));
    req.on('close', () => {
      if (!req.complete) resolve(undefined);
    });
  });
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  return JSON.parse((await readBody(req)) ?? '') as unknown;
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { ...headers, 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function headersOf(req: IncomingMessage): Record<string, string> {
  return Object.fromEntries(
    Object.entries(req.headers).map(([name, value]) => [
      name,
      Array.isArray(value) ? value.join(', ') : (value ?? ''),
    ]),
  );
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A malformed stream: the first event, then one whose data is not JSON, then the end. */
function malformedEvents(events: SseEvent[]): SseEvent[] {
  return [...events.slice(0, 1), { event: events[1]?.event, data: '{"fake-llm": "malformed' }];
}

export async function startFakeLlmServer(
  options: { port?: number; host?: string } = {},
): Promise<FakeLlmServer> {
  const host = options.host ?? '127.0.0.1';
  let queue: FakeReply[] = [];
  let defaultReply: FakeReply = {};
  let recordings: RecordedRequest[] = [];
  let lastId = 0;
  let open = 0;
  let maxOpen = 0;
  let closing = false;
  let whenIdle: (() => void) | undefined;

  const enqueue = (...replies: FakeReply[]): void => {
    queue.push(...replies);
  };
  const setDefault = (reply: FakeReply): void => {
    defaultReply = reply;
  };
  const reset = (): void => {
    queue = [];
    defaultReply = {};
    recordings = [];
    lastId = 0;
    maxOpen = open;
  };
  const requests = (): RecordedRequest[] => recordings.map((record) => ({ ...record }));

  async function handleApi(api: FakeApi, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const format = FORMATS[api];
    const gone = new AbortController();
    open += 1;
    maxOpen = Math.max(maxOpen, open);
    const record: RecordedRequest = {
      id: (lastId += 1),
      api,
      path: req.url ?? '',
      headers: headersOf(req),
      body: undefined,
      stream: false,
      startedAt: Date.now(),
      aborted: false,
    };
    recordings.push(record);
    res.on('close', () => {
      open -= 1;
      gone.abort();
      record.endedAt = Date.now();
      if (!res.writableFinished && !closing) record.aborted = true;
      if (open === 0) whenIdle?.();
    });
    const requestId = `req_fake_${record.id}`;
    const fail = (status: number, text: string): void =>
      sendJson(res, status, format.error(status, requestId, text), {
        [format.requestIdHeader]: requestId,
      });

    const raw = await readBody(req);
    if (raw === undefined) return;
    let body: Body;
    let reply: FakeReply;
    try {
      record.body = JSON.parse(raw) as unknown;
      body = asRecord(record.body) ?? {};
      record.stream = body.stream === true;
    } catch {
      record.body = raw;
      return fail(400, 'fake-llm: the request body is not valid JSON');
    }
    try {
      const header = req.headers[FAKE_REPLY_HEADER];
      reply =
        typeof header === 'string'
          ? parseFakeReply(JSON.parse(header))
          : (queue.shift() ?? defaultReply);
    } catch (error) {
      return fail(400, `fake-llm: invalid ${FAKE_REPLY_HEADER} header: ${message(error)}`);
    }

    const headers: Record<string, string> = { [format.requestIdHeader]: requestId };
    if (reply.retryAfter !== undefined) headers['retry-after'] = reply.retryAfter;
    await sleep(reply.latencyMs ?? 0, gone.signal);
    if (gone.signal.aborted || reply.hang === true) return;
    const status = reply.status ?? 200;
    if (status >= 400) return sendJson(res, status, format.error(status, requestId), headers);

    const resolved = resolveReply(reply, body, record.id);
    if (!record.stream) {
      if (reply.malformed !== true)
        return sendJson(res, status, format.body(resolved, body), headers);
      res.writeHead(status, { ...headers, 'content-type': 'application/json' });
      return void res.end('{"id": "fake-llm malformed", "choices": [');
    }
    const events = format.events(resolved, body);
    startSse(res, headers);
    await writeSse(
      res,
      reply.malformed === true ? malformedEvents(events) : events,
      reply.chunkDelayMs ?? 0,
      gone.signal,
    );
    if (!gone.signal.aborted) res.end();
  }

  async function handleControl(req: IncomingMessage, res: ServerResponse, pathname: string) {
    try {
      switch (`${req.method} ${pathname}`) {
        case 'POST /_fake/enqueue':
          enqueue(...parseFakeReplies(await readJson(req)));
          return sendJson(res, 200, { queued: queue.length });
        case 'POST /_fake/default':
          setDefault(parseFakeReply(await readJson(req)));
          return sendJson(res, 200, { default: defaultReply });
        case 'GET /_fake/requests':
          return sendJson(res, 200, requests());
        case 'POST /_fake/reset':
          reset();
          return sendJson(res, 200, { reset: true });
        default:
          return sendJson(res, 404, { error: { message: `no control endpoint ${pathname}` } });
      }
    } catch (error) {
      return sendJson(res, 400, { error: { message: message(error) } });
    }
  }

  const server = createServer((req, res) => {
    const { pathname } = new URL(req.url ?? '/', 'http://fake-llm');
    const api = apiFor(req.method, pathname);
    const handled = pathname.startsWith('/_fake/')
      ? handleControl(req, res, pathname)
      : api !== undefined
        ? handleApi(api, req, res)
        : Promise.resolve(
            sendJson(res, 404, {
              error: {
                message: `fake-llm: no route for ${req.method} ${pathname}`,
                type: 'not_found_error',
                code: 'unknown_path',
              },
            }),
          );
    handled.catch((error: unknown) => {
      process.stderr.write(`fake-llm: ${message(error)}\n`);
      if (res.headersSent) res.destroy();
      else sendJson(res, 500, { error: { message: `fake-llm bug: ${message(error)}` } });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  const url = `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}`;

  return {
    url,
    openaiBaseUrl: `${url}/v1`,
    anthropicBaseUrl: `${url}/v1`,
    enqueue,
    setDefault,
    requests,
    inFlight: () => open,
    maxInFlight: () => maxOpen,
    reset,
    close: async () => {
      if (closing) return;
      closing = true;
      const idle = new Promise<void>((resolve) => {
        whenIdle = resolve;
        if (open === 0) resolve();
      });
      await new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
      await idle;
    },
  };
}
