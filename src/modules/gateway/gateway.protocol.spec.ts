import fc from 'fast-check';
import type { BusEvent } from '../debates/debate-event-bus';
import { liveEnvelope, parseClientMessage, replayEnvelope } from './gateway.protocol';

describe('parseClientMessage', () => {
  it.each([
    [
      '{"type":"subscribe","debate_id":"d","after_seq":3,"id":"r"}',
      { type: 'subscribe', debate_id: 'd', after_seq: 3, id: 'r' },
    ],
    ['{"type":"unsubscribe","debate_id":"d"}', { type: 'unsubscribe', debate_id: 'd' }],
    [
      '{"type":"subscribe","debate_id":"d","after_seq":2147483647}',
      { type: 'subscribe', debate_id: 'd', after_seq: 2147483647 },
    ],
    ['{"type":"ping","id":7,"extra":true}', { type: 'ping', id: 7 }],
  ])('accepts %s', (text, message) => {
    expect(parseClientMessage(text)).toEqual({ ok: true, message });
  });

  it.each([
    ['{nope', 'invalid_json', undefined],
    ['[1]', 'invalid_message', undefined],
    ['"ping"', 'invalid_message', undefined],
    ['{"id":1}', 'invalid_message', 1],
    ['{"type":"shout","id":"x"}', 'unknown_type', 'x'],
    // an id that is not a valid request id is not echoed back
    [`{"type":"shout","id":"${'x'.repeat(101)}"}`, 'unknown_type', null],
    ['{"type":"ping","id":1.5}', 'invalid_message', null],
    ['{"type":"toString"}', 'unknown_type', undefined],
    ['{"type":"subscribe","debate_id":"d","after_seq":-1,"id":2}', 'invalid_message', 2],
    ['{"type":"subscribe","debate_id":"d","after_seq":1.5}', 'invalid_message', undefined],
    // beyond the event log's seq range (a 32-bit integer column)
    ['{"type":"subscribe","debate_id":"d","after_seq":2147483648}', 'invalid_message', undefined],
    ['{"type":"subscribe"}', 'invalid_message', undefined],
  ])('refuses %s with %s', (text, code, id) => {
    const parsed = parseClientMessage(text);
    expect(parsed).toMatchObject({
      ok: false,
      code,
      ...(id !== undefined && id !== null && { id }),
    });
    if (id === null) expect(parsed).not.toHaveProperty('id', expect.anything());
  });

  const message = fc.record(
    {
      type: fc.oneof(
        fc.constantFrom('subscribe', 'unsubscribe', 'ping', '__proto__'),
        fc.anything(),
      ),
      debate_id: fc.anything(),
      after_seq: fc.oneof(fc.integer(), fc.double(), fc.anything()),
      id: fc.anything(),
    },
    { requiredKeys: [] },
  );

  it('answers any frame with a message or one of the parse errors, never throwing', () => {
    const frames = fc.oneof(
      fc.string({ unit: 'binary' }),
      fc.json(),
      message.map((m) => JSON.stringify(m) ?? 'null'),
    );
    fc.assert(
      fc.property(frames, (text) => {
        const parsed = parseClientMessage(text);
        if (parsed.ok) {
          expect(['subscribe', 'unsubscribe', 'ping']).toContain(parsed.message.type);
        } else {
          expect(['invalid_json', 'invalid_message', 'unknown_type']).toContain(parsed.code);
          expect(parsed.message.length).toBeLessThan(2_000);
          expect(JSON.stringify(parsed.id ?? '').length).toBeLessThanOrEqual(102);
        }
      }),
      { numRuns: 2_000 },
    );
  });
});

describe('envelopes', () => {
  it('gives a live event and the same event replayed from the log the same bytes', () => {
    const ts = Date.UTC(2026, 0, 2, 3, 4, 5, 678);
    const live: BusEvent = {
      debateId: 'd1',
      tenantId: 't',
      type: 'agent_message',
      seq: 4,
      ts,
      round: 1,
      agent: 'demo',
      data: { text: 'hi' },
    };
    const replayed = replayEnvelope('d1', {
      seq: 4,
      type: 'agent_message',
      ts: new Date(ts).toISOString(),
      round: 1,
      agent: 'demo',
      data: { text: 'hi' },
    });
    expect(liveEnvelope(live)).toBe(replayed);
    expect(JSON.parse(replayed)).toEqual({
      type: 'agent_message',
      debate_id: 'd1',
      seq: 4,
      ts: '2026-01-02T03:04:05.678Z',
      round: 1,
      agent: 'demo',
      data: { text: 'hi' },
    });
  });

  it('leaves out a null round and agent, and keeps seq null for ephemeral events', () => {
    const event: BusEvent = {
      debateId: 'd1',
      tenantId: 't',
      type: 'heartbeat',
      seq: null,
      ts: 0,
      round: null,
      agent: null,
      data: {},
    };
    expect(JSON.parse(liveEnvelope(event))).toEqual({
      type: 'heartbeat',
      debate_id: 'd1',
      seq: null,
      ts: '1970-01-01T00:00:00.000Z',
      data: {},
    });
  });
});
