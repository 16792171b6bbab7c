/** How the profile stores read a command's failure: its message without the command's name, the field it names, a conflict. */
import type { CommandError } from '../../../src-main/shared/result';
import type { NetError } from '../../../src-main/shared/errors';

export function errorText(error: CommandError | NetError): string {
  return error.message.replace(/^profiles:[a-z-]+: /, '');
}

export function errorPath(error: CommandError | NetError): string | undefined {
  return 'path' in error && typeof error.path === 'string' ? error.path : undefined;
}

/** The profile changed elsewhere since the revision the edit is based on. */
export function isConflict(error: CommandError | NetError): boolean {
  return error.code === 'CONFLICT';
}
