import fc from 'fast-check';
import {
  canonicalJson,
  chainHash,
  GENESIS_HASH,
  verifyChain,
  type ChainedFields,
} from './event-chain';

function chain(events: Omit<ChainedFields, 'debateId' | 'seq'>[]) {
  let prev = GENESIS_HASH;
  return events.map((e, i) => {
    const fields = { ...e, debateId: 'd1', seq: i + 1 };
    const hash = chainHash(prev, fields);
    const linked = { ...fields, prevHash: prev, hash };
    prev = hash;
    return linked;
  });
}

const eventArb = fc.record({
  type: fc.constantFrom('debate_start', 'agent_message', 'vote'),
  ts: fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  round: fc.option(fc.integer({ min: 1, max: 12 })),
  agent: fc.option(fc.string()),
  data: fc.jsonValue(),
});

describe('event chain', () => {
  it('canonical JSON ignores key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: null } })).toBe(
      canonicalJson({ a: { c: null, d: [1, { x: 1, y: 2 }] }, b: 1 }),
    );
  });

  it('verifies an intact chain and finds any modified, dropped or reordered event', () => {
    fc.assert(
      fc.property(fc.array(eventArb, { minLength: 2, maxLength: 20 }), fc.nat(), (events, pick) => {
        const linked = chain(events);
        expect(verifyChain(linked)).toBeUndefined();
        const i = pick % linked.length;
        const tampered = linked.map((e, j) =>
          j === i ? { ...e, data: { tampered: true, was: e.data } } : e,
        );
        expect(verifyChain(tampered)?.seq).toBe(i + 1);
        const dropped = linked.filter((_, j) => j !== i);
        if (i < linked.length - 1) expect(verifyChain(dropped)).toBeDefined();
      }),
    );
  });

  it('survives a jsonb round trip (keys reordered by the store)', () => {
    const [first] = chain([
      { type: 'vote', ts: new Date(0).toISOString(), round: 1, agent: 'a', data: { z: 1, a: 2 } },
    ]);
    const reparsed = { ...first!, data: JSON.parse('{"a":2,"z":1}') as unknown };
    expect(verifyChain([reparsed])).toBeUndefined();
  });
});
