/**
 * An intercepted frame's mark (edited with its original, dropped, injected) in the log files and
 * back: NDJSON's `intercept` and HAR's `_intercept` (shared/intercept-control.ts's loggedMark).
 */
import type { FrameMark, LoggedMark } from '../../shared/intercept-control';
import type { Opcode } from '../../shared/model';
import type { RelayMark } from '../session/relay-mark';
import type { StoredFrame } from '../session/frame-store';

/** The mark of a stored frame as a log file writes it, or undefined for a frame without one. */
export function loggedMark(frame: StoredFrame): LoggedMark | undefined {
  if (!frame.mark) return undefined;
  const original = frame.original;
  const { action, reason } = frame.mark;
  const base: LoggedMark = reason === undefined ? { action } : { action, reason };
  if (original === undefined) return base;
  return { ...base, original: frame.opcode === 'text' ? { text: original.toString('utf8') } : { base64: original.toString('base64') } };
}

/** A mark read from a log file, for FrameStore.mark. */
export function markFromLog(logged: LoggedMark, opcode: Opcode): RelayMark {
  const text = logged.original?.text;
  const base64 = logged.original?.base64;
  const original = text !== undefined && opcode === 'text' ? Buffer.from(text, 'utf8') : base64 !== undefined ? Buffer.from(base64, 'base64') : undefined;
  const mark: FrameMark = logged.reason === undefined ? { action: logged.action } : { action: logged.action, reason: logged.reason };
  return original === undefined ? { mark } : { mark: { ...mark, originalSize: original.length }, original };
}
