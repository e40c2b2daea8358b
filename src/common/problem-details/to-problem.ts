import { HttpException } from '@nestjs/common';
import { DomainError } from '../errors';
import { MAX_PATH_PARAM_LENGTH } from '../http/url-path';
import { problemType, statusTitle, type ProblemDocument } from './problem';

export interface MappedProblem {
  readonly problem: ProblemDocument;
  readonly retryAfterSeconds?: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** True when the cause is ours (5xx from an unexpected error): log it with its stack. */
  readonly unexpected: boolean;
}

interface FastifyLikeError {
  statusCode?: number;
  code?: string;
  message: string;
}

/** Fastify's own errors by code: our problem code, and a title and detail where its own read poorly. */
const FASTIFY_CODES: Record<string, { code: string; title?: string; detail?: string }> = {
  FST_ERR_BAD_URL: {
    code: 'malformed_url',
    title: 'Malformed URL',
    detail: 'The path is not valid percent-encoding',
  },
  FST_ERR_MAX_PARAM_LENGTH: {
    code: 'uri_too_long',
    detail: `A path segment is longer than ${MAX_PATH_PARAM_LENGTH} characters`,
  },
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'payload_too_large' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { code: 'unsupported_media_type' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: 'malformed_body', title: 'Malformed request body' },
  FST_ERR_CTP_INVALID_JSON_BODY: { code: 'malformed_body', title: 'Malformed request body' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { code: 'malformed_body', title: 'Malformed request body' },
};

function isClientError(status: unknown): status is number {
  return typeof status === 'number' && status >= 400 && status < 500;
}

/** Maps anything thrown while serving a request to a problem document; never leaks internals. */
export function toProblem(error: unknown, instance: string): MappedProblem {
  if (error instanceof DomainError) {
    return {
      problem: {
        ...error.extensions,
        type: problemType(error.code),
        title: error.title,
        status: error.status,
        detail: error.message,
        instance,
        code: error.code,
      },
      retryAfterSeconds: error.retryAfterSeconds,
      headers: error.headers,
      unexpected: false,
    };
  }
  // Fastify's own 4xx errors (body too large, malformed JSON) arrive wrapped by Nest.
  if (error instanceof HttpException && isFastifyError(error.cause)) {
    return fromFastifyError(error.cause, instance);
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const code = status === 404 ? 'not_found' : undefined;
    return {
      problem: {
        type: problemType(code),
        title: statusTitle(status),
        status,
        detail: status === 404 ? `No resource at ${instance}` : error.message,
        instance,
        ...(code ? { code } : {}),
      },
      unexpected: status >= 500,
    };
  }
  if (isFastifyError(error)) return fromFastifyError(error, instance);
  return {
    problem: {
      type: problemType('internal_error'),
      title: statusTitle(500),
      status: 500,
      detail: 'An unexpected error occurred. Quote the request id when reporting it.',
      instance,
      code: 'internal_error',
    },
    unexpected: true,
  };
}

function isFastifyError(error: unknown): error is FastifyLikeError & { statusCode: number } {
  const candidate = error as FastifyLikeError | undefined;
  return typeof candidate?.message === 'string' && isClientError(candidate.statusCode);
}

function fromFastifyError(
  error: FastifyLikeError & { statusCode: number },
  instance: string,
): MappedProblem {
  const status = error.statusCode;
  const known = error.code ? FASTIFY_CODES[error.code] : undefined;
  // JSON syntax errors surface from the body parser as 400 SyntaxErrors.
  const code = known?.code ?? (error instanceof SyntaxError ? 'malformed_body' : undefined);
  return {
    problem: {
      type: problemType(code),
      title:
        known?.title ??
        (code === 'malformed_body' ? 'Malformed request body' : statusTitle(status)),
      status,
      detail: known?.detail ?? error.message,
      instance,
      ...(code ? { code } : {}),
    },
    unexpected: false,
  };
}
