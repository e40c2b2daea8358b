import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { HttpAdapterHost, ModuleRef } from '@nestjs/core';
import { WebSocketServer, type WebSocket } from 'ws';
import { InjectConfig, type AppConfig } from '../../config';
import { TooManyRequestsError } from '../../common/errors';
import { requestIdFrom } from '../../common/http/request-id';
import type { Logger } from '../../common/logging/logger';
import { LOGGER } from '../../common/logging/logger.module';
import { KEY_CACHE_TTL_MS, KeyAuthenticator } from '../auth/key-authenticator';
import { DEBATE_EVENT_BUS, type DebateEventBus } from '../debates/debate-event-bus';
import { DebatesService } from '../debates/debates.service';
import { LiveStats } from '../health/live-stats';
import { ReadinessState } from '../health/readiness.state';
import { AuthFailureLimiter } from '../rate-limit/auth-failure.limiter';
import { PUBLIC_TENANT_ID } from '../tenants/tenant.entity';
import { DebateFanout } from './debate-fanout';
import {
  CLOSE_GOING_AWAY,
  CLOSE_POLICY_VIOLATION,
  GatewayConnection,
  type ConnectionContext,
  type ConnectionLimits,
  type EventLog,
} from './gateway.connection';
import { GatewayMetrics } from './gateway.metrics';
import { CorkBatch } from './prepared-frame';
import { handshakeRefusal, refuseUpgrade, upgradeToken, type Refusal } from './upgrade-refusal';

export const WS_PATH = '/ws';

/** Per-socket message budget: 20 messages/s, bursts of 40; 20 refusals in a row close it (1008). */
const MESSAGES_PER_SECOND = 20;
const MESSAGE_BURST = 40;
const RATE_LIMIT_STRIKES = 20;
const MAX_SUBSCRIPTIONS = 100;
/** Small enough that a page of long agent messages fits under the queue's byte bound. */
const REPLAY_PAGE_SIZE = 100;
/** Above 1 MB unsent in a socket, frames wait in the queue; congested for 2 s → 1013. */
const HIGH_WATER_BYTES = 1024 * 1024;
const MAX_QUEUED_BYTES = 4 * 1024 * 1024;
const MAX_STALL_MS = 2_000;
const CLOSE_GRACE_MS = 5_000;
/** How often congested sockets are offered their waiting frames again. */
const DRAIN_INTERVAL_MS = 50;
/** On shutdown, how long clients get to answer the 1001 close frame before being cut. */
const SHUTDOWN_WAIT_MS = 1_000;

type Outcome =
  { readonly tenantId: string; readonly keyId: string | null } | { readonly refusal: Refusal };

/**
 * WebSocket endpoint at /ws on the HTTP port: a `ws` server in noServer mode on the `upgrade`
 * event of Fastify's HTTP server (ADR 0006). Authentication, capacity and draining are decided
 * before the upgrade (refusals are HTTP 401/429/503); after it, each socket is a
 * GatewayConnection fed by one DebateFanout listening on the event bus.
 */
