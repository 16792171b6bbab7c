/**
 * A log read from a file, ready to become a read-only session: its frames already in a
 * FrameStore, and whatever the file told about the connection.
 */
import type { ImportedSessionInit } from '../session/imported-session';
import type { LoggedDecode } from '../../shared/log-decode';
import type { ImportProblem } from './import-problems';

/** What a read-only session is made from (its id and name are given when it is opened). */
export interface ImportedLog extends Omit<ImportedSessionInit, 'id' | 'name'> {
  /** What differs from the file (renumbered seqs, skipped entries, dropped frames …). */
  notes: string[];
  /** Lines or messages that could not be read and were left out (the notes say them too). */
  leftOut: ImportProblem[];
  /** The Decode choice the file recorded (logged-decode.ts): the import's tab starts with it. */
  decode?: LoggedDecode;
}

/** Placeholder URL for a log that does not say where it came from (it must still parse as a URL). */
export const UNKNOWN_URL = 'ws://unknown.invalid/';

/** Imports yield to the event loop this often (lines or messages). */
export const IMPORT_YIELD_EVERY = 20_000;

export function yieldToLoop(): Promise<void> {
  return new Promise<void>((resolve) => setImmediate(resolve));
}
