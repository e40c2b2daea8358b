import { createHash } from 'node:crypto';

/** prev_hash of a debate's first event. */
export const GENESIS_HASH = '0'.repeat(64);

export interface ChainedFields {
  readonly debateId: string;
  readonly seq: number;
  readonly type: string;
  /** ISO-8601 UTC with milliseconds. */
  readonly ts: string;
  readonly round: number | null;
  readonly agent: string | null;
  readonly data: unknown;
}

/** JSON with object keys sorted at every level, so jsonb's key reordering cannot change a hash. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** SHA-256 over the previous hash and the event: changing, dropping or reordering one breaks the chain. */
export function chainHash(prevHash: string, event: ChainedFields): string {
  const body = canonicalJson({
    debate_id: event.debateId,
    seq: event.seq,
    type: event.type,
    ts: event.ts,
    round: event.round,
    agent: event.agent,
    data: event.data,
  });
  return createHash('sha256').update(prevHash).update('\n').update(body).digest('hex');
}

export interface ChainBreak {
  readonly seq: number;
  readonly reason: 'prev_hash' | 'hash' | 'seq';
}

/** The first event whose link does not hold, or undefined when the whole chain verifies. */
export function verifyChain(
  events: readonly (ChainedFields & { prevHash: string; hash: string })[],
): ChainBreak | undefined {
  let prev = GENESIS_HASH;
  let expectedSeq = events[0]?.seq ?? 1;
  for (const event of events) {
    if (event.seq !== expectedSeq) return { seq: event.seq, reason: 'seq' };
    if (event.prevHash !== prev) return { seq: event.seq, reason: 'prev_hash' };
    if (chainHash(prev, event) !== event.hash) return { seq: event.seq, reason: 'hash' };
    prev = event.hash;
    expectedSeq++;
  }
  return undefined;
}

/** An event as stored: its link to the previous event and its own hash. */
export interface LinkedEvent {
  readonly seq: number;
  readonly type: string;
  readonly ts: Date;
  readonly round: number | null;
  readonly agent: string | null;
  readonly data: Record<string, unknown>;
  readonly prevHash: string;
  readonly hash: string;
}

/** Links `event` after the event whose hash is `prevHash` (GENESIS_HASH for a debate's first). */
export function linkEvent(
  debateId: string,
  prevHash: string,
  event: Omit<LinkedEvent, 'prevHash' | 'hash'>,
): LinkedEvent {
  const hash = chainHash(prevHash, { ...event, debateId, ts: event.ts.toISOString() });
  return { ...event, prevHash, hash };
}
