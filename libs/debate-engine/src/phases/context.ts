import { abortReason, Bulkhead } from '@aragora/resilience';
import type { CallContext } from '../call';
import type { HumanVoteSource } from '../ports';
import type { Cursor, DebateState } from '../types';

export interface ConcurrencyLimits {
  proposals: number;
  critiques: number;
  revisions: number;
  votes: number;
}

/** SPEC §2.2 limits; votes are not named there and take the proposals' 5. */
export const DEFAULT_CONCURRENCY: ConcurrencyLimits = {
  proposals: 5,
  critiques: 10,
  revisions: 5,
  votes: 5,
};

export interface PhaseContext extends CallContext {
  humanVotes: HumanVoteSource;
  limits: ConcurrencyLimits;
}

export interface PhaseOutcome {
  state: DebateState;
  next: Cursor;
}

/**
 * Runs `fn` over the items, at most `limit` at once, and waits for every one to settle, so no
 * call or event of the phase is still in flight when it returns or throws. Results keep the
 * items' order, which makes the transcript independent of which call finished first.
 */
export async function runBounded<I, R>(
  items: readonly I[],
  limit: number,
  signal: AbortSignal,
  fn: (item: I) => Promise<R>,
): Promise<R[]> {
  const bulkhead = new Bulkhead(limit);
  const settled = await Promise.allSettled(
    items.map((item) => bulkhead.run(() => fn(item), signal)),
  );
  if (signal.aborted) throw abortReason(signal);
  const results: R[] = [];
  for (const outcome of settled) {
    if (outcome.status === 'rejected') throw outcome.reason;
    results.push(outcome.value);
  }
  return results;
}

/** After round `completed`: the next round's critiques, or the vote when rounds are spent or converged. */
export function afterRound(state: DebateState, completed: number): Cursor {
  return completed < state.spec.rounds && !state.earlyStop
    ? { phase: 'critiques', round: completed + 1 }
    : { phase: 'vote' };
}
