import { Injectable, type PipeTransform } from '@nestjs/common';
import { NotFoundError } from '../errors';

/**
 * A path parameter outside the pattern every such name or id is made by cannot exist, so it is
 * simply not found — before any query (a NUL byte or a stray encoding never becomes a database
 * error).
 */
@Injectable()
export class PatternParamPipe implements PipeTransform<string, string> {
  constructor(
    private readonly pattern: RegExp,
    /** The 404's detail for a value that cannot exist. */
    private readonly notFound: (value: string) => string,
  ) {}

  transform(value: string): string {
    if (!this.pattern.test(value)) throw new NotFoundError(this.notFound(value));
    return value;
  }
}
