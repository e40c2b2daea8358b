import fc from 'fast-check';
import { MemoryRateLimitStore } from '../rate-limit/memory-rate-limit.store';
import { ProviderBudget, type BudgetSettings } from './provider-budget';

/** A fake clock: `sleep` advances time instead of waiting. */
function fakeTime() {
  let now = 0;
  return {
    now: () => now,
    advance: (ms: number) => {
      now += ms;
    },
    sleep: (ms: number, signal: AbortSignal) => {
      signal.throwIfAborted();
      now += ms;
      return Promise.resolve();
    },
  };
}

const rpmOf = (gemini: number): BudgetSettings['rpm'] => ({
  anthropic: 1000,
  openai: 500,
  grok: 500,
  openrouter: 500,
  mistral: 300,
  deepseek: 200,
  gemini,
  'openai-compatible': 600,
});

const noStagger: BudgetSettings['staggerMs'] = {
  anthropic: 0,
  openai: 0,
  grok: 0,
  openrouter: 0,
  mistral: 0,
  deepseek: 0,
  gemini: 0,
  'openai-compatible': 0,
};

describe('ProviderBudget', () => {
  it('RPM 60 lets through no more than the bucket allows in a minute', async () => {
    const time = fakeTime();
    const budget = new ProviderBudget(
      new MemoryRateLimitStore(time.now),
      { rpm: rpmOf(60), burstShare: 0.1, staggerMs: noStagger },
      time,
    );
    const signal = new AbortController().signal;
    const starts: number[] = [];
    while (time.now() < 60_000) {
      await budget.acquire('gemini', signal);
      if (time.now() < 60_000) starts.push(time.now());
    }
    // capacity 6 (10 % of 60) at once, then one per second: 6 + 59 whole refills before 60 s
    expect(budget.capacity('gemini')).toBe(6);
    expect(starts.length).toBeLessThanOrEqual(6 + 60);
    expect(starts.length).toBeGreaterThanOrEqual(6 + 59);
    expect(starts.slice(0, 6)).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('never exceeds capacity + rpm × minutes in any run of calls (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 600 }),
        fc.double({ min: 0.01, max: 1, noNaN: true }),
        fc.array(fc.integer({ min: 0, max: 5_000 }), { minLength: 1, maxLength: 200 }),
        async (rpm, burstShare, gaps) => {
          const time = fakeTime();
          const budget = new ProviderBudget(
            new MemoryRateLimitStore(time.now),
            { rpm: rpmOf(rpm), burstShare, staggerMs: noStagger },
            time,
          );
          const signal = new AbortController().signal;
          for (const gap of gaps) {
            time.advance(gap);
            await budget.acquire('gemini', signal);
          }
          const allowed = budget.capacity('gemini') + (rpm * time.now()) / 60_000;
          expect(gaps.length).toBeLessThanOrEqual(Math.floor(allowed + 1e-9));
        },
      ),
    );
  });

  it('spaces call starts to one provider by the stagger, and keeps providers apart', async () => {
    const time = fakeTime();
    const budget = new ProviderBudget(
      new MemoryRateLimitStore(time.now),
      {
        rpm: rpmOf(60),
        burstShare: 1,
        staggerMs: { ...noStagger, openrouter: 2_000, openai: 1_500 },
      },
      time,
    );
    const signal = new AbortController().signal;
    const starts: [string, number][] = [];
    for (const provider of ['openrouter', 'openrouter', 'openai', 'openrouter'] as const) {
      await budget.acquire(provider, signal);
      starts.push([provider, time.now()]);
    }
    // sequential calls on a fake clock: each wait advances the shared time
    expect(starts).toEqual([
      ['openrouter', 0],
      ['openrouter', 2_000],
      ['openai', 2_000],
      ['openrouter', 4_000],
    ]);
  });

  it('gives up waiting when the signal aborts', async () => {
    const time = fakeTime();
    const budget = new ProviderBudget(
      new MemoryRateLimitStore(time.now),
      { rpm: rpmOf(1), burstShare: 0.01, staggerMs: noStagger },
      time,
    );
    const controller = new AbortController();
    await budget.acquire('gemini', controller.signal);
    controller.abort(new Error('cancelled'));
    await expect(budget.acquire('gemini', controller.signal)).rejects.toThrow('cancelled');
  });

  it('reports the budget left as this node last saw it, refilled since', async () => {
    const time = fakeTime();
    const budget = new ProviderBudget(
      new MemoryRateLimitStore(time.now),
      { rpm: rpmOf(60), burstShare: 0.5, staggerMs: noStagger },
      time,
    );
    expect(budget.state('gemini')).toEqual({ rpm: 60, capacity: 30, remaining: 30 });
    const signal = new AbortController().signal;
    for (let i = 0; i < 10; i++) await budget.acquire('gemini', signal);
    expect(budget.state('gemini').remaining).toBe(20);
    time.advance(5_000);
    expect(budget.state('gemini').remaining).toBe(25);
  });
});
