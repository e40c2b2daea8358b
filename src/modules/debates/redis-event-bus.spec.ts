import { Redis } from 'ioredis';
import { startRedisServer, type TestRedis } from '../../../test/support/redis-server';
import { InProcessEventBus, type BusEvent, type DebateEventBus } from './debate-event-bus';
import { EVENTS_CHANNEL, RedisEventBus } from './redis-event-bus';

jest.setTimeout(30_000);

let n = 0;
const event = (type = 'agent_message', seq: number | null = ++n): BusEvent => ({
  debateId: 'a1b2c3d4-0000-4000-8000-000000000001',
  tenantId: 't1',
  type,
  seq,
  ts: 1_700_000_000_000 + n,
  round: 1,
  agent: 'demo',
  data: { text: `event ${n}` },
});

async function until(what: string, check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What every DebateEventBus does, whichever adapter. */
function contract(name: string, create: () => Promise<DebateEventBus>) {
  describe(`${name}: the DebateEventBus contract`, () => {
    let bus: DebateEventBus;
    beforeEach(async () => (bus = await create()));
    afterEach(async () => bus.close());

    it('delivers a publish to every subscriber at once, in order', () => {
      const a: BusEvent[] = [];
      const b: BusEvent[] = [];
      bus.subscribe((e) => a.push(e));
      bus.subscribe((e) => b.push(e));
      const events = [event(), event('token_delta', null), event()];
      bus.publish(events);
      expect(a).toEqual(events);
      expect(b).toEqual(events);
    });

    it('stops delivering to a listener that unsubscribed', () => {
      const seen: BusEvent[] = [];
      const unsubscribe = bus.subscribe((e) => seen.push(e));
      bus.publish([event()]);
      unsubscribe();
      bus.publish([event()]);
      expect(seen).toHaveLength(1);
    });

    it('keeps delivering to the others when one listener throws', () => {
      const seen: BusEvent[] = [];
      bus.subscribe(() => {
        throw new Error('broken subscriber');
      });
      bus.subscribe((e) => seen.push(e));
      expect(() => bus.publish([event()])).not.toThrow();
      expect(seen).toHaveLength(1);
    });
  });
}

describe('event buses', () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  contract('InProcessEventBus', () => Promise.resolve(new InProcessEventBus()));
  contract('RedisEventBus', () => Promise.resolve(new RedisEventBus({ url: redis.url })));

  describe('RedisEventBus across nodes', () => {
    const buses: RedisEventBus[] = [];
    const node = (options: Partial<ConstructorParameters<typeof RedisEventBus>[0]> = {}) => {
      const bus = new RedisEventBus({ url: redis.url, ...options });
      buses.push(bus);
      return bus;
    };
    /** Every node's subscriber is on the channel. */
    async function ready(): Promise<void> {
      const probe = new Redis(redis.url);
      try {
        for (let i = 0; ; i++) {
          const [, count] = (await probe.pubsub('NUMSUB', EVENTS_CHANNEL)) as [string, number];
          if (count >= buses.length) return;
          if (i > 250) throw new Error(`${count} of ${buses.length} subscribers on the channel`);
          await pause(20);
        }
      } finally {
        probe.disconnect();
      }
    }
    afterEach(async () => {
      await Promise.all(buses.splice(0).map((b) => b.close()));
    });

    it('delivers on the other node, and only once on the publishing one', async () => {
      const a = node();
      const b = node();
      await ready();
      const onA: BusEvent[] = [];
      const onB: BusEvent[] = [];
      a.subscribe((e) => onA.push(e));
      b.subscribe((e) => onB.push(e));
      const events = [event(), event('token_delta', null), event()];
      a.publish(events);
      expect(onA).toEqual(events); // local delivery does not wait for Redis
      await until('node B to receive', () => onB.length === 3);
      expect(onB).toEqual(events);
      await pause(100);
      expect(onA).toHaveLength(3); // its own echo from Redis is skipped
    });

    it('keeps local delivery with Redis down, counts the failed publish, and fans out again once Redis is back', async () => {
      const errors: Error[] = [];
      const a = node({ onPublishError: (e) => errors.push(e) });
      const b = node();
      await ready();
      const onA: BusEvent[] = [];
      const onB: BusEvent[] = [];
      a.subscribe((e) => onA.push(e));
      b.subscribe((e) => onB.push(e));

      redis.kill();
      await until('the publisher to see Redis gone', () => a['publisher'].status !== 'ready');
      const during = event();
      a.publish([during]);
      expect(onA).toEqual([during]);
      await until('the failed publish to be reported', () => errors.length === 1);

      await redis.restart();
      await ready();
      await until('the publisher to reconnect', () => a['publisher'].status === 'ready');
      const after = event();
      a.publish([after]);
      await until('node B to receive after the outage', () => onB.length === 1);
      expect(onB).toEqual([after]); // the gap is the gateway's to fill from the log
      expect(onA).toEqual([during, after]);
    });

    it('ignores a malformed message on the channel', async () => {
      const errors: Error[] = [];
      const a = node({ onError: (e) => errors.push(e) });
      await ready();
      const seen: BusEvent[] = [];
      a.subscribe((e) => seen.push(e));
      const raw = new Redis(redis.url);
      await raw.publish(EVENTS_CHANNEL, 'not json');
      await raw.publish(EVENTS_CHANNEL, JSON.stringify({ hello: 'world' }));
      raw.disconnect();
      await until('both to be reported', () => errors.length === 2);
      expect(seen).toEqual([]);
    });
  });
});
