/**
 * NetFailure carries a NetError through the engine's own call stack (thrown inside the
 * engine, caught where a session fails, and only ever handed out as a plain NetError value).
 */
import type { ErrorAction, ErrorCode, ErrorStage, NetError, NetErrorDetails } from '../../shared/errors';
import type { Hint, HintPart } from '../../shared/hint-parts';
import { renderHintParts } from '../../shared/hint-text';
import { ERROR_CATALOG } from './catalog';

export interface NetErrorOverrides {
  message?: string;
  /** Plain text, or parts for each host to word (shared/hint-parts.ts). */
  hint?: Hint;
  actions?: ErrorAction[];
}

/**
 * The hint's parts, the deadline that fired last (so every host can say where to raise it).
 * Undefined when it is plain text with no deadline: nothing for a host to word.
 */
function hintPartsOf(hint: Hint, details: NetErrorDetails): HintPart[] | undefined {
  const parts: HintPart[] = typeof hint === 'string' ? [{ kind: 'text', text: hint }] : [...hint];
  if (details.deadline !== undefined && details.timeoutMs !== undefined) {
    parts.push({ kind: 'deadline', deadline: details.deadline, ms: details.timeoutMs });
  }
  return parts.length === 1 && parts[0]?.kind === 'text' ? undefined : parts;
}

/** Builds a NetError from a code, with the catalog's message and hint unless overridden. */
export function createNetError(
  stage: ErrorStage,
  code: ErrorCode,
  details: NetErrorDetails = {},
  overrides: NetErrorOverrides = {},
): NetError {
  const entry = ERROR_CATALOG[code];
  const actions = overrides.actions ?? entry.actions;
  const hint = overrides.hint ?? entry.hint;
  const hintParts = hintPartsOf(hint, details);
  return {
    kind: 'net',
    stage,
    code,
    message: overrides.message ?? entry.message,
    // Plain text stays as written; parts are worded for no host in particular.
    hint: hintParts ? renderHintParts(hintParts, {}) : typeof hint === 'string' ? hint : renderHintParts(hint, {}),
    ...(hintParts ? { hintParts } : {}),
    ...(actions && actions.length > 0 ? { actions } : {}),
    details,
  };
}

export class NetFailure extends Error {
  readonly netError: NetError;

  constructor(netError: NetError) {
    super(netError.message);
    this.name = 'NetFailure';
    this.netError = netError;
  }

  static of(stage: ErrorStage, code: ErrorCode, details?: NetErrorDetails, overrides?: NetErrorOverrides): NetFailure {
    return new NetFailure(createNetError(stage, code, details, overrides));
  }
}

/** The `code` property Node puts on system errors (`ECONNREFUSED`), if any. */
export function systemErrorCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
