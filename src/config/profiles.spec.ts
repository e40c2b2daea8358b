import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { loadConfig } from './load-config';

const profile = (name: string) =>
  parseEnv(readFileSync(join(__dirname, '..', '..', 'config', 'profiles', `${name}.env`), 'utf8'));

describe('config/profiles', () => {
  it('development follows the seed tuning for 2 cores', () => {
    const config = loadConfig(profile('development'));
    expect(config.debates).toMatchObject({
      maxConcurrent: 2,
      maxConcurrentProposals: 2,
      maxConcurrentCritiques: 3,
      agentTimeoutMs: 120_000,
    });
    expect(config.rateLimit.authenticatedPerMinute).toBe(30);
  });

  it('smb keeps the seed defaults and turns anonymous access off', () => {
    const config = loadConfig(profile('smb'));
    expect(config.debates.maxConcurrent).toBe(10);
    expect(config.database.pool).toMatchObject({ size: 20, overflow: 15 });
    expect(config.auth.allowAnonymous).toBe(false);
  });

  it('enterprise follows the seed tuning for 8+ cores', () => {
    const config = loadConfig(profile('enterprise'));
    expect(config.debates).toMatchObject({
      maxConcurrent: 50,
      maxConcurrentProposals: 10,
      maxConcurrentCritiques: 20,
      maxConcurrentRevisions: 10,
      maxConcurrentStreaming: 10,
    });
    expect(config.database.pool).toMatchObject({ size: 50, overflow: 30 });
    expect(config.rateLimit).toMatchObject({
      authenticatedPerMinute: 500,
      ipPerMinute: 1000,
      burstMultiplier: 3,
    });
    expect(config.redis.maxConnections).toBe(100);
    expect(config.auth.allowAnonymous).toBe(false);
  });
});
