import type { BusEvent } from '../debates/debate-event-bus';
import { TokenDeltaCoalescer, type CoalescerTimers } from './token-delta-coalescer';

/** Timers fired by hand: `fire()` runs what is due. */
function manualTimers() {
  const due: { run: () => void; ms: number }[] = [];
  const timers: CoalescerTimers = {
    set: (run, ms) => {
      const entry = { run, ms };
      due.push(entry);
      return entry;
    },
    clear: (handle) => {
      const i = due.indexOf(handle as (typeof due)[number]);
      if (i >= 0) due.splice(i, 1);
    },
  };
  return {
    timers,
    pending: () => due.length,
    armedMs: () => due[0]?.ms,
    fire: () => due.splice(0).forEach((entry) => entry.run()),
  };
}

let ts = 1_000;
const delta = (text: string, agent = 'a', messageId = 'm1', debateId = 'd1'): BusEvent => ({
  debateId,
  tenantId: 't',
  type: 'token_delta',
  seq: null,
  ts: ts++,
  round: 1,
  agent,
  data: { messageId, kind: 'proposal', text },
});
const durable = (seq: number, debateId = 'd1'): BusEvent => ({
  debateId,
  tenantId: 't',
  type: 'agent_message',
  seq,
  ts: ts++,
  round: 1,
  agent: 'a',
  data: {},
});

/** A coalescer on hand-fired timers whose output is collected in `out`. */
function coalescer(batchSize: number, intervalMs: number) {
  const out: BusEvent[] = [];
  const clock = manualTimers();
  const c = new TokenDeltaCoalescer({
    batchSize,
    intervalMs,
    emit: (e) => out.push(e),
    timers: clock.timers,
  });
  return { c, out, clock };
}

const texts = (events: BusEvent[]) =>
  events.map((e) => (e.type === 'token_delta' ? (e.data as { text: string }).text : `#${e.seq}`));

describe('TokenDeltaCoalescer', () => {
  it('sends one event per batchSize deltas of one message, text joined, first envelope kept', () => {
    const { c, out, clock } = coalescer(3, 5);
    const first = delta('a');
    c.push(first);
    c.push(delta('b'));
    expect(out).toHaveLength(0);
    c.push(delta('c'));
    c.push(delta('d'));
    expect(texts(out)).toEqual(['abc']);
    expect(out[0]).toMatchObject({ ts: first.ts, agent: 'a', seq: null, round: 1 });
    expect(out[0]?.data).toEqual({ messageId: 'm1', kind: 'proposal', text: 'abc' });
    clock.fire();
    expect(texts(out)).toEqual(['abc', 'd']);
  });

  it('sends a partial batch after the drain interval', () => {
    const { c, out, clock } = coalescer(10, 7);
    c.push(delta('x'));
    c.push(delta('y'));
    expect(clock.pending()).toBe(1);
    expect(clock.armedMs()).toBe(7);
    clock.fire();
    expect(texts(out)).toEqual(['xy']);
    expect(clock.pending()).toBe(0);
  });

  it('keeps messages of different agents and messages apart', () => {
    const { c, out, clock } = coalescer(2, 5);
    c.push(delta('a1', 'a'));
    c.push(delta('b1', 'b'));
    c.push(delta('m2', 'a', 'm2'));
    c.push(delta('a2', 'a'));
    c.push(delta('b2', 'b'));
    expect(texts(out)).toEqual(['a1a2', 'b1b2']);
    clock.fire();
    expect(texts(out)).toEqual(['a1a2', 'b1b2', 'm2']);
  });

  it('flushes a debate’s pending deltas before any other event of that debate', () => {
    const { c, out, clock } = coalescer(10, 5);
    c.push(delta('p', 'a', 'm1', 'd1'));
    c.push(delta('q', 'a', 'm1', 'd2'));
    c.push(durable(7, 'd1'));
    expect(texts(out)).toEqual(['p', '#7']);
    clock.fire();
    expect(texts(out)).toEqual(['p', '#7', 'q']);
  });

  it('passes everything through at once with a batch size of 1', () => {
    const { c, out, clock } = coalescer(1, 5);
    c.push(delta('a'));
    c.push(delta('b'));
    expect(texts(out)).toEqual(['a', 'b']);
    expect(clock.pending()).toBe(0);
  });

  it('forgets a debate and stops its timer on close', () => {
    const { c, out, clock } = coalescer(10, 5);
    c.push(delta('gone', 'a', 'm1', 'd1'));
    c.forget('d1');
    c.push(delta('kept', 'a', 'm1', 'd2'));
    c.flushAll();
    expect(texts(out)).toEqual(['kept']);
    c.push(delta('late'));
    c.close();
    expect(clock.pending()).toBe(0);
    clock.fire();
    expect(texts(out)).toEqual(['kept']);
  });

  it('does not merge malformed deltas (passed through as they are)', () => {
    const { c, out } = coalescer(10, 5);
    const odd: BusEvent = { ...delta('x'), data: 'not an object' };
    c.push(odd);
    expect(out).toEqual([odd]);
  });
});
