import type { ServerResponse } from 'node:http';

/** One server-sent event; `event` is the optional `event:` line (Anthropic, Responses API). */
export interface SseEvent {
  event?: string;
  data: string;
}

export function sseEvent(data: unknown, event?: string): SseEvent {
  return { data: typeof data === 'string' ? data : JSON.stringify(data), event };
}

function encode({ event, data }: SseEvent): string {
  return `${event === undefined ? '' : `event: ${event}\n`}data: ${data}\n\n`;
}

/** Resolves after `ms`, or early when `signal` aborts (never rejects). */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done);
  });
}

export function startSse(res: ServerResponse, headers: Record<string, string>): void {
  res.writeHead(200, {
    ...headers,
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  });
  res.flushHeaders();
}

/** Writes the events `delayMs` apart; stops when the client goes away (`signal`). */
export async function writeSse(
  res: ServerResponse,
  events: readonly SseEvent[],
  delayMs: number,
  signal: AbortSignal,
): Promise<void> {
  for (const [index, event] of events.entries()) {
    if (index > 0) await sleep(delayMs, signal);
    if (signal.aborted) return;
    res.write(encode(event));
  }
}
