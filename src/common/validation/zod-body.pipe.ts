import { Injectable, type PipeTransform } from '@nestjs/common';
import type { z } from 'zod';
import { RequestValidationError, type FieldViolation } from '../errors';
import { jsonValueError, jsonValueViolation } from './json-value-check';

/** Validates a request part against a zod schema; failures name each field and rule (422). */
@Injectable()
export class ZodPipe<T extends z.ZodType> implements PipeTransform<unknown, z.infer<T>> {
  constructor(
    private readonly schema: T,
    private readonly part: 'body' | 'query' | 'params' = 'body',
  ) {}

  transform(value: unknown): z.infer<T> {
    // Bodies were checked by the JSON parser; a query or path value is checked here.
    if (this.part !== 'body') {
      const violation = jsonValueViolation(value);
      if (violation) throw jsonValueError(violation);
    }
    const result = this.schema.safeParse(value ?? {});
    if (result.success) return result.data;
    const violations: FieldViolation[] = result.error.issues.map((issue) => ({
      field: issue.path.length > 0 ? issue.path.join('.') : this.part,
      rule: issue.code,
      message: issue.message,
    }));
    throw new RequestValidationError(violations);
  }
}
