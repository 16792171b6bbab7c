/**
 * Every command across a boundary (IPC, the web host's WebSocket, the CLI) answers with a
 * Result: errors are values, never thrown across the boundary.
 */
import type { NetError } from './errors';

/** An error that is not about the network: a bad argument, an unknown session, … */
export interface CommandError {
  code: CommandErrorCode;
  message: string;
  /** Where in the argument the problem was found (e.g. `options.url`), when known. */
  path?: string;
}

export type CommandErrorCode =
  | 'INVALID_ARGUMENT'
  | 'UNKNOWN_COMMAND'
  /** No such session; also an export whose session was closed or forgotten while it ran (the message says which). */
  | 'UNKNOWN_SESSION'
  | 'SESSION_NOT_OPEN'
  | 'NOT_FOUND'
  | 'FORBIDDEN'
  | 'INTERNAL'
  /**
   * A save based on an outdated copy of a profile (another window or process changed it): reload.
   * Also an export whose decoded filter's decode choice changed while it ran: export again.
   */
  | 'CONFLICT'
  | 'UNKNOWN_PROFILE'
  /** The profiles file or the secret store could not be read or written; the message says why. */
  | 'STORAGE_ERROR'
  /** A configured limit was reached (sessions per client or per engine …); the message names it and how to change it. */
  | 'LIMIT_REACHED';

export type Result<T> =
  | { ok: true; value: T }
  | { ok: false; error: CommandError | NetError };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail<T = never>(code: CommandErrorCode, message: string, path?: string): Result<T> {
  return { ok: false, error: path === undefined ? { code, message } : { code, message, path } };
}
