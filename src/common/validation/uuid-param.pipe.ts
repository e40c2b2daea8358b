import { Injectable } from '@nestjs/common';
import { PatternParamPipe } from './pattern-param.pipe';

/** A UUID in its canonical text form (any case): what every id column holds. */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An id that cannot exist is simply not found (never a database error); ids are lowercased. */
@Injectable()
export class UuidParamPipe extends PatternParamPipe {
  constructor(what: string) {
    super(UUID, (value) => `No ${what} ${value}`);
  }

  override transform(value: string): string {
    return super.transform(value).toLowerCase();
  }
}
