import { ReadinessState } from './readiness.state';

describe('ReadinessState', () => {
  it('goes starting → ready → draining, and draining is final', () => {
    const state = new ReadinessState();
    expect(state.phase).toBe('starting');
    state.markReady();
    expect(state.phase).toBe('ready');
    state.markDraining();
    expect(state.phase).toBe('draining');
    state.markReady();
    expect(state.phase).toBe('draining');
  });

  it('tells each draining listener once, when draining starts', () => {
    const state = new ReadinessState();
    const told: string[] = [];
    state.onDraining(() => told.push('a'));
    state.onDraining(() => told.push('b'));
    state.markReady();
    expect(told).toEqual([]);
    state.markDraining();
    state.markDraining();
    expect(told).toEqual(['a', 'b']);
  });

  it('tells a listener added while draining at once', () => {
    const state = new ReadinessState();
    state.markDraining();
    const told: string[] = [];
    state.onDraining(() => told.push('late'));
    expect(told).toEqual(['late']);
  });

  it('does not tell a cancelled listener', () => {
    const state = new ReadinessState();
    const told: string[] = [];
    const cancel = state.onDraining(() => told.push('cancelled'));
    state.onDraining(() => told.push('kept'));
    cancel();
    state.markDraining();
    expect(told).toEqual(['kept']);
  });
});
