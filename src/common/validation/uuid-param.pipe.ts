import { Injectable, type PipeTransform } from '@nestjs/common';
import { NotFoundError } from '../errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An id that cannot exist is simply not found (never a database error). */
@Injectable()
export class UuidParamPipe implements PipeTransform<string, string> {
  constructor(private readonly what: string) {}

  transform(value: string): string {
    if (!UUID.test(value)) throw new NotFoundError(`No ${this.what} ${value}`);
    return value.toLowerCase();
  }
}
