import {
  createServer,
  type IncomingMessage,
  type Server,
  type ServerOptions,
  type ServerResponse,
} from 'node:http';
import type { FastifyServerOptions } from 'fastify';

/** Answers a request before Fastify sees it and returns true, or returns false to pass it on. */
export type Gate = (request: IncomingMessage, response: ServerResponse) => boolean;

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

/**
 * The HTTP server under Fastify, with gates in front of its router: places to answer what must be
 * answered more cheaply than routing, hooks and a reply object allow (a flood's refusals,
 * RefusalEdge; `/api/v1/me` for an internal key, MeEdge; a healthy pod's `/api/v1/health`,
 * HealthEdge), each giving the answer Fastify would (ADR 0008). Gates are asked in the order they
 * were added; until one is added, whenever all return false, and once shut (`shut`, called as the
 * pod drains and as the server starts closing, when Fastify answers every request with its 503),
 * every request goes to Fastify untouched. `serverFactory` is Fastify's option for supplying its
 * server, and sets up that server as Fastify would its own.
 */
export class FrontDoor {
  private gates: readonly Gate[] = [];

  readonly serverFactory = (
    handler: Handler,
    options: FastifyServerOptions & { http?: ServerOptions | null },
  ): Server => {
    const server = createServer(options.http ?? {}, (request, response) => {
      const gates = this.gates;
      for (let i = 0; i < gates.length; i++) {
        if (gates[i]?.(request, response) === true) return;
      }
      handler(request, response);
    });
    if (options.keepAliveTimeout !== undefined) server.keepAliveTimeout = options.keepAliveTimeout;
    if (options.requestTimeout !== undefined) server.requestTimeout = options.requestTimeout;
    if (options.connectionTimeout !== undefined) server.setTimeout(options.connectionTimeout);
    if (options.maxRequestsPerSocket) server.maxRequestsPerSocket = options.maxRequestsPerSocket;
    return server;
  };

  addGate(gate: Gate): void {
    this.gates = [...this.gates, gate];
  }

  /** From now on every request goes to Fastify (called as the pod drains and as it closes). */
  shut(): void {
    this.gates = [];
  }
}
