import { hash, randomBytes } from 'node:crypto';

export const KEY_PREFIX = 'ara_';
const SHOWN_PREFIX_LENGTH = KEY_PREFIX.length + 6;

/**
 * A new key: 256 random bits. Only its SHA-256 is stored; a slow hash adds nothing for keys
 * with this much entropy, and a fast one keeps authentication off the hot path.
 */
export function generateApiKey(): { key: string; hash: string; prefix: string } {
  const key = `${KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
  return { key, hash: hashApiKey(key), prefix: key.slice(0, SHOWN_PREFIX_LENGTH) };
}

/** SHA-256 in hex, one-shot (no Hash object per call: this runs on every authenticated request). */
export function hashApiKey(key: string): string {
  return hash('sha256', key, 'hex');
}

export function looksLikeApiKey(token: string): boolean {
  return (
    token.startsWith(KEY_PREFIX) && token.length > KEY_PREFIX.length + 20 && token.length < 200
  );
}

/** The token of an `Authorization: Bearer …` header; '' when the header is of another form. */
export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1] ?? '';
}