@Injectable()
export class WsGateway implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly connections = new Set<GatewayConnection>();
  private readonly congested = new Set<GatewayConnection>();
  private pendingUpgrades = 0;
  private shuttingDown = false;
  private server: Server | undefined;
  private wss: WebSocketServer | undefined;
  private fanout: DebateFanout | undefined;
  private context: ConnectionContext | undefined;
  private authenticator: KeyAuthenticator | undefined;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private keyCheckTimer: NodeJS.Timeout | undefined;
  private stopRevocations: (() => void) | undefined;
  private drainTimer: NodeJS.Timeout | undefined;
  private allClosed: (() => void) | undefined;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly moduleRef: ModuleRef,
    @InjectConfig() private readonly config: AppConfig,
    @Inject(LOGGER) private readonly log: Logger,
    private readonly stats: LiveStats,
    private readonly readiness: ReadinessState,
    private readonly metrics: GatewayMetrics,
    private readonly failures: AuthFailureLimiter,
  ) {}

  get connectionCount(): number {
    return this.connections.size;
  }

  onApplicationBootstrap(): void {
    // No HTTP server (an application context without one): nothing to attach to.
    if (!this.adapterHost.httpAdapter) return;
    // Exported by their modules but not importable here without a second DebatesModule (see ADR).
    const bus = this.moduleRef.get<DebateEventBus>(DEBATE_EVENT_BUS, { strict: false });
    const debates = this.moduleRef.get(DebatesService, { strict: false });
    const authenticator = this.moduleRef.get(KeyAuthenticator, { strict: false });
    this.authenticator = authenticator;
    const ws = this.config.websocket;
    this.fanout = new DebateFanout(bus, {
      batchSize: ws.streamBatchSize,
      intervalMs: ws.streamDrainIntervalMs,
    });
    const log: EventLog = {
      page: (tenantId, debateId, afterSeq, limit) =>
        debates.events(tenantId, debateId, { after_seq: afterSeq, limit }),
    };
    this.context = this.createContext(this.fanout, log);
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: ws.maxMessageBytes,
      clientTracking: false,
      perMessageDeflate: false,
    });
    // A handshake ws finds malformed gets the problem document every other refusal gets.
    this.wss.on('wsClientError', (error: Error, socket: Duplex, request: IncomingMessage) =>
      refuseUpgrade(socket, handshakeRefusal(error.message), requestIdFrom(request)),
    );
    this.server = this.adapterHost.httpAdapter.getHttpServer() as Server;
    this.server.on('upgrade', this.onUpgrade);
    this.stats.registerCounter('websocket_connections', () => this.connections.size);
    this.metrics.bind(() => this.connections.size);
    const tick = Math.max(50, Math.min(ws.heartbeatMs, ws.pingTimeoutMs) / 4);
    this.heartbeatTimer = setInterval(() => this.heartbeat(), tick);
    this.heartbeatTimer.unref();
    // A revoked key ends its sessions: at once on this pod, within the key cache TTL elsewhere.
    this.stopRevocations = authenticator.onRevoked((keyId) =>
      this.endSessions((id) => id === keyId),
    );
    this.keyCheckTimer = setInterval(() => void this.checkKeys(), KEY_CACHE_TTL_MS);
    this.keyCheckTimer.unref();
  }

  /** Runs when the app closes (after readiness went 503 on SIGTERM): every socket gets 1001. */
  async onModuleDestroy(): Promise<void> {
    this.shuttingDown = true;
    this.server?.off('upgrade', this.onUpgrade);
    clearInterval(this.heartbeatTimer);
    clearInterval(this.keyCheckTimer);
    this.stopRevocations?.();
    clearInterval(this.drainTimer);
    if (this.connections.size > 0) {
      const closed = new Promise<void>((resolve) => (this.allClosed = resolve));
      for (const connection of [...this.connections]) {
        connection.close(CLOSE_GOING_AWAY, 'server shutting down');
      }
      const timer = setTimeout(() => this.allClosed?.(), SHUTDOWN_WAIT_MS);
      await closed;
      clearTimeout(timer);
      for (const connection of [...this.connections]) connection.terminate();
    }
    this.fanout?.close();
    this.wss?.close();
  }

  private createContext(fanout: DebateFanout, log: EventLog): ConnectionContext {
    const ws = this.config.websocket;
    const limits: ConnectionLimits = {
      maxMessageBytes: ws.maxMessageBytes,
      messagesPerSecond: MESSAGES_PER_SECOND,
      messageBurst: MESSAGE_BURST,
      maxSubscriptions: MAX_SUBSCRIPTIONS,
      eventQueueSize: ws.userEventQueueSize,
      heartbeatMs: ws.heartbeatMs,
      rateLimitStrikes: RATE_LIMIT_STRIKES,
      replayPageSize: REPLAY_PAGE_SIZE,
      closeGraceMs: CLOSE_GRACE_MS,
      outbound: {
        highWaterBytes: HIGH_WATER_BYTES,
        maxFrames: ws.userEventQueueSize,
        maxBytes: MAX_QUEUED_BYTES,
        maxStallMs: MAX_STALL_MS,
      },
    };
    const metrics = this.metrics;
    return {
      fanout,
      log,
      logger: this.log,
      limits,
      cork: new CorkBatch(),
      written: (eventTs, now) => metrics.written(eventTs, now),
      slowConsumer: (connection) => {
        metrics.slowConsumerDropped();
        this.log.warn(
          { connection: connection.id, tenantId: connection.tenantId },
          'WebSocket consumer too slow: closed with 1013',
        );
      },
      congested: (connection) => {
        this.congested.add(connection);
        if (this.drainTimer === undefined) {
          this.drainTimer = setInterval(() => this.drainCongested(), DRAIN_INTERVAL_MS);
          this.drainTimer.unref();
        }
      },
      closed: (connection) => {
        this.connections.delete(connection);
        this.congested.delete(connection);
        if (this.connections.size === 0) this.allClosed?.();
      },
    };
  }

  private readonly onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const requestId = requestIdFrom(request);
    const refuse = (refusal: Refusal): void => refuseUpgrade(socket, refusal, requestId);
    if (url.pathname !== WS_PATH) {
      // Another upgrade handler may own that path; if none does, say so instead of hanging.
      if (this.server?.listenerCount('upgrade') === 1) {
        refuse({ status: 404, code: 'not_found', detail: 'WebSocket is at /ws' });
      }
      return;
    }
    socket.on('error', ignoreSocketError);
    const early = this.capacityRefusal();
    if (early) {
      refuse(early);
      return;
    }
    this.pendingUpgrades += 1;
    void this.authenticate(request, url)
      .then((outcome) => {
        this.pendingUpgrades -= 1;
        if ('refusal' in outcome) {
          refuse(outcome.refusal);
          return;
        }
        const late = this.capacityRefusal();
        if (late) {
          refuse(late);
          return;
        }
        if (socket.destroyed || !this.wss) return;
        this.wss.handleUpgrade(request, socket, head, (client) => {
          socket.off('error', ignoreSocketError);
          this.accept(client, outcome.tenantId, outcome.keyId);
        });
      })
      .catch((error: unknown) => {
        this.pendingUpgrades -= 1;
        this.log.error({ err: error, request_id: requestId }, 'WebSocket upgrade failed');
        refuse({
          status: 503,
          code: 'service_unavailable',
          detail: 'Could not authenticate',
        });
      });
  };

  /** Draining (SIGTERM) or full: refused before any work, with a hint to come back. */
  private capacityRefusal(): Refusal | undefined {
    if (this.shuttingDown || this.readiness.phase === 'draining') {
      this.metrics.refused('draining');
      return {
        status: 503,
        code: 'service_unavailable',
        detail: 'This node is shutting down; connect again (another node will answer)',
        headers: { 'Retry-After': '1' },
      };
    }
    const max = this.config.websocket.maxConnections;
    if (this.connections.size + this.pendingUpgrades >= max) {
      this.metrics.refused('capacity');
      return {
        status: 503,
        code: 'too_many_connections',
        detail: `This node holds its maximum of ${max} WebSocket connections; try again later`,
        headers: { 'Retry-After': '5' },
      };
    }
    return undefined;
  }

  /** The same keys, tenants and anonymous rule as REST (AuthGuard). */
  private async authenticate(request: IncomingMessage, url: URL): Promise<Outcome> {
    const token = upgradeToken(request, url);
    if (token === undefined) {
      if (this.config.auth.allowAnonymous) return { tenantId: PUBLIC_TENANT_ID, keyId: null };
      this.metrics.refused('unauthorized');
      return { refusal: unauthorized('An API key is required') };
    }
    const key = await this.authenticator?.resolve(token);
    if (key) return { tenantId: key.tenantId, keyId: key.id };
    // Behind trusted proxies the peer is the proxy: failures are not counted per client then.
    const peer = request.socket.remoteAddress;
    if (peer && this.config.rateLimit.trustedProxies.length === 0) {
      try {
        await this.failures.recordFailure(peer);
      } catch (error) {
        if (!(error instanceof TooManyRequestsError)) throw error;
        this.metrics.refused('rate_limited');
        return {
          refusal: {
            status: 429,
            code: 'rate_limited',
            detail: error.message,
            headers: { 'Retry-After': String(error.retryAfterSeconds ?? 60) },
          },
        };
      }
    }
    this.metrics.refused('unauthorized');
    return { refusal: unauthorized('The API key is invalid or revoked') };
  }

  private accept(client: WebSocket, tenantId: string, keyId: string | null): void {
    if (!this.context) {
      client.terminate();
      return;
    }
    const connection = new GatewayConnection(
      randomUUID(),
      tenantId,
      keyId,
      client,
      this.context,
      Date.now(),
    );
    this.connections.add(connection);
  }

  private heartbeat(): void {
    const now = Date.now();
    const { heartbeatMs, pingTimeoutMs } = this.config.websocket;
    for (const connection of this.connections) {
      connection.heartbeat(now, heartbeatMs, pingTimeoutMs);
    }
  }

  /** Ends the sessions of keys revoked on other pods (one query for every key with a socket here). */
  private async checkKeys(): Promise<void> {
    const keyIds = new Set<string>();
    for (const connection of this.connections) {
      if (connection.keyId !== null) keyIds.add(connection.keyId);
    }
    if (keyIds.size === 0 || !this.authenticator) return;
    try {
      const active = await this.authenticator.stillActive([...keyIds]);
      this.endSessions((keyId) => !active.has(keyId));
    } catch (error) {
      this.log.warn({ err: error }, 'could not check the keys of open WebSockets; retrying');
    }
  }

  private endSessions(revoked: (keyId: string) => boolean): void {
    for (const connection of this.connections) {
      if (connection.keyId !== null && revoked(connection.keyId)) {
        connection.close(CLOSE_POLICY_VIOLATION, 'API key revoked');
      }
    }
  }

  private drainCongested(): void {
    const now = Date.now();
    for (const connection of this.congested) {
      if (!connection.drain(now)) this.congested.delete(connection);
    }
    if (this.congested.size === 0) {
      clearInterval(this.drainTimer);
      this.drainTimer = undefined;
    }
  }
}

function unauthorized(detail: string): Refusal {
  return {
    status: 401,
    code: 'unauthorized',
    detail,
    headers: { 'WWW-Authenticate': 'Bearer realm="aragora"' },
  };
}

function ignoreSocketError(): void {
  // A client gone during authentication: nothing to answer.
}
