import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { DomainError } from '../errors';
import type { Logger } from '../logging/logger';
import { InjectLogger } from '../logging/logger.module';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PROBLEM_CONTENT_TYPE } from './problem';
import { toProblem } from './to-problem';

/**
 * Answers `error` as an RFC 9457 problem document (no stack traces), logging what is ours. The
 * exception filter's work, also called by the plain Fastify routes that skip Nest's router.
 */
export function sendProblem(
  log: Logger,
  request: FastifyRequest,
  reply: FastifyReply,
  error: unknown,
): void {
  const path = request.url.split('?', 1)[0] ?? request.url;
  const { problem, retryAfterSeconds, headers, unexpected } = toProblem(error, path);
  problem.request_id = request.id;
  if (unexpected) log.error({ err: error, request_id: request.id }, 'unhandled error');
  else if (error instanceof DomainError && error.cause !== undefined) {
    log.warn({ err: error.cause, request_id: request.id }, error.message);
  }
  if (reply.sent) return;
  if (headers) void reply.headers(headers);
  if (retryAfterSeconds !== undefined)
    reply.header('retry-after', String(Math.ceil(retryAfterSeconds)));
  void reply.status(problem.status).header('content-type', PROBLEM_CONTENT_TYPE).send(problem);
}

/** The one place errors of Nest routes become HTTP responses (see sendProblem). */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  constructor(@InjectLogger() private readonly log: Logger) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    sendProblem(
      this.log,
      http.getRequest<FastifyRequest>(),
      http.getResponse<FastifyReply>(),
      error,
    );
  }
}
