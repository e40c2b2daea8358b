import type { Checkpoint } from './types';

/**
 * The run stopped because its AbortSignal fired. Nothing of the interrupted phase is kept in
 * `checkpoint` (the last one saved: every completed round is in it); its events up to `lastSeq`
 * are in the log. The engine emits no debate_end: the app decides what the stop means
 * (`abortOutcome`: cancelled or timed_out, or a release for another worker to resume).
 */
export class DebateAbortedError extends Error {
  override readonly name = 'DebateAbortedError';
  readonly code = 'DEBATE_ABORTED';

  constructor(
    /** The signal's reason. */
    readonly reason: unknown,
    readonly checkpoint: Checkpoint,
    /** Seq of the last event written; the app's debate_end takes lastSeq + 1. */
    readonly lastSeq: number,
  ) {
    super(`debate ${checkpoint.state.spec.debateId} aborted before ${checkpoint.next.phase}`);
  }
}

/** A spec or checkpoint the engine cannot run (bad rounds, duplicate participants, …). */
export class InvalidDebateError extends Error {
  override readonly name = 'InvalidDebateError';
  readonly code = 'INVALID_DEBATE';
}

/** AbortSignal.timeout() aborts with a TimeoutError: that is a timeout, anything else a cancel. */
export function abortOutcome(reason: unknown): 'timed_out' | 'cancelled' {
  const name =
    typeof reason === 'object' && reason !== null ? (reason as { name?: unknown }).name : undefined;
  return name === 'TimeoutError' ? 'timed_out' : 'cancelled';
}

export function describeError(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.length > 500 ? `${text.slice(0, 497)}...` : text;
}
