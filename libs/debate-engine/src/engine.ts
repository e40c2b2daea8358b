import { DebateAbortedError, InvalidDebateError } from './errors';
import { EventLog } from './event-log';
import {
  DEFAULT_CONCURRENCY,
  type ConcurrencyLimits,
  type PhaseContext,
  type PhaseOutcome,
} from './phases/context';
import { consensusPhase } from './phases/consensus';
import { convergencePhase } from './phases/convergence';
import { critiquesPhase } from './phases/critiques';
import { finishPhase } from './phases/finish';
import { proposalsPhase } from './phases/proposals';
import { revisionsPhase } from './phases/revisions';
import { startPhase } from './phases/start';
import { synthesisPhase } from './phases/synthesis';
import { votePhase } from './phases/vote';
import type { DebatePorts } from './ports';
import { initialCheckpoint, isCheckpoint, validateSpec } from './spec';
import type { Checkpoint, Cursor, DebateResult, DebateSpec, DebateState } from './types';

export interface EngineOptions {
  /** Calls in flight per phase (per debate); SPEC defaults 5 / 10 / 5, votes 5. */
  concurrency?: Partial<ConcurrencyLimits>;
}

export interface RunOptions {
  /**
   * The event log's last seq. After a crash the log may hold events of a phase the checkpoint
   * does not have; numbering continues after the larger of this and the checkpoint's lastSeq.
   */
  lastSeq?: number;
}

function runPhase(ctx: PhaseContext, state: DebateState, cursor: Cursor): Promise<PhaseOutcome> {
  switch (cursor.phase) {
    case 'start':
      return startPhase(ctx, state);
    case 'proposals':
      return proposalsPhase(ctx, state);
    case 'critiques':
      return critiquesPhase(ctx, state, cursor.round);
    case 'revisions':
      return revisionsPhase(ctx, state, cursor.round);
    case 'convergence':
      return convergencePhase(ctx, state, cursor.round);
    case 'vote':
      return votePhase(ctx, state);
    case 'consensus':
      return consensusPhase(ctx, state);
    case 'synthesis':
      return synthesisPhase(ctx, state);
    case 'finish':
      return finishPhase(ctx, state);
    case 'done':
      return Promise.resolve({ state, next: cursor });
  }
}

/**
 * The debate protocol (SPEC §2.2) as a resumable state machine. Each phase runs to completion,
 * then its checkpoint is saved before the next starts; `run` from any saved checkpoint continues
 * with the next phase and never calls an agent again for a completed one.
 */
export class DebateEngine {
  private readonly limits: ConcurrencyLimits;

  constructor(
    private readonly ports: DebatePorts,
    options: EngineOptions = {},
  ) {
    this.limits = { ...DEFAULT_CONCURRENCY, ...options.concurrency };
    for (const [phase, limit] of Object.entries(this.limits)) {
      if (!Number.isInteger(limit) || limit < 1) {
        throw new InvalidDebateError(`concurrency.${phase} must be an integer >= 1`);
      }
    }
  }

  /**
   * Runs a new debate (a spec) or resumes one (a checkpoint) to its result. Rejects with
   * DebateAbortedError when `signal` aborts, and with the port's error when an event, a
   * checkpoint or the human votes cannot be read or written (the debate is resumable then).
   */
  async run(
    from: Checkpoint | DebateSpec,
    signal: AbortSignal,
    options: RunOptions = {},
  ): Promise<DebateResult> {
    let saved: Checkpoint = isCheckpoint(from) ? structuredClone(from) : initialCheckpoint(from);
    const version: unknown = saved.version;
    if (version !== 1)
      throw new InvalidDebateError(`unknown checkpoint version ${String(version)}`);
    validateSpec(saved.state.spec);
    const log = new EventLog(
      this.ports.events,
      this.ports.clock,
      Math.max(saved.lastSeq, options.lastSeq ?? 0),
    );
    const ctx: PhaseContext = {
      agents: this.ports.agents,
      humanVotes: this.ports.humanVotes,
      log,
      signal,
      spec: saved.state.spec,
      limits: this.limits,
    };
    while (saved.next.phase !== 'done') {
      let outcome: PhaseOutcome;
      try {
        signal.throwIfAborted();
        outcome = await runPhase(ctx, saved.state, saved.next);
      } catch (error) {
        if (signal.aborted)
          throw new DebateAbortedError(signal.reason as unknown, saved, log.lastSeq);
        throw error;
      }
      const checkpoint: Checkpoint = {
        version: 1,
        next: outcome.next,
        lastSeq: log.lastSeq,
        state: outcome.state,
      };
      // Phases build new state objects and never change a saved one, so the store may keep this
      // object as is (a deep copy per phase cost a measurable share of a fast debate).
      await this.ports.checkpoints.save(checkpoint);
      saved = checkpoint;
    }
    const result = saved.state.result;
    if (!result) throw new InvalidDebateError('a finished checkpoint without a result');
    return result;
  }
}
