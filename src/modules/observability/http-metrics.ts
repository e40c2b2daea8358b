import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createCounter, createHistogram } from './metric-registry';

const UNMATCHED_ROUTE = 'unmatched';
const startTimes = new WeakMap<FastifyRequest, bigint>();

/** Latency buckets (seconds) around the 500 ms p99 objective. */
export const REQUEST_BUCKETS = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];

/**
 * Request count and latency per route template, method and status, recorded in Fastify hooks
 * (cheaper than a Nest interceptor and also sees 404s, 413s and parser errors).
 */
export function installHttpMetrics(fastify: FastifyInstance): void {
  const duration = createHistogram({
    name: 'aragora_request_duration_seconds',
    help: 'HTTP request latency by route template, method and status',
    labelNames: ['route', 'method', 'status'] as const,
    buckets: REQUEST_BUCKETS,
  });
  const total = createCounter({
    name: 'aragora_request_total',
    help: 'HTTP requests by route template, method and status',
    labelNames: ['route', 'method', 'status'] as const,
  });

  fastify.addHook(
    'onRequest',
    (request: FastifyRequest, _reply: FastifyReply, done: () => void) => {
      startTimes.set(request, process.hrtime.bigint());
      done();
    },
  );
  fastify.addHook(
    'onResponse',
    (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
      const started = startTimes.get(request);
      const labels = {
        route: request.routeOptions.url ?? UNMATCHED_ROUTE,
        method: request.method,
        status: String(reply.statusCode),
      };
      total.inc(labels);
      if (started !== undefined)
        duration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
      done();
    },
  );
}
