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
 * The HTTP server under Fastify, with one gate in front of its router: a place to answer what
 * must be answered more cheaply than routing, hooks and a reply object allow (a flood's refusals,
 * RefusalEdge). The gate is installed once the application exists; until then, and whenever it
 * returns false, every request goes to Fastify untouched. `serverFactory` is Fastify's option for
 * supplying its server, and sets up that server as Fastify would its own.
 */
export class FrontDoor {
  private gate: Gate | undefined;

  readonly serverFactory = (
    handler: Handler,
    options: FastifyServerOptions & { http?: ServerOptions | null },
  ): Server => {
    const server = createServer(options.http ?? {}, (request, response) => {
      if (this.gate?.(request, response) !== true) handler(request, response);
    });
    if (options.keepAliveTimeout !== undefined) server.keepAliveTimeout = options.keepAliveTimeout;
    if (options.requestTimeout !== undefined) server.requestTimeout = options.requestTimeout;
    if (options.connectionTimeout !== undefined) server.setTimeout(options.connectionTimeout);
    if (options.maxRequestsPerSocket) server.maxRequestsPerSocket = options.maxRequestsPerSocket;
    return server;
  };

  setGate(gate: Gate): void {
    this.gate = gate;
  }
}
