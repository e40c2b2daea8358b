import { createHash, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { forkCheckpoint, participantIds, type Checkpoint } from '@aragora/debate-engine';
import {
  ConflictError,
  NotFoundError,
  RequestValidationError,
  ServiceUnavailableError,
} from '../../common/errors';
import { InjectConfig, type AppConfig } from '../../config';
import { AgentsService } from '../agents/agents.service';
import type { AgentSpec } from '../agents/agent.types';
import type { TenantPrincipal } from '../auth/principal';
import { canonicalJson, GENESIS_HASH, linkEvent } from './event-chain';
import { DEBATE_EVENT_BUS, type DebateEventBus } from './debate-event-bus';
import { DEBATE_QUEUE, type DebateQueue } from './debate-queue';
import { toBusEvent } from './debate-recorder';
import type { DebateEntity, StoredParticipant } from './debate.entity';
import { DebateRecordsRepository } from './debate-records.repository';
import { DebatesRepository, type NewDebateRow, type StoredEvent } from './debates.repository';
import type { CreateDebateBody, ForkBody } from './debates.dto';
import { linksOf, websocketUrl } from './debate.view';

/** Suggested wait when the queue is full: about one debate slot turning over. */
const QUEUE_FULL_RETRY_AFTER_SECONDS = 30;

export interface CreatedDebate {
  id: string;
  status: string;
  position_in_queue?: number;
  websocket_url: string;
  links: ReturnType<typeof linksOf>;
}

/** Create (with Idempotency-Key) and fork: validate, freeze the agents, queue, answer 202. */
@Injectable()
export class CreateDebateUseCase {
  constructor(
    private readonly debates: DebatesRepository,
    private readonly records: DebateRecordsRepository,
    private readonly agents: AgentsService,
    @Inject(DEBATE_QUEUE) private readonly queue: DebateQueue,
    @Inject(DEBATE_EVENT_BUS) private readonly bus: DebateEventBus,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  async create(
    principal: TenantPrincipal,
    body: CreateDebateBody,
    idempotencyKey: string | undefined,
  ): Promise<CreatedDebate> {
    const requestHash = createHash('sha256').update(canonicalJson(body)).digest('hex');
    if (idempotencyKey !== undefined) {
      const first = await this.debates.findByIdempotencyKey(principal.tenantId, idempotencyKey);
      if (first) return this.replay(first, requestHash);
    }
    const specs = await this.agents.resolve(principal.tenantId, body.agents);
    await this.ensureQueueRoom();
    const id = randomUUID();
    const row: NewDebateRow = {
      id,
      tenantId: principal.tenantId,
      status: 'queued',
      task: body.task,
      context: body.context ?? null,
      consensusMode: body.consensus,
      rounds: body.rounds,
      domain: body.domain ?? null,
      metadata: body.metadata ?? {},
      budget: body.budget ?? null,
      participants: participantsOf(specs),
      parentId: null,
      fromRound: null,
      idempotencyKey: idempotencyKey ?? null,
      requestHash,
      createdBy: principal.keyId,
    };
    const event = queuedEvent(row);
    const created = await this.debates.create(row, event);
    if (!created) {
      // Two requests with one Idempotency-Key raced: the other one won.
      const first = await this.debates.findByIdempotencyKey(
        principal.tenantId,
        idempotencyKey ?? '',
      );
      if (first) return this.replay(first, requestHash);
      throw new ConflictError('The debate could not be created; retry');
    }
    return this.enqueue(created, event);
  }

  async fork(principal: TenantPrincipal, parentId: string, body: ForkBody): Promise<CreatedDebate> {
    const parent = await this.debates.findForTenant(principal.tenantId, parentId);
    if (!parent) throw new NotFoundError(`No debate ${parentId}`);
    const stored = (await this.records.loadCheckpoint(parent.id))?.checkpoint;
    if (!stored) {
      throw new ConflictError('The debate has no completed phase to fork from yet');
    }
    const branches = await this.debates.countRunningChildren(parent.id);
    const max = this.config.debates.maxConcurrentBranches;
    if (branches >= max) {
      throw new ConflictError(
        `At most ${max} forks of one debate run at once (ARAGORA_MAX_CONCURRENT_BRANCHES)`,
      );
    }
    await this.ensureQueueRoom();
    const id = randomUUID();
    let checkpoint: Checkpoint;
    try {
      checkpoint = forkCheckpoint(stored.state, {
        debateId: id,
        fromRound: body.from_round,
        ...(body.context !== undefined && { context: body.context }),
        ...(body.rounds !== undefined && { rounds: body.rounds }),
        ...(body.consensus !== undefined && { consensus: body.consensus }),
      });
    } catch (error) {
      throw new RequestValidationError([
        { field: 'from_round', rule: 'out_of_range', message: (error as Error).message },
      ]);
    }
    const spec = checkpoint.state.spec;
    const row: NewDebateRow = {
      id,
      tenantId: principal.tenantId,
      status: 'queued',
      task: parent.task,
      context: spec.context,
      consensusMode: spec.consensus,
      rounds: spec.rounds,
      domain: parent.domain,
      metadata: parent.metadata,
      budget: parent.budget,
      participants: parent.participants,
      parentId: parent.id,
      fromRound: body.from_round,
      idempotencyKey: null,
      requestHash: null,
      createdBy: principal.keyId,
    };
    const event = queuedEvent(row);
    const created = await this.debates.create(
      row,
      event,
      checkpoint as unknown as Record<string, unknown>,
    );
    if (!created) throw new ConflictError('The fork could not be created; retry');
    return this.enqueue(created, event);
  }

  /** The same key and body answer the first debate; the same key with another body is refused. */
  private async replay(first: DebateEntity, requestHash: string): Promise<CreatedDebate> {
    if (first.requestHash !== requestHash) {
      throw new RequestValidationError([
        {
          field: 'Idempotency-Key',
          rule: 'idempotency_mismatch',
          message: 'this Idempotency-Key was used with a different request body',
        },
      ]);
    }
    return this.createdView(first);
  }

  private async ensureQueueRoom(): Promise<void> {
    const depth = await this.queue.depth().catch((error: unknown) => {
      throw queueUnavailable(error);
    });
    if (depth >= this.config.debates.maxQueued) {
      throw new ServiceUnavailableError(
        `The debate queue is full (${this.config.debates.maxQueued} waiting); retry later`,
        { retryAfterSeconds: QUEUE_FULL_RETRY_AFTER_SECONDS },
      );
    }
  }

  private async enqueue(row: DebateEntity, event: StoredEvent): Promise<CreatedDebate> {
    try {
      await this.queue.enqueue(row.id);
    } catch (error) {
      // Nothing runs it: take it back rather than leave a debate that never starts.
      await this.debates.deleteUnqueued(row.id);
      throw queueUnavailable(error);
    }
    this.bus.publish([toBusEvent({ debateId: row.id, tenantId: row.tenantId }, event)]);
    return this.createdView(row);
  }

  private async createdView(row: DebateEntity): Promise<CreatedDebate> {
    const position = row.status === 'queued' ? await this.queue.position(row.id) : undefined;
    return {
      id: row.id,
      status: row.status,
      ...(position !== undefined && { position_in_queue: position }),
      websocket_url: websocketUrl(row.id),
      links: linksOf(row.id),
    };
  }
}

/** The cause (a Redis error) stays in the server's log, not in the client's answer. */
function queueUnavailable(cause: unknown): ServiceUnavailableError {
  return new ServiceUnavailableError('The debate queue is unavailable; retry shortly', {
    retryAfterSeconds: 5,
    cause,
  });
}

function participantsOf(specs: readonly AgentSpec[]): StoredParticipant[] {
  const ids = participantIds(specs.map((s) => s.name));
  return specs.map((s, i) => ({
    id: ids[i] ?? s.name,
    agent: s.name,
    provider: s.provider,
    model: s.model,
    persona: s.persona,
    systemPrompt: s.systemPrompt,
    temperature: s.temperature,
    maxTokens: s.maxTokens,
    fallback: s.fallback,
  }));
}

/** Seq 1 of every debate. */
function queuedEvent(row: NewDebateRow): StoredEvent {
  return linkEvent(row.id, GENESIS_HASH, {
    seq: 1,
    type: 'debate_queued',
    ts: new Date(),
    round: null,
    agent: null,
    data: {
      task: row.task,
      agents: row.participants.map((p) => p.id),
      rounds: row.rounds,
      consensus: row.consensusMode,
      ...(row.parentId && { parent_id: row.parentId, from_round: row.fromRound }),
    },
  });
}
