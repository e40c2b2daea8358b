import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { InvalidatingCache, type Loaded } from '../../common/invalidating-cache';
import { InjectConfig, type AppConfig } from '../../config';
import { createCounter } from '../observability/metric-registry';
import { DEBATE_EVENT_BUS, type BusEvent, type DebateEventBus } from './debate-event-bus';

/** Events after which a tenant's list pages may show something else (a new debate, a status). */
const LIST_CHANGES: ReadonlySet<string> = new Set(['debate_queued', 'debate_start', 'debate_end']);

/** The share of the cache budget for list pages (20 summaries are a few KB). */
const LIST_SHARE = 0.125;

const listKeyPrefix = (tenantId: string): string => `${tenantId}/`;

/**
 * Rendered JSON of debates and of first list pages, kept per node and dropped by the debates' own
 * events on the event bus (every node sees every debate's events, so a change made on another node
 * drops the copy here too). Every write that changes what a view shows publishes an event after its
 * commit: a phase's events, a human vote (`vote_cast`), the end (`debate_end`, published after the
 * final row is written). `ARAGORA_DEBATE_VIEW_CACHE_TTL` bounds staleness when an event is missed
 * (Redis unreachable) or a change has none (a debate handed back at shutdown).
 */
@Injectable()
export class DebateViews implements OnModuleDestroy {
  private readonly debates: InvalidatingCache;
  private readonly lists: InvalidatingCache;
  private readonly unsubscribe: () => void;

  constructor(@Inject(DEBATE_EVENT_BUS) bus: DebateEventBus, @InjectConfig() config: AppConfig) {
    const { maxAgeMs, maxBytes } = config.caches.debateViews;
    const sizeOf = (body: Buffer) => body.length;
    const listBytes = Math.max(1, Math.floor(maxBytes * LIST_SHARE));
    this.debates = new InvalidatingCache({ maxAgeMs, maxSize: maxBytes - listBytes, sizeOf });
    this.lists = new InvalidatingCache({ maxAgeMs, maxSize: listBytes, sizeOf });
    this.unsubscribe = bus.subscribe((event) => this.changed(event));
    const caches = { debate: this.debates, list: this.lists };
    createCounter({
      name: 'aragora_debate_view_cache_total',
      help: 'Reads of debate and list JSON answered from this node’s cache (hit) or rendered (miss).',
      labelNames: ['view', 'result'],
      collect() {
        this.reset();
        for (const [view, cache] of Object.entries(caches)) {
          this.inc({ view, result: 'hit' }, cache.hits);
          this.inc({ view, result: 'miss' }, cache.misses);
        }
      },
    });
  }

  /** The debate's JSON; `load` renders it (scoped by tenant) and says whether it may be kept. */
  debate(tenantId: string, id: string, load: () => Promise<Loaded>): Promise<Buffer> {
    return this.debates.getOrLoad(`${tenantId}/${id}`, load);
  }

  /** A first list page (no cursor) of the tenant; `query` names the rest of the request. */
  firstPage(tenantId: string, query: string, load: () => Promise<Loaded>): Promise<Buffer> {
    return this.lists.getOrLoad(`${listKeyPrefix(tenantId)}${query}`, load);
  }

  onModuleDestroy(): void {
    this.unsubscribe();
  }

  private changed(event: BusEvent): void {
    // token deltas and heartbeats change nothing that is stored
    if (event.seq === null && event.type !== 'vote_cast') return;
    this.debates.invalidate(`${event.tenantId}/${event.debateId}`);
    if (LIST_CHANGES.has(event.type)) {
      const prefix = listKeyPrefix(event.tenantId);
      this.lists.invalidateWhere((key) => key.startsWith(prefix));
    }
  }
}
