/**
 * The check of a FrameSummary that crossed a boundary, written out by hand: it accepts exactly
 * what `frameSummarySchema` accepts (a test holds the two together on valid frames and on every
 * kind of broken one). A `frames` event carries up to 500 summaries, a hundred times a second in
 * a flood; zod, which may not compile its checks in the renderer (the page's
 * Content-Security-Policy forbids `eval`), spends about a millisecond per batch on them, this
 * check a few dozen microseconds. Unknown extra fields are left in place (zod would drop them).
 */
import { OPCODES, type FrameSummary } from './model';

const OPCODE_NAMES: ReadonlySet<unknown> = new Set(OPCODES);

function isInt(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value);
}

/** What is wrong with a frame summary, as `field: problem`, or undefined when it is a valid one. */
export function frameSummaryProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not an object';
  const frame = value as Record<string, unknown>;
  if (!isInt(frame['seq']) || frame['seq'] < 1) return 'seq: not a whole number from 1';
  if (frame['dir'] !== 'in' && frame['dir'] !== 'out') return 'dir: neither "in" nor "out"';
  if (!OPCODE_NAMES.has(frame['opcode'])) return `opcode: not one of ${OPCODES.join(', ')}`;
  if (typeof frame['at'] !== 'number' || !Number.isFinite(frame['at'])) return 'at: not a finite number';
  if (!isInt(frame['size']) || frame['size'] < 0) return 'size: not a whole number from 0';
  if (typeof frame['preview'] !== 'string') return 'preview: not a string';
  if (typeof frame['truncated'] !== 'boolean') return 'truncated: not a boolean';
  if (frame['closeCode'] !== undefined && !isInt(frame['closeCode'])) return 'closeCode: not a whole number';
  if (frame['closeReason'] !== undefined && typeof frame['closeReason'] !== 'string') return 'closeReason: not a string';
  if (frame['intercept'] !== undefined) return frameMarkProblem(frame['intercept']);
  return undefined;
}

/** The intercept mark (intercept-control.ts's frameMarkSchema): rare, so checked only when present. */
function frameMarkProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'intercept: not an object';
  const mark = value as Record<string, unknown>;
  if (mark['action'] !== 'edited' && mark['action'] !== 'dropped' && mark['action'] !== 'injected' && mark['action'] !== 'resent') return 'intercept.action: not edited, dropped, injected or resent';
  if (mark['originalSize'] !== undefined && (!isInt(mark['originalSize']) || mark['originalSize'] < 0)) return 'intercept.originalSize: not a whole number from 0';
  if (mark['reason'] !== undefined && mark['reason'] !== 'connection-ended') return 'intercept.reason: not connection-ended';
  return undefined;
}

export function isFrameSummary(value: unknown): value is FrameSummary {
  return frameSummaryProblem(value) === undefined;
}
