/** What a problem document carries besides its type, title, status and detail. */
export interface ProblemOptions {
  /** Seconds, sent as Retry-After. */
  readonly retryAfterSeconds?: number;
  /** Extra response headers (e.g. WWW-Authenticate, rate-limit state). */
  readonly headers?: Record<string, string>;
  /** Extra members of the problem document (RFC 9457 extensions). */
  readonly extensions?: Record<string, unknown>;
  /** The underlying failure: logged by the filter, never sent to the client. */
  readonly cause?: unknown;
}

/** Base of every typed error a service or lib may throw; one filter maps it to problem details. */
export abstract class DomainError extends Error {
  /** Stable machine-readable code, e.g. `validation_failed`. */
  abstract readonly code: string;
  abstract readonly status: number;
  abstract readonly title: string;
  readonly retryAfterSeconds: number | undefined;
  readonly headers: Record<string, string>;
  readonly extensions: Record<string, unknown>;

  constructor(message: string, options: ProblemOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.headers = options.headers ?? {};
    this.extensions = options.extensions ?? {};
  }
}

export interface FieldViolation {
  /** Dotted path of the offending field, e.g. `agents.2` or `body`. */
  readonly field: string;
  /** The rule that failed, e.g. `too_small`, `invalid_type`, `required`. */
  readonly rule: string;
  readonly message: string;
}

export class RequestValidationError extends DomainError {
  readonly code = 'validation_failed';
  readonly status = 422;
  readonly title = 'Request validation failed';

  constructor(readonly errors: readonly FieldViolation[]) {
    super(errors.map((e) => `${e.field}: ${e.message}`).join('; '), { extensions: { errors } });
  }
}

export class NotFoundError extends DomainError {
  readonly code = 'not_found';
  readonly status = 404;
  readonly title = 'Not Found';
}

export class ServiceUnavailableError extends DomainError {
  readonly code = 'service_unavailable';
  readonly status = 503;
  readonly title = 'Service Unavailable';
}

export class ConflictError extends DomainError {
  readonly code = 'conflict';
  readonly status = 409;
  readonly title = 'Conflict';
}

export class UnauthorizedError extends DomainError {
  readonly code = 'unauthorized';
  readonly status = 401;
  readonly title = 'Unauthorized';

  constructor(message: string) {
    super(message, { headers: { 'www-authenticate': 'Bearer realm="aragora"' } });
  }
}

export class ForbiddenError extends DomainError {
  readonly code = 'forbidden';
  readonly status = 403;
  readonly title = 'Forbidden';
}

export class TooManyRequestsError extends DomainError {
  readonly code = 'rate_limited';
  readonly status = 429;
  readonly title = 'Too Many Requests';

  constructor(message: string, options: ProblemOptions & { readonly retryAfterSeconds: number }) {
    super(message, options);
  }
}

/**
 * Builds an error without capturing a stack trace: for refusals on hot paths (a flood of 429s),
 * where the stack says nothing and costs more than the rest of the refusal.
 */
export function withoutStack<T extends Error>(build: () => T): T {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return build();
  } finally {
    Error.stackTraceLimit = limit;
  }
}
