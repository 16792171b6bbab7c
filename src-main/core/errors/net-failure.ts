/**
 * NetFailure carries a NetError through the engine's own call stack (thrown inside the
 * engine, caught where a session fails, and only ever handed out as a plain NetError value).
 */
import type { ErrorAction, ErrorCode, ErrorStage, NetError, NetErrorDetails } from '../../shared/errors';
import { ERROR_CATALOG } from './catalog';

export interface NetErrorOverrides {
  message?: string;
  hint?: string;
  actions?: ErrorAction[];
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
  return {
    kind: 'net',
    stage,
    code,
    message: overrides.message ?? entry.message,
    hint: overrides.hint ?? entry.hint,
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
