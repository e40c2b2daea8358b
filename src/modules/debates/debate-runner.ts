import { setMaxListeners } from 'node:events';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import {
  abortOutcome,
  createDebateSpec,
  DebateAbortedError,
  DebateEngine,
  isCheckpoint,
  type Checkpoint,
  type DebateResult,
  type DebateSpec,
} from '@aragora/debate-engine';
import { Bulkhead } from '@aragora/resilience';
import type { AppConfig } from '../../config';
import type { Logger } from '../../common/logging/logger';
import type { AgentCaller } from '../agents/agent-caller';
import type { AgentSpec } from '../agents/agent.types';
import { DebateAgents, personaPrompt } from './debate-agents.adapter';
import type { DebateEventBus } from './debate-event-bus';
import type { DebateQueue } from './debate-queue';
import type { DebateRatings } from './debate-ratings.port';
import { DebateRecorder, toBusEvent } from './debate-recorder';
import type { DebateEntity, DebateStatus, StoredParticipant } from './debate.entity';
import type { DebateMetrics } from './debate.metrics';
import type { DebateRecordsRepository } from './debate-records.repository';
import { LeaseLostError, type DebatesRepository } from './debates.repository';

export interface RunnerSettings {
  readonly maxConcurrent: number;
  readonly timeoutMs: number;
  readonly heartbeatMs: number;
  readonly leaseMs: number;
  readonly concurrency: { proposals: number; critiques: number; revisions: number };
  readonly maxConcurrentStreaming: number;
}

export function runnerSettings(config: AppConfig): RunnerSettings {
  const d = config.debates;
  return {
    maxConcurrent: d.maxConcurrent,
    timeoutMs: d.timeoutMs,
    heartbeatMs: d.heartbeatMs,
    leaseMs: d.leaseMs,
    concurrency: {
      proposals: d.maxConcurrentProposals,
      critiques: d.maxConcurrentCritiques,
      revisions: d.maxConcurrentRevisions,
    },
    maxConcurrentStreaming: d.maxConcurrentStreaming,
  };
}

/** A debate queued for longer than this is checked against the queue by the sweeper. */
const STALE_QUEUED_MS = 30_000;

/** Why a run was stopped from outside the engine. */
class StopRequest extends Error {
  constructor(readonly kind: 'cancel' | 'shutdown' | 'lease_lost' | 'budget') {
    super(kind);
    this.name = 'StopRequest';
  }
}

interface ActiveRun {
  readonly tenantId: string;
  readonly controller: AbortController;
}

export interface RunnerDeps {
  readonly repository: DebatesRepository;
  readonly records: DebateRecordsRepository;
  readonly queue: DebateQueue;
  readonly bus: DebateEventBus;
  readonly caller: AgentCaller;
  readonly ratings: DebateRatings;
  readonly metrics: DebateMetrics;
  readonly log: Logger;
  readonly settings: RunnerSettings;
}

/**
 * Runs debates on this node: at most `maxConcurrent` at once from the queue, each under a lease
 * it renews; resumes any debate whose lease expired (its worker died) from its last checkpoint;
 * stops runs for cancel, timeout and shutdown (a shutdown hands the debate back, resumable).
 */
export class DebateRunner {
  readonly nodeId = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly active = new Map<string, ActiveRun>();
  private readonly runs = new Set<Promise<void>>();
  private sweeper: NodeJS.Timeout | undefined;
  private stopping = false;

  constructor(private readonly deps: RunnerDeps) {}

  get activeCount(): number {
    return this.active.size;
  }

  isRunningHere(debateId: string): boolean {
    return this.active.has(debateId);
  }

  async start(options: { reloadQueued: boolean }): Promise<void> {
    const { queue, repository, settings } = this.deps;
    if (options.reloadQueued) {
      for (const id of await repository.findQueued(10_000)) await queue.enqueue(id);
    }
    queue.start((id) => this.track(this.run(id)), settings.maxConcurrent);
    this.sweeper = setInterval(() => void this.sweep(), Math.max(250, settings.leaseMs / 3));
    this.sweeper.unref();
    void this.sweep();
  }

  /** Stops taking debates, hands the running ones back (resumable) and waits for them to stop. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.sweeper);
    await this.deps.queue.close();
    for (const run of this.active.values()) run.controller.abort(new StopRequest('shutdown'));
    await Promise.allSettled([...this.runs]);
  }

  /** Stops a debate running on this node; false when it does not run here. */
  cancelLocal(debateId: string): boolean {
    const run = this.active.get(debateId);
    run?.controller.abort(new StopRequest('cancel'));
    return run !== undefined;
  }

  private track(run: Promise<void>): Promise<void> {
    this.runs.add(run);
    return run.finally(() => this.runs.delete(run));
  }

