import { DEFAULT_CONVERGENCE } from './convergence';
import { InvalidDebateError } from './errors';
import { ELO_INITIAL } from './elo';
import { participantIds } from './participants';
import {
  CONSENSUS_MODES,
  type Checkpoint,
  type ConsensusMode,
  type ConvergenceThresholds,
  type DebateSpec,
  type DebateState,
  type EloSnapshot,
} from './types';

export const DEFAULT_ROUNDS = 9;
export const DEFAULT_CONSENSUS: ConsensusMode = 'hybrid';

export interface DebateSpecInput {
  debateId: string;
  task: string;
  /** Agents in request order; repeats become `name#2`, `name#3` … */
  participants: { agent: string; persona?: string; elo?: Partial<EloSnapshot> }[];
  rounds?: number;
  consensus?: ConsensusMode;
  context?: string | null;
  domain?: string | null;
  convergence?: Partial<ConvergenceThresholds>;
}

/** A complete spec from a request, with the SPEC defaults filled in; throws InvalidDebateError. */
export function createDebateSpec(input: DebateSpecInput): DebateSpec {
  const ids = participantIds(input.participants.map((p) => p.agent));
  const spec: DebateSpec = {
    debateId: input.debateId,
    task: input.task,
    context: input.context ?? null,
    domain: input.domain ?? null,
    participants: input.participants.map((p, i) => ({
      id: ids[i] ?? p.agent,
      agent: p.agent,
      persona: p.persona ?? '',
      elo: { global: p.elo?.global ?? ELO_INITIAL, domain: p.elo?.domain ?? null },
    })),
    rounds: input.rounds ?? DEFAULT_ROUNDS,
    consensus: input.consensus ?? DEFAULT_CONSENSUS,
    convergence: { ...DEFAULT_CONVERGENCE, ...input.convergence },
    fork: null,
  };
  validateSpec(spec);
  return spec;
}

function check(condition: boolean, message: string): void {
  if (!condition) throw new InvalidDebateError(message);
}

export function validateSpec(spec: DebateSpec): void {
  check(spec.debateId.length > 0, 'debateId is required');
  check(spec.task.trim().length > 0, 'task is required');
  check(spec.participants.length >= 2, 'a debate needs at least 2 participants');
  const ids = new Set(spec.participants.map((p) => p.id));
  check(ids.size === spec.participants.length, 'participant ids must be unique');
  check(
    spec.participants.every((p) => p.agent.length > 0 && Number.isFinite(p.elo.global)),
    'every participant needs an agent and a finite rating',
  );
  check(Number.isInteger(spec.rounds) && spec.rounds >= 1, 'rounds must be an integer >= 1');
  check(CONSENSUS_MODES.includes(spec.consensus), `unknown consensus mode ${spec.consensus}`);
  const { converged, diverging } = spec.convergence;
  check(
    0 <= diverging && diverging <= converged && converged <= 1,
    'convergence thresholds need 0 <= diverging <= converged <= 1',
  );
  if (spec.fork) {
    check(
      Number.isInteger(spec.fork.fromRound) && spec.fork.fromRound >= 0,
      'fork fromRound must be an integer >= 0',
    );
  }
}

export function initialState(spec: DebateSpec): DebateState {
  return {
    spec,
    messages: [],
    failures: [],
    convergence: [],
    startedRound: 0,
    roundsCompleted: 0,
    earlyStop: false,
    usage: { inputTokens: 0, outputTokens: 0 },
    tally: null,
    decision: null,
    synthesis: null,
    failure: null,
    result: null,
  };
}

/** The checkpoint a new debate starts from (nothing run, no events). */
export function initialCheckpoint(spec: DebateSpec): Checkpoint {
  validateSpec(spec);
  return { version: 1, next: { phase: 'start' }, lastSeq: 0, state: initialState(spec) };
}

export function isCheckpoint(value: Checkpoint | DebateSpec): value is Checkpoint {
  return 'version' in value && 'next' in value && 'state' in value;
}
