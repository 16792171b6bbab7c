/** A profile command's failure, thrown inside the profiles code and turned into a Result by the service. */
import { fail, ok, type CommandErrorCode, type Result } from '../../shared/result';
import { SecretError } from '../secrets/secret-store';

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

/** Runs a profile or environment command: its ProfileError or SecretError becomes a failed Result. */
export async function profileResult<T>(run: () => Promise<T>): Promise<Result<T>> {
  try {
    return ok(await run());
  } catch (error) {
    if (error instanceof ProfileError) return fail(error.code, error.message, error.path);
    if (error instanceof SecretError) return fail('STORAGE_ERROR', `a secret could not be stored or read: ${error.message}`);
    throw error;
  }
}
