/**
 * A log read from a file, ready to become a read-only session: its frames already in a
 * FrameStore, and whatever the file told about the connection.
 */
import type { NetError } from '../../shared/errors';
import type { LogFormat } from '../../shared/log-file';
import type { HandshakeStep, ProxyDecision } from '../../shared/model';
import type { FrameStore } from '../session/frame-store';
import type { SessionEnding } from '../session/session-log';

export interface ImportedLog {
  format: LogFormat;
  url: string;
  /** When the original session started (the file's time, or its first frame's). */
  createdAt: number;
  frames: FrameStore;
  decision?: ProxyDecision;
  steps: HandshakeStep[];
  error?: NetError;
  closed?: SessionEnding;
  /** What differs from the file (renumbered seqs, skipped entries, dropped frames …). */
  notes: string[];
}

/** Placeholder URL for a log that does not say where it came from (it must still parse as a URL). */
export const UNKNOWN_URL = 'ws://unknown.invalid/';

/** Imports yield to the event loop this often (lines or messages). */
export const IMPORT_YIELD_EVERY = 20_000;

export function yieldToLoop(): Promise<void> {
  return new Promise<void>((resolve) => setImmediate(resolve));
}
