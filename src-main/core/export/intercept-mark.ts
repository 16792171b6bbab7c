/**
 * An intercepted frame's mark (edited with its original, dropped, injected) in the log files and
 * back: NDJSON's `intercept` and HAR's `_intercept` (shared/intercept-control.ts's loggedMark).
 */
import type { LoggedMark } from '../../shared/intercept-control';
import type { Opcode } from '../../shared/model';
import type { RelayMark } from '../session/relay-mark';
import type { StoredFrame } from '../session/frame-store';

/** The mark of a stored frame as a log file writes it, or undefined for a frame without one. */
export function loggedMark(frame: StoredFrame): LoggedMark | undefined {
  if (!frame.mark) return undefined;
  const original = frame.original;
  if (original === undefined) return { action: frame.mark.action };
  return { action: frame.mark.action, original: frame.opcode === 'text' ? { text: original.toString('utf8') } : { base64: original.toString('base64') } };
}

/** A mark read from a log file, for FrameStore.mark. */
export function markFromLog(logged: LoggedMark, opcode: Opcode): RelayMark {
  const text = logged.original?.text;
  const base64 = logged.original?.base64;
  const original = text !== undefined && opcode === 'text' ? Buffer.from(text, 'utf8') : base64 !== undefined ? Buffer.from(base64, 'base64') : undefined;
  return original === undefined ? { mark: { action: logged.action } } : { mark: { action: logged.action, originalSize: original.length }, original };
}
