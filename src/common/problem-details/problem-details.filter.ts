import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { DomainError } from '../errors';
import type { Logger } from '../logging/logger';
import { InjectLogger } from '../logging/logger.module';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { pathOf } from '../http/url-path';
import { PROBLEM_CONTENT_TYPE, type ProblemDocument } from './problem';
import { toProblem } from './to-problem';

/** A problem response ready to write: status, headers (all of them) and the document. */
export interface ProblemAnswer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly problem: ProblemDocument;
}

/**
 * Maps `error` to its RFC 9457 answer for the request at `path` (no stack traces), logging what is
 * ours: the exception filter's work, shared by the plain Fastify routes and the front door.
 */
export function problemAnswer(
  log: Logger,
  error: unknown,
  path: string,
  requestId: string,
): ProblemAnswer {
  const { problem, retryAfterSeconds, headers, unexpected } = toProblem(error, path);
  problem.request_id = requestId;
  if (unexpected) log.error({ err: error, request_id: requestId }, 'unhandled error');
  else if (error instanceof DomainError && error.cause !== undefined) {
    log.warn({ err: error.cause, request_id: requestId }, error.message);
  }
  const all: Record<string, string> = { ...headers };
  if (retryAfterSeconds !== undefined) all['retry-after'] = String(Math.ceil(retryAfterSeconds));
  all['content-type'] = PROBLEM_CONTENT_TYPE;
  return { status: problem.status, headers: all, problem };
}

/** Answers `error` on `reply` as a problem document (see problemAnswer). */
export function sendProblem(
  log: Logger,
  request: FastifyRequest,
  reply: FastifyReply,
  error: unknown,
): void {
  const answer = problemAnswer(log, error, pathOf(request.url), request.id);
  if (reply.sent) return;
  void reply.status(answer.status).headers(answer.headers).send(answer.problem);
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
