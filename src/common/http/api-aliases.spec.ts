import type { IncomingMessage } from 'node:http';
import { rewriteUnversionedApi } from './api-aliases';

const rewrite = (url: string): string => rewriteUnversionedApi({ url } as IncomingMessage);

describe('rewriteUnversionedApi', () => {
  it.each([
    ['/api/health', '/api/v1/health'],
    ['/api/debates?limit=5', '/api/v1/debates?limit=5'],
    ['/api/debates/abc/vote', '/api/v1/debates/abc/vote'],
    ['/api/v1/health', '/api/v1/health'],
    ['/api/openapi.json', '/api/openapi.json'],
    ['/api/docs/index.html', '/api/docs/index.html'],
    ['/healthz', '/healthz'],
    ['/apiary', '/apiary'],
  ])('%s → %s', (from, to) => {
    expect(rewrite(from)).toBe(to);
  });
});
