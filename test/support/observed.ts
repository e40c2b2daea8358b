import pino, { type Logger } from 'pino';
import { http } from './http';
import type { TestApp } from './test-app';

/** A logger whose lines are kept, parsed, for a test to read. */
export function capturedLog(level: pino.LevelWithSilent): {
  log: Logger;
  lines: Record<string, unknown>[];
} {
  const lines: Record<string, unknown>[] = [];
  const log = pino(
    { level },
    {
      write: (line: string) => {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      },
    },
  );
  return { log, lines };
}

/** `aragora_request_total` for `GET route` answered with `status`, from `/metrics`. */
export async function getRequestCount(t: TestApp, route: string, status: number): Promise<number> {
  const metrics = await http<string>(`${t.baseUrl}/metrics`);
  const line = `aragora_request_total{route="${route}",method="GET",status="${status}"} `;
  const found = metrics.text.split('\n').find((l) => l.startsWith(line));
  return found === undefined ? 0 : Number(found.slice(line.length));
}
