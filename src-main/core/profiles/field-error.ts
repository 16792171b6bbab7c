/** A problem with one field of a profile, found while building it; the caller says where the profile was. */
import type { PathSegment } from './zod-problems';

export class FieldError extends Error {
  constructor(
    readonly at: PathSegment[],
    message: string,
  ) {
    super(message);
    this.name = 'FieldError';
  }
}
