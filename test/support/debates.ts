import { http, waitFor } from './http';
import { bearer } from './tenancy';
import type { TestApp } from './test-app';

export const TERMINAL = ['completed', 'no_consensus', 'failed', 'timed_out', 'cancelled'];

export interface DebateBody {
  readonly task?: string;
  readonly topic?: string;
  readonly agents: readonly string[];
  readonly rounds?: number;
  readonly consensus?: string;
  readonly domain?: string;
  readonly context?: string;
  readonly metadata?: Record<string, unknown>;
  readonly budget?: { readonly max_tokens: number };
}

export const jsonPost = (key: string, body: unknown, headers: Record<string, string> = {}) => ({
  method: 'POST',
  headers: { ...bearer(key), 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

export async function createDebate(
  t: TestApp,
  key: string,
  body: DebateBody,
  headers: Record<string, string> = {},
): Promise<string> {
  const res = await http<{ id: string }>(
    `${t.baseUrl}/api/v1/debates`,
    jsonPost(key, body, headers),
  );
  if (res.status !== 202) throw new Error(`create answered ${res.status}: ${res.text}`);
  return res.body.id;
}

export async function getDebate<T = Record<string, unknown>>(
  t: TestApp,
  key: string,
  id: string,
): Promise<T & { status: string }> {
  const res = await http<T & { status: string }>(`${t.baseUrl}/api/v1/debates/${id}`, {
    headers: bearer(key),
  });
  if (res.status !== 200) throw new Error(`get answered ${res.status}: ${res.text}`);
  return res.body;
}

/** Polls until the debate is in one of `statuses` (default: any terminal one). */
export function waitForDebate<T = Record<string, unknown>>(
  t: TestApp,
  key: string,
  id: string,
  statuses: readonly string[] = TERMINAL,
  timeoutMs = 30_000,
): Promise<T & { status: string }> {
  return waitFor(
    async () => {
      const debate = await getDebate<T>(t, key, id);
      return statuses.includes(debate.status) ? debate : undefined;
    },
    { timeoutMs, intervalMs: 50, what: `debate ${id} to reach ${statuses.join('|')}` },
  );
}
