import { BadRequestException, HttpException, NotFoundException } from '@nestjs/common';
import { RequestValidationError, ServiceUnavailableError } from '../errors';
import { toProblem } from './to-problem';

const fastifyError = (statusCode: number, code: string, message: string) =>
  Object.assign(new Error(message), { statusCode, code });

describe('toProblem', () => {
  it('names each invalid field and its rule', () => {
    const error = new RequestValidationError([
      { field: 'rounds', rule: 'too_big', message: 'must be at most 12' },
      { field: 'agents.1', rule: 'invalid_type', message: 'expected string' },
    ]);
    const { problem, unexpected } = toProblem(error, '/api/v1/debates');
    expect(unexpected).toBe(false);
    expect(problem).toEqual({
      type: 'urn:aragora:problem:validation_failed',
      title: 'Request validation failed',
      status: 422,
      code: 'validation_failed',
      detail: 'rounds: must be at most 12; agents.1: expected string',
      instance: '/api/v1/debates',
      errors: [
        { field: 'rounds', rule: 'too_big', message: 'must be at most 12' },
        { field: 'agents.1', rule: 'invalid_type', message: 'expected string' },
      ],
    });
  });

  it('carries Retry-After for shed load', () => {
    const mapped = toProblem(
      new ServiceUnavailableError('queue full', { retryAfterSeconds: 7 }),
      '/x',
    );
    expect(mapped.retryAfterSeconds).toBe(7);
    expect(mapped.problem.status).toBe(503);
  });

  it.each([
    [413, 'FST_ERR_CTP_BODY_TOO_LARGE', 'payload_too_large', 'Payload Too Large'],
    [415, 'FST_ERR_CTP_INVALID_MEDIA_TYPE', 'unsupported_media_type', 'Unsupported Media Type'],
    [400, 'FST_ERR_CTP_INVALID_JSON_BODY', 'malformed_body', 'Malformed request body'],
  ])('maps Fastify %i %s, bare or wrapped by Nest', (status, fastifyCode, code, title) => {
    const raw = fastifyError(status, fastifyCode, 'details');
    const wrapped = new HttpException('details', status, { cause: raw });
    for (const error of [raw, wrapped]) {
      expect(toProblem(error, '/p').problem).toMatchObject({
        status,
        code,
        title,
        detail: 'details',
      });
    }
  });

  it('maps Nest HTTP exceptions', () => {
    expect(toProblem(new NotFoundException(), '/a/b').problem).toMatchObject({
      status: 404,
      code: 'not_found',
      detail: 'No resource at /a/b',
    });
    expect(toProblem(new BadRequestException('bad thing'), '/a').problem).toMatchObject({
      status: 400,
      title: 'Bad Request',
      detail: 'bad thing',
    });
  });

  it('hides the details of unexpected errors', () => {
    const { problem, unexpected } = toProblem(new TypeError('secret internals at db.ts:12'), '/x');
    expect(unexpected).toBe(true);
    expect(problem).toMatchObject({ status: 500, code: 'internal_error' });
    expect(JSON.stringify(problem)).not.toContain('secret internals');
  });

  it('treats a 5xx-looking object as unexpected, not as a client error', () => {
    expect(toProblem(fastifyError(503, 'FST_ERR_X', 'boom'), '/x').problem.status).toBe(500);
  });
});
