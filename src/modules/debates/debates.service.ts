import { Inject, Injectable } from '@nestjs/common';
import { ConflictError, NotFoundError, RequestValidationError } from '../../common/errors';
import { UUID } from '../../common/validation/uuid-param.pipe';
import type { TenantPrincipal } from '../auth/principal';
import { DEBATE_EVENT_BUS, type DebateEventBus } from './debate-event-bus';
import { DEBATE_QUEUE, type DebateQueue } from './debate-queue';
import { exportJson, exportMarkdown } from './debate-export';
import { toBusEvent } from './debate-recorder';
import { GENESIS_HASH, linkEvent } from './event-chain';
import { DebateRunner } from './debate-runner';
import { TERMINAL_STATUSES, type DebateEntity } from './debate.entity';
import { debateView, eventView, summaryView, type DebateView } from './debate.view';
import { DebateRecordsRepository } from './debate-records.repository';
import { DebateViews } from './debate-views';
import { DebatesRepository } from './debates.repository';
import type { EventsQuery, ListQuery, VoteBody } from './debates.dto';

interface Cursor {
  at: string;
  id: string;
}

const encodeCursor = (c: Cursor): string => Buffer.from(JSON.stringify(c)).toString('base64url');

/** `at` exactly as the list query writes it (UTC, microseconds): `2026-12-05T07:47:20.123456Z`. */
const CURSOR_AT = /^(\d{4})-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

/** A real instant in PostgreSQL's range, written as this API writes it (no Feb 30, no 24:00). */
function isCursorInstant(at: string): boolean {
  const match = CURSOR_AT.exec(at);
  if (!match || Number(match[1]) < 1) return false;
  const ms = Date.parse(at);
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 19) === at.slice(0, 19);
}

/** A cursor this API handed out; anything else (forged or damaged) is a 422, never a query. */
function decodeCursor(raw: string): Cursor {
  try {
    const c = JSON.parse(Buffer.from(raw, 'base64url').toString()) as Partial<Cursor>;
    if (
      typeof c.at === 'string' &&
      typeof c.id === 'string' &&
      isCursorInstant(c.at) &&
      UUID.test(c.id)
    ) {
      return { at: c.at, id: c.id };
    }
  } catch {
    // fall through to the validation error
  }
  throw new RequestValidationError([
    { field: 'cursor', rule: 'invalid_cursor', message: 'not a cursor returned by this API' },
  ]);
}

const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));

/** Reads, human votes and cancel; every lookup is scoped by the caller's tenant (else 404). */
@Injectable()
export class DebatesService {
  constructor(
    private readonly debates: DebatesRepository,
    private readonly records: DebateRecordsRepository,
    private readonly runner: DebateRunner,
    private readonly views: DebateViews,
    @Inject(DEBATE_QUEUE) private readonly queue: DebateQueue,
    @Inject(DEBATE_EVENT_BUS) private readonly bus: DebateEventBus,
  ) {}

  async require(tenantId: string, id: string): Promise<DebateEntity> {
    const row = await this.debates.findForTenant(tenantId, id);
    if (!row) throw new NotFoundError(`No debate ${id}`);
    return row;
  }

  /**
   * The debate as JSON, from this node's view cache when its events have not changed it since.
   * A queued debate is never kept: its position in the queue moves without events of its own.
   */
  getJson(tenantId: string, id: string): Promise<Buffer> {
    return this.views.debate(tenantId, id, async () => {
      const view = await this.get(tenantId, id);
      return { value: json(view), keep: view.status !== 'queued' };
    });
  }

  async get(tenantId: string, id: string): Promise<DebateView> {
    const row = await this.require(tenantId, id);
    const [messages, votes, position] = await Promise.all([
      this.records.messages(id),
      this.records.votes(id),
      row.status === 'queued' ? this.queue.position(id) : Promise.resolve(undefined),
    ]);
    return debateView(row, messages, votes, position);
  }

  /** A page of summaries as JSON; first pages come from this node's view cache. */
  listJson(tenantId: string, query: ListQuery): Promise<Buffer> {
    if (query.cursor !== undefined) return this.list(tenantId, query).then(json);
    return this.views.firstPage(tenantId, `${query.limit}/${query.status ?? ''}`, async () => ({
      value: json(await this.list(tenantId, query)),
      keep: true,
    }));
  }