  /** Renews this node's leases, applies cancels asked on other nodes, resumes orphaned debates. */
  private async sweep(): Promise<void> {
    const { repository, queue, settings, log } = this.deps;
    try {
      // Only the runs asked about: one claimed while the renewal was in flight is not lost.
      const asked = [...this.active.keys()];
      const held = await repository.renewLeases(asked, this.nodeId, settings.leaseMs);
      for (const id of asked) {
        const run = this.active.get(id);
        const lease = held.get(id);
        if (!lease) run?.controller.abort(new StopRequest('lease_lost'));
        else if (lease.cancelRequested) run?.controller.abort(new StopRequest('cancel'));
      }
      if (this.stopping) return;
      for (const id of await repository.findExpired(100)) {
        if (!this.active.has(id)) await queue.enqueue(id);
      }
      // A queued debate whose job was lost (Redis flushed or failed over) is queued again;
      // enqueueing one that is still waiting changes nothing.
      for (const id of await repository.findQueued(100, STALE_QUEUED_MS)) {
        await queue.enqueue(id);
      }
    } catch (error) {
      log.warn({ err: error }, 'debate lease sweep failed; retrying');
    }
  }

  private async run(debateId: string): Promise<void> {
    const { repository, log, settings } = this.deps;
    if (this.stopping) return;
    const row = await repository.claim(debateId, this.nodeId, settings.leaseMs);
    if (!row) return; // ended, or another node holds a live lease
    const controller = new AbortController();
    // Cancelled while its job was being handed to this node: it stops before any agent call.
    if (row.cancelRequested) controller.abort(new StopRequest('cancel'));
    this.active.set(debateId, { tenantId: row.tenantId, controller });
    const startedAt = row.startedAt?.getTime() ?? Date.now();
    const left = Math.max(0, settings.timeoutMs - (Date.now() - startedAt));
    const signal = AbortSignal.any([controller.signal, AbortSignal.timeout(left)]);
    // Every concurrent agent call of the debate (timeouts, retries, queues) listens to it.
    setMaxListeners(0, signal);
    const heartbeat = this.heartbeat(row);
    try {
      await this.execute(row, signal, startedAt);
    } catch (error) {
      log.error({ err: error, debateId }, 'debate run failed; it stays resumable');
    } finally {
      clearInterval(heartbeat);
      this.active.delete(debateId);
    }
  }

  private async execute(row: DebateEntity, signal: AbortSignal, startedAt: number): Promise<void> {
    const { repository, bus, caller, settings, log } = this.deps;
    const stored = await this.deps.records.loadCheckpoint(row.id);
    const from: Checkpoint | DebateSpec = stored?.checkpoint ?? (await this.specOf(row));
    const recorder = new DebateRecorder(
      {
        debateId: row.id,
        tenantId: row.tenantId,
        owner: this.nodeId,
        lastHash: row.lastHash,
        lastSeq: row.lastSeq,
        storedMessages: stored?.storedIds ?? [],
        nextPhase: isCheckpoint(from) ? from.next.phase : 'start',
      },
      repository,
      bus,
      (phase, ms, checkpoint) => {
        if (phase === 'consensus') this.deps.metrics.consensusDecided(ms / 1000);
        const { inputTokens, outputTokens } = checkpoint.state.usage;
        const maxTokens = budgetOf(row).maxTokens;
        // A hard cap: the debate stops before its next phase, keeping what it has.
        if (maxTokens !== undefined && inputTokens + outputTokens >= maxTokens) {
          this.active.get(row.id)?.controller.abort(new StopRequest('budget'));
        }
      },
    );
    const engine = new DebateEngine(
      {
        agents: new DebateAgents(
          caller,
          agentsOf(row.participants),
          new Bulkhead(settings.maxConcurrentStreaming),
        ),
        events: recorder,
        checkpoints: recorder,
        humanVotes: {
          current: async () =>
            (await this.deps.records.votes(row.id, true)).map((v) => ({
              principal: v.principal,
              choice: v.choice,
              intensity: v.intensity,
            })),
        },
        clock: Date,
      },
      { concurrency: settings.concurrency },
    );
    let result: DebateResult;
    try {
      result = await engine.run(from, signal, { lastSeq: row.lastSeq });
    } catch (error) {
      if (error instanceof LeaseLostError) {
        log.warn({ debateId: row.id }, 'lease lost to another node; stopping here');
        return;
      }
      if (!(error instanceof DebateAbortedError)) throw error;
      await this.stopped(row, recorder, error, startedAt);
      return;
    }
    // Ratings first: a client that sees `completed` also sees the new leaderboard. Applying is
    // idempotent per debate, so a resume after a crash here cannot count it twice.
    await this.rate(row, result);
    const ended = await repository.finish(row.id, row.tenantId, this.nodeId, {
      status: result.status,
      reason: result.reason,
      result: result as unknown as Record<string, unknown>,
      events: [],
    });
    if (ended) this.deps.metrics.ended(result.status, (Date.now() - startedAt) / 1000);
    await this.announceEnd(row, recorder);
  }

