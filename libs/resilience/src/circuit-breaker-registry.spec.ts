import { CircuitBreakerRegistry, CircuitOpenError } from './index';

const DAY = 24 * 60 * 60 * 1000;

function setup(maxBreakers = 2) {
  const clock = { t: 0, now: () => clock.t };
  const changes: string[] = [];
  const registry = new CircuitBreakerRegistry({
    clock,
    maxBreakers,
    defaults: { failureThreshold: 1 },
    onStateChange: (name, from, to) => changes.push(`${name}:${from}->${to}`),
  });
  return { clock, registry, changes };
}

function trip(registry: CircuitBreakerRegistry, name: string): void {
  const permit = registry.get(name).tryAcquire();
  if (permit instanceof CircuitOpenError) throw permit;
  permit.failure();
}

describe('CircuitBreakerRegistry', () => {
  it('creates a breaker once per name with the shared defaults', () => {
    const { registry, changes } = setup();
    const a = registry.get('openai');
    expect(registry.get('openai')).toBe(a);
    expect(a.name).toBe('openai');
    trip(registry, 'openai');
    expect(a.state).toBe('open');
    expect(changes).toEqual(['openai:closed->open']);
  });

  it('lists names with snapshots and resets by name', () => {
    const { registry } = setup();
    trip(registry, 'a');
    registry.get('b');
    expect(registry.list().map(({ name, snapshot }) => [name, snapshot.state])).toEqual([
      ['a', 'open'],
      ['b', 'closed'],
    ]);
    expect(registry.reset('a')).toBe(true);
    expect(registry.get('a').state).toBe('closed');
    expect(registry.reset('missing')).toBe(false);
  });

  it('prunes closed breakers idle for more than 24 h when full', () => {
    const { registry, clock } = setup();
    registry.get('old');
    clock.t = 1_000;
    registry.get('recent').tryAcquire();
    clock.t = DAY + 1;
    registry.get('new');
    expect(registry.has('old')).toBe(false);
    expect(registry.has('recent')).toBe(true);
    expect(registry.size).toBe(2);
  });

  it('does not prune at exactly 24 h idle', () => {
    const { registry, clock } = setup();
    registry.get('a');
    registry.get('b');
    clock.t = DAY;
    expect(() => registry.get('c')).toThrow(RangeError);
  });

  it('a call keeps a breaker alive', () => {
    const { registry, clock } = setup();
    registry.get('a');
    registry.get('b');
    clock.t = DAY;
    registry.get('a').tryAcquire();
    clock.t = DAY + 2;
    registry.get('c');
    expect(registry.has('a')).toBe(true);
    expect(registry.has('b')).toBe(false);
  });

  it('keeps open breakers, throwing RangeError for a new name when still full', () => {
    const clock = { t: 0, now: () => clock.t };
    const registry = new CircuitBreakerRegistry({
      clock,
      maxBreakers: 1,
      defaults: { failureThreshold: 1, cooldownMs: 10 * DAY },
    });
    trip(registry, 'down');
    clock.t = 2 * DAY;
    expect(() => registry.get('other')).toThrow(RangeError);
    expect(registry.get('down').state).toBe('open');
  });

  it('does not throw for an existing name when full', () => {
    const { registry } = setup(1);
    registry.get('a');
    expect(() => registry.get('a')).not.toThrow();
  });

  it('rejects invalid sizes', () => {
    const clock = { now: () => 0 };
    expect(() => new CircuitBreakerRegistry({ clock, maxBreakers: 0 })).toThrow(RangeError);
    expect(() => new CircuitBreakerRegistry({ clock, staleMs: -1 })).toThrow(RangeError);
  });
});