  private async list(tenantId: string, query: ListQuery) {
    const before = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    const rows = await this.debates.list(tenantId, {
      limit: query.limit,
      ...(query.status && { status: query.status }),
      ...(before && { before: { createdAt: before.at, id: before.id } }),
    });
    const last = rows.at(-1);
    return {
      items: rows.map(summaryView),
      next_cursor:
        rows.length === query.limit && last
          ? encodeCursor({ at: last.cursor_at, id: last.id })
          : null,
    };
  }

  async events(tenantId: string, id: string, query: EventsQuery) {
    const page = await this.records.eventsPage(tenantId, id, query.after_seq, query.limit);
    if (!page) throw new NotFoundError(`No debate ${id}`);
    const { status, events } = page;
    return {
      debate_id: id,
      status,
      items: events.map(eventView),
      last_seq: events.at(-1)?.seq ?? query.after_seq,
    };
  }

  /** The decision receipt with the whole hash-chained event log. */
  async export(tenantId: string, id: string, format: 'json' | 'markdown') {
    const debate = await this.get(tenantId, id);
    const events = await this.records.events(id, 0, Number.MAX_SAFE_INTEGER);
    return format === 'markdown' ? exportMarkdown(debate, events) : exportJson(debate, events);
  }

  /** One vote per principal; counted in the verdict only while the debate has not ended. */
  async vote(principal: TenantPrincipal, id: string, body: VoteBody, clientIp: string) {
    const cast = await this.records.castVote({
      debateId: id,
      tenantId: principal.tenantId,
      principal: principal.keyId ?? `anonymous:${clientIp}`,
      choice: body.choice,
      intensity: body.intensity,
      reasoning: body.reasoning ?? null,
    });
    if (!cast) throw new NotFoundError(`No debate ${id}`);
    if ('participantIds' in cast) {
      throw new RequestValidationError([
        {
          field: 'choice',
          rule: 'unknown_participant',
          message: `choose one of ${cast.participantIds.join(', ')}`,
        },
      ]);
    }
    const { vote } = cast;
    // Not in the log (its seq belongs to the engine); the consensus event records counted votes.
    this.bus.publish([
      {
        debateId: id,
        tenantId: principal.tenantId,
        type: 'vote_cast',
        seq: null,
        ts: Date.now(),
        round: null,
        agent: null,
        data: { choice: vote.choice, intensity: vote.intensity, counted: vote.counted },
      },
    ]);
    return {
      debate_id: id,
      choice: vote.choice,
      intensity: vote.intensity,
      reasoning: vote.reasoning,
      counted: vote.counted,
      cast_at: vote.updatedAt.toISOString(),
    };
  }

  /** Queued: removed and ended now. Running: stopped by its node (here, or at its next lease renewal). */
  async cancel(tenantId: string, id: string): Promise<{ id: string; status: string }> {
    const row = await this.require(tenantId, id);
    if (TERMINAL_STATUSES.has(row.status)) {
      throw new ConflictError(`The debate already ended (${row.status})`);
    }
    if (row.status === 'queued' && (await this.queue.remove(id))) {
      const end = linkEvent(id, row.lastHash ?? GENESIS_HASH, {
        seq: row.lastSeq + 1,
        type: 'debate_end',
        ts: new Date(),
        round: null,
        agent: null,
        data: {
          status: 'cancelled',
          reason: 'cancelled',
          winner: null,
          confidence: 0,
          roundsCompleted: 0,
        },
      });
      if (
        await this.debates.finish(id, tenantId, null, {
          status: 'cancelled',
          reason: 'cancelled',
          result: null,
          events: [end],
        })
      ) {
        this.bus.publish([toBusEvent({ debateId: id, tenantId }, end)]);
        return { id, status: 'cancelled' };
      }
    }
    if (!this.runner.cancelLocal(id)) await this.debates.requestCancel(tenantId, id);
    return { id, status: 'cancelling' };
  }
}
