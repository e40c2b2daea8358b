import type { IncomingMessage } from 'node:http';

const UNVERSIONED_EXCEPTIONS = ['/api/v1/', '/api/openapi.json', '/api/docs'];

/** `/api/<path>` answers as `/api/v1/<path>` (the seeds' scripts call `/api/health`, `/api/debates`). */
export function rewriteUnversionedApi(raw: IncomingMessage): string {
  const url = raw.url ?? '/';
  if (!url.startsWith('/api/')) return url;
  if (UNVERSIONED_EXCEPTIONS.some((prefix) => url.startsWith(prefix))) return url;
  return `/api/v1/${url.slice('/api/'.length)}`;
}
