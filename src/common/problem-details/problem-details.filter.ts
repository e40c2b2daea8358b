import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { DomainError } from '../errors';
import type { Logger } from '../logging/logger';
import { InjectLogger } from '../logging/logger.module';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PROBLEM_CONTENT_TYPE } from './problem';
import { toProblem } from './to-problem';

/** The one place errors become HTTP responses: RFC 9457 problem details, no stack traces. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  constructor(@InjectLogger() private readonly log: Logger) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const path = request.url.split('?', 1)[0] ?? request.url;
    const { problem, retryAfterSeconds, headers, unexpected } = toProblem(error, path);
    problem.request_id = request.id;
    if (unexpected) this.log.error({ err: error, request_id: request.id }, 'unhandled error');
    else if (error instanceof DomainError && error.cause !== undefined) {
      this.log.warn({ err: error.cause, request_id: request.id }, error.message);
    }
    if (reply.sent) return;
    if (headers) void reply.headers(headers);
    if (retryAfterSeconds !== undefined)
      reply.header('retry-after', String(Math.ceil(retryAfterSeconds)));
    void reply.status(problem.status).header('content-type', PROBLEM_CONTENT_TYPE).send(problem);
  }
}
