import {
  ProviderCallError,
  type AgentTaskHint,
  type ProviderEvent,
  type ProviderRequest,
} from '../provider.types';
import { DemoProvider, type DemoProviderOptions } from './demo-provider';

const HINT: AgentTaskHint = {
  kind: 'proposal',
  task: 'Should we migrate our monolith to microservices?',
  round: 1,
  persona: 'analyst',
  participant: 'demo-analyst',
};

function request(overrides: Partial<ProviderRequest> = {}): ProviderRequest {
  return {
    model: 'demo',
    system: 'You are a careful analyst.',
    messages: [{ role: 'user', content: HINT.task }],
    hint: HINT,
    signal: new AbortController().signal,
    ...overrides,
  };
}

const instant = (options: Partial<DemoProviderOptions> = {}) =>
  new DemoProvider({ latencyMs: { min: 0, max: 0 }, failureRate: 0, seed: 1, ...options });

async function collect(events: AsyncIterable<ProviderEvent>): Promise<ProviderEvent[]> {
  const out: ProviderEvent[] = [];
  for await (const event of events) out.push(event);
  return out;
}

async function failures(provider: DemoProvider, calls: number): Promise<number> {
  let failed = 0;
  for (let i = 0; i < calls; i++) {
    try {
      await provider.complete(request());
    } catch (error) {
      expect(error).toBeInstanceOf(ProviderCallError);
      failed++;
    }
  }
  return failed;
}