  /**
   * Publishes debate_end now that the row is final. A run resumed after the engine's last phase
   * (its node died before writing the row) has none of its own: the log's last event is sent
   * again (subscribers drop a seq they already have).
   */
  private async announceEnd(row: DebateEntity, recorder: DebateRecorder): Promise<void> {
    const held = recorder.takeEnding();
    if (held.length > 0) {
      recorder.publish(held);
      return;
    }
    const [last] = await this.deps.records.events(row.id, recorder.lastSeq - 1, 1);
    if (last?.type !== 'debate_end') return;
    this.deps.bus.publish([toBusEvent({ debateId: row.id, tenantId: row.tenantId }, last)]);
  }

  /** Cancel, timeout, shutdown or a lost lease stopped the engine between calls. */
  private async stopped(
    row: DebateEntity,
    recorder: DebateRecorder,
    error: DebateAbortedError,
    startedAt: number,
  ): Promise<void> {
    const { repository, bus } = this.deps;
    const stop = error.reason instanceof StopRequest ? error.reason.kind : null;
    if (stop === 'shutdown') {
      await repository.release(row.id, this.nodeId);
      return;
    }
    if (stop === 'lease_lost') return;
    const { status, reason } = stopOutcome(stop, error.reason);
    const state = error.checkpoint.state;
    const end = recorder.appendEvent('debate_end', Date.now(), {
      status,
      reason,
      winner: null,
      confidence: 0,
      roundsCompleted: state.roundsCompleted,
    });
    const ended = await repository.finish(row.id, row.tenantId, this.nodeId, {
      status,
      reason,
      result: partialResult(state, status, reason),
      events: [end],
    });
    if (!ended) return;
    bus.publish([toBusEvent({ debateId: row.id, tenantId: row.tenantId }, end)]);
    this.deps.metrics.ended(status, (Date.now() - startedAt) / 1000);
  }

  private async specOf(row: DebateEntity): Promise<DebateSpec> {
    const agents = [...new Set(row.participants.map((p) => p.agent))];
    const ratings = await this.deps.ratings.ratingsFor(row.tenantId, agents, row.domain);
    return createDebateSpec({
      debateId: row.id,
      task: row.task,
      participants: row.participants.map((p) => ({
        agent: p.agent,
        persona: personaPrompt(p.persona),
        elo: ratings[p.agent] ?? {},
      })),
      rounds: row.rounds,
      consensus: row.consensusMode as DebateSpec['consensus'],
      context: row.context,
      domain: row.domain,
    });
  }

  private async rate(row: DebateEntity, result: DebateResult): Promise<void> {
    if (!result.consensus.reached || result.consensus.winner === null) return;
    const byParticipant = new Map(row.participants.map((p) => [p.id, p.agent]));
    try {
      await this.deps.ratings.applyDebate(row.tenantId, {
        debateId: row.id,
        agents: row.participants.map((p) => p.agent),
        winner: byParticipant.get(result.consensus.winner) ?? null,
        consensusReached: result.consensus.reached,
        domain: row.domain,
      });
    } catch (error) {
      this.deps.log.error({ err: error, debateId: row.id }, 'ELO update failed');
    }
  }

  /** A running debate says it is alive every ARAGORA_HEARTBEAT_INTERVAL (not in the log). */
  private heartbeat(row: DebateEntity): NodeJS.Timeout {
    const timer = setInterval(() => {
      this.deps.bus.publish([
        {
          debateId: row.id,
          tenantId: row.tenantId,
          type: 'heartbeat',
          seq: null,
          ts: Date.now(),
          round: null,
          agent: null,
          data: {},
        },
      ]);
    }, this.deps.settings.heartbeatMs);
    timer.unref();
    return timer;
  }
}

function agentsOf(participants: readonly StoredParticipant[]): Map<string, AgentSpec> {
  return new Map(
    participants.map((p) => [
      p.id,
      {
        name: p.agent,
        provider: p.provider,
        model: p.model,
        persona: p.persona,
        systemPrompt: p.systemPrompt,
        temperature: p.temperature,
        maxTokens: p.maxTokens,
        fallback: p.fallback,
        builtin: false,
      },
    ]),
  );
}

function budgetOf(row: DebateEntity): { maxTokens?: number } {
  const maxTokens = row.budget?.['max_tokens'];
  return typeof maxTokens === 'number' ? { maxTokens } : {};
}

function stopOutcome(
  stop: StopRequest['kind'] | null,
  reason: unknown,
): { status: DebateStatus; reason: string } {
  if (stop === 'cancel') return { status: 'cancelled', reason: 'cancelled' };
  if (stop === 'budget') return { status: 'failed', reason: 'budget_exceeded' };
  return abortOutcome(reason) === 'timed_out'
    ? { status: 'timed_out', reason: 'debate_timeout' }
    : { status: 'cancelled', reason: 'cancelled' };
}

/** What a stopped debate kept: every completed round, no verdict. */
function partialResult(
  state: DebateAbortedError['checkpoint']['state'],
  status: DebateStatus,
  reason: string,
): Record<string, unknown> {
  return {
    debateId: state.spec.debateId,
    status,
    reason,
    consensus: null,
    positions: [],
    tally: null,
    dissent: [],
    agentFailures: state.failures,
    convergence: state.convergence,
    roundsCompleted: state.roundsCompleted,
    earlyStop: false,
    usage: state.usage,
  };
}
