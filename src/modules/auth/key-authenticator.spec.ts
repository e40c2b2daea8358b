import type { Logger } from '../../common/logging/logger';
import { generateApiKey } from './api-key-secret';
import type { ActiveKey, ApiKeysRepository } from './api-keys.repository';
import { KEY_CACHE_TTL_MS, KeyAuthenticator } from './key-authenticator';

const active: ActiveKey = {
  id: 'key-1',
  tenantId: 'tenant-1',
  tenantName: 'acme',
  role: 'member',
  tier: 'internal',
};

const made: KeyAuthenticator[] = [];
afterEach(() => {
  for (const authenticator of made.splice(0)) authenticator.onModuleDestroy();
  jest.useRealTimers();
});

function setup() {
  const { key, hash } = generateApiKey();
  const lookups: string[] = [];
  const repository = {
    findActiveByHash: (keyHash: string) => {
      lookups.push(keyHash);
      return Promise.resolve(keyHash === hash ? active : undefined);
    },
    touchLastUsed: () => Promise.resolve(),
  } as unknown as ApiKeysRepository;
  const authenticator = new KeyAuthenticator(repository, {} as Logger);
  made.push(authenticator);
  return { authenticator, key, lookups };
}

describe('KeyAuthenticator.resolveCached', () => {
  it('answers null until the database was asked, then what resolve answered, without asking again', async () => {
    const { authenticator, key, lookups } = setup();
    expect(authenticator.resolveCached(key)).toBeNull();
    expect(lookups).toHaveLength(0);
    expect(await authenticator.resolve(key)).toEqual(active);
    expect(authenticator.resolveCached(key)).toEqual(active);
    expect(await authenticator.resolve(key)).toEqual(active);
    expect(lookups).toHaveLength(1);
  });

  it('remembers an unknown key as none, and a malformed token needs no lookup at all', async () => {
    const { authenticator, lookups } = setup();
    const unknown = generateApiKey().key;
    expect(authenticator.resolveCached(unknown)).toBeNull();
    expect(await authenticator.resolve(unknown)).toBeUndefined();
    expect(authenticator.resolveCached(unknown)).toBeUndefined();
    expect(authenticator.resolveCached('not-a-key')).toBeUndefined();
    expect(lookups).toHaveLength(1);
  });

  it('forgets a key once its cache entry is older than the TTL, or at once when it is revoked here', async () => {
    jest.useFakeTimers({ now: 1_000_000 });
    const { authenticator, key } = setup();
    await authenticator.resolve(key);
    jest.setSystemTime(1_000_000 + KEY_CACHE_TTL_MS - 1);
    expect(authenticator.resolveCached(key)).toEqual(active);
    jest.setSystemTime(1_000_000 + KEY_CACHE_TTL_MS);
    expect(authenticator.resolveCached(key)).toBeNull();

    await authenticator.resolve(key);
    expect(authenticator.resolveCached(key)).toEqual(active);
    authenticator.forget(active.id);
    expect(authenticator.resolveCached(key)).toBeNull();
  });
});

describe('KeyAuthenticator cache', () => {
  it('asks the database with the hash only, and keeps no token past its TTL (swept every TTL)', async () => {
    jest.useFakeTimers({ now: 2_000_000 });
    const { authenticator, key, lookups } = setup();
    const unknown = generateApiKey().key;
    await authenticator.resolve(key);
    await authenticator.resolve(unknown);
    expect(lookups).not.toContain(key);
    expect(lookups).not.toContain(unknown);
    expect(lookups.every((hash) => /^[0-9a-f]{64}$/.test(hash))).toBe(true);
    expect(authenticator.cachedTokens).toBe(2);

    jest.advanceTimersByTime(KEY_CACHE_TTL_MS - 1);
    expect(authenticator.cachedTokens).toBe(2);
    jest.advanceTimersByTime(KEY_CACHE_TTL_MS);
    expect(authenticator.cachedTokens).toBe(0);
    expect(authenticator.resolveCached(key)).toBeNull();
  });

  it('keeps an entry that has not expired when the sweep runs', async () => {
    jest.useFakeTimers({ now: 3_000_000 });
    const { authenticator, key } = setup();
    jest.advanceTimersByTime(KEY_CACHE_TTL_MS / 2);
    await authenticator.resolve(key);
    jest.advanceTimersByTime(KEY_CACHE_TTL_MS / 2);
    expect(authenticator.cachedTokens).toBe(1);
    expect(authenticator.resolveCached(key)).toEqual(active);
  });
});