describe('DemoProvider', () => {
  it('is the demo provider', () => {
    expect(instant().id).toBe('demo');
  });

  it('rejects impossible settings at construction', () => {
    expect(() => instant({ latencyMs: { min: 10, max: 5 } })).toThrow(RangeError);
    expect(() => instant({ latencyMs: { min: -1, max: 5 } })).toThrow(RangeError);
    expect(() => instant({ failureRate: 1.5 })).toThrow(RangeError);
    expect(() => instant({ failureRate: Number.NaN })).toThrow(RangeError);
  });

  it('answers with text, rough token usage and a finish reason', async () => {
    const req = request();
    const result = await instant().complete(req);
    const input = (req.system ?? '').length + HINT.task.length;
    expect(result.usage).toEqual({
      inputTokens: Math.ceil(input / 4),
      outputTokens: Math.ceil(result.text.length / 4),
    });
    expect(result.finishReason).toBe('stop');
    expect(result.object).toBeUndefined();
  });

  it('answers a plain prompt (no hint) as a proposal on the last user message', async () => {
    const result = await instant().complete(request({ hint: undefined }));
    expect(result.text).toContain('monolith');
  });

  describe('failures', () => {
    it('never fails at rate 0 and always fails at rate 1, as a simulated 503', async () => {
      expect(await failures(instant({ failureRate: 0 }), 2000)).toBe(0);
      expect(await failures(instant({ failureRate: 1 }), 2000)).toBe(2000);
      await expect(instant({ failureRate: 1 }).complete(request())).rejects.toMatchObject({
        name: 'ProviderCallError',
        details: { provider: 'demo', status: 503, kind: 'simulated' },
      });
    });

    it('fails about 30 % of 10,000 calls at rate 0.3', async () => {
      for (const seed of [1, 42, 2024]) {
        const failed = await failures(instant({ failureRate: 0.3, seed }), 10_000);
        expect(Math.abs(failed / 10_000 - 0.3)).toBeLessThanOrEqual(0.03);
      }
    });

    it('fails the same calls for the same seed', async () => {
      const pattern = async (seed: number) => {
        const provider = instant({ failureRate: 0.5, seed });
        const outcomes = await Promise.allSettled(
          Array.from({ length: 200 }, () => provider.complete(request())),
        );
        return outcomes.map((o) => o.status).join(',');
      };
      expect(await pattern(5)).toBe(await pattern(5));
      expect(await pattern(5)).not.toBe(await pattern(6));
    });
  });

  describe('latency', () => {
    const recordingSleep = () => {
      const delays: number[] = [];
      const sleep = jest.fn((ms: number) => {
        delays.push(ms);
        return Promise.resolve();
      });
      return { delays, sleep };
    };

    it('sleeps a whole number of ms uniformly within [min, max]', async () => {
      const { delays, sleep } = recordingSleep();
      const provider = instant({ latencyMs: { min: 200, max: 800 }, sleep });
      for (let i = 0; i < 2000; i++) await provider.complete(request());
      expect(delays).toHaveLength(2000);
      for (const ms of delays) {
        expect(Number.isInteger(ms) && ms >= 200 && ms <= 800).toBe(true);
      }
      expect(Math.min(...delays)).toBeLessThan(230);
      expect(Math.max(...delays)).toBeGreaterThan(770);
      const mean = delays.reduce((a, b) => a + b, 0) / delays.length;
      expect(Math.abs(mean - 500)).toBeLessThan(20);
    });

    it('uses a fixed latency when min = max, and no sleep at all for 0', async () => {
      const fixed = recordingSleep();
      await instant({ latencyMs: { min: 500, max: 500 }, sleep: fixed.sleep }).complete(request());
      expect(fixed.delays).toEqual([500]);
      const none = recordingSleep();
      const provider = instant({ sleep: none.sleep });
      for (let i = 0; i < 100; i++) await provider.complete(request());
      expect(none.sleep).not.toHaveBeenCalled();
    });

    it('schedules no timer with latency 0', async () => {
      jest.useFakeTimers();
      try {
        await instant().complete(request());
        expect(jest.getTimerCount()).toBe(0);
      } finally {
        jest.useRealTimers();
      }
    });

    it('passes the request signal to the sleep and draws the same delays for the same seed', async () => {
      const a = recordingSleep();
      const b = recordingSleep();
      const signal = new AbortController().signal;
      for (const { sleep } of [a, b]) {
        const provider = instant({ latencyMs: { min: 0, max: 1000 }, seed: 9, sleep });
        for (let i = 0; i < 50; i++) await provider.complete(request({ signal }));
        expect(sleep).toHaveBeenCalledWith(expect.any(Number), signal);
      }
      expect(a.delays).toEqual(b.delays);
    });
  });

  describe('abort', () => {
    it('rejects with the signal reason when aborted before the call', async () => {
      const controller = new AbortController();
      controller.abort();
      const sleep = jest.fn(() => Promise.resolve());
      const provider = instant({ latencyMs: { min: 100, max: 100 }, sleep });
      await expect(provider.complete(request({ signal: controller.signal }))).rejects.toBe(
        controller.signal.reason,
      );
      await expect(
        instant().complete(request({ signal: controller.signal })),
      ).rejects.toMatchObject({ name: 'AbortError' });
      expect(sleep).not.toHaveBeenCalled();
    });

    it('rejects with the signal reason when aborted during the (real) sleep', async () => {
      const controller = new AbortController();
      const provider = instant({ latencyMs: { min: 60_000, max: 60_000 } });
      const pending = provider.complete(request({ signal: controller.signal }));
      setTimeout(() => controller.abort(), 5);
      const started = Date.now();
      await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
      expect(Date.now() - started).toBeLessThan(1000);
    });

    it('keeps a custom abort reason, even when an injected sleep ignores the signal', async () => {
      const controller = new AbortController();
      const reason = new Error('debate cancelled');
      const sleep = () => {
        controller.abort(reason);
        return Promise.resolve();
      };
      const provider = instant({ latencyMs: { min: 10, max: 10 }, sleep });
      await expect(provider.complete(request({ signal: controller.signal }))).rejects.toBe(reason);
    });

    it('stops a stream between deltas', async () => {
      const controller = new AbortController();
      const seen: ProviderEvent[] = [];
      const consume = async () => {
        for await (const event of instant().stream(request({ signal: controller.signal }))) {
          seen.push(event);
          if (seen.length === 3) controller.abort();
        }
      };
      await expect(consume()).rejects.toMatchObject({ name: 'AbortError' });
      expect(seen).toHaveLength(3);
    });
  });

  describe('stream', () => {
    it('streams word-sized deltas that concatenate to the complete() text, then one done', async () => {
      for (const kind of ['proposal', 'revision', 'synthesis'] as const) {
        const req = request({ hint: { ...HINT, kind, round: 2 } });
        const expected = await instant().complete(req);
        const events = await collect(instant().stream(req));
        const deltas = events.slice(0, -1);
        expect(deltas.length).toBeGreaterThan(20);
        let text = '';
        for (const event of deltas) {
          if (event.type !== 'delta') throw new Error('delta expected');
          expect(event.text.trim()).not.toContain(' ');
          text += event.text;
        }
        expect(text).toBe(expected.text);
        expect(events.at(-1)).toEqual({ type: 'done', result: expected });
      }
    });

    it('streams structured output as one JSON delta', async () => {
      const req = request({
        output: { name: 'vote', schema: {} },
        hint: { ...HINT, kind: 'vote', candidates: [{ id: 'demo', text: 'x' }] },
      });
      const events = await collect(instant().stream(req));
      expect(events).toHaveLength(2);
      const [delta, done] = events;
      if (delta?.type !== 'delta' || done?.type !== 'done') throw new Error('delta, done expected');
      expect(delta.text).toBe(done.result.text);
      expect(JSON.parse(delta.text)).toEqual(done.result.object);
    });

    it('fails like complete() does, before any delta', async () => {
      const seen: ProviderEvent[] = [];
      const consume = async () => {
        for await (const event of instant({ failureRate: 1 }).stream(request())) seen.push(event);
      };
      await expect(consume()).rejects.toBeInstanceOf(ProviderCallError);
      expect(seen).toHaveLength(0);
    });
  });
});
