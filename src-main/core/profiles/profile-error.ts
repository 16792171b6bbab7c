/** A profile command's failure, thrown inside the profiles code and turned into a Result by the service. */
import type { CommandErrorCode } from '../../shared/result';

export type ProfileErrorCode = Extract<CommandErrorCode, 'INVALID_ARGUMENT' | 'CONFLICT' | 'UNKNOWN_PROFILE' | 'NOT_FOUND' | 'FORBIDDEN' | 'STORAGE_ERROR'>;

export class ProfileError extends Error {
  constructor(
    readonly code: ProfileErrorCode,
    message: string,
    /** Where in the command's argument (`profile.proxy.url`), when it is about one field. */
    readonly path?: string,
  ) {
    super(message);
    this.name = 'ProfileError';
  }
}
