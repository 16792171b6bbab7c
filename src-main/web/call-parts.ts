/**
 * Joins the calls a page sends in parts (wire protocol in src-main/shared/bridge.ts): one per
 * page connection. The host refuses any message over `--max-message-mb`, but an imported log
 * may be hundreds of MiB, so the page cuts the JSON of a large arg into `call-part`s. Only a
 * command whose argument is meant to be large (`frames:import`) may add up to more than one
 * message; its cap is the engine's import bound. Memory stays bounded: a few uploads at once
 * per page, their parts counted against one budget, freed when a sequence is refused or
 * completed and when the page goes away (`clear`).
 */
import type { WebCall, WebCallPart } from '../shared/bridge';
import { MAX_IMPORT_CHARS } from '../core';
import { fail, type Result } from '../shared/result';

/** The commands whose argument may be larger than one message. */
const LARGE_ARG_COMMANDS: ReadonlySet<string> = new Set(['frames:import']);

/**
 * The JSON of a log's text is longer than the text (quotes and backslashes are escaped): room
 * for that on top of the engine's bound, which checks the text itself.
 */
export const DEFAULT_MAX_IMPORT_UPLOAD_CHARS = MAX_IMPORT_CHARS + MAX_IMPORT_CHARS / 4;
export const DEFAULT_MAX_UPLOADS_PER_PAGE = 4;
/** Ids of refused sequences whose remaining parts are dropped unanswered; the oldest are forgotten past this. */
const MAX_DROPPED_IDS = 64;

export interface CallPartsLimits {
  /** Largest joined arg (JSON characters) of any other command: the per-message limit. */
  maxMessageChars: number;
  /** Largest joined arg of `frames:import`. */
  maxLargeChars: number;
  /** Characters held at once for one page across its uploads; default `maxLargeChars`. */
  maxPageChars?: number;
  /** Uploads in progress at once for one page; default 4. */
  maxUploads?: number;
}

/** What a final `call` with `parts` comes to. */
export type JoinedCall = { kind: 'ready'; arg: unknown } | { kind: 'refused'; result: Result<never> } | { kind: 'dropped' };

interface Upload {
  name: string;
  total: number;
  parts: string[];
  chars: number;
}

export class CallParts {
  private readonly uploads = new Map<number, Upload>();
  /** Insertion-ordered, so the oldest is forgotten first. */
  private readonly dropped = new Set<number>();
  private chars = 0;
  private readonly maxPageChars: number;
  private readonly maxUploads: number;

  constructor(private readonly limits: CallPartsLimits) {
    this.maxPageChars = limits.maxPageChars ?? limits.maxLargeChars;
    this.maxUploads = limits.maxUploads ?? DEFAULT_MAX_UPLOADS_PER_PAGE;
  }

  /** Characters held for this page now. */
  get bufferedChars(): number {
    return this.chars;
  }

  /** Calls being received in parts now. */
  get inProgress(): number {
    return this.uploads.size;
  }

  /**
   * Stores one part. Returns the error to answer the call with when the sequence is refused
   * (then its held parts are freed and its later parts dropped), else undefined.
   */
  add(part: WebCallPart): Result<never> | undefined {
    if (this.dropped.has(part.id)) return undefined;
    const { name, index, total } = part;
    let upload = this.uploads.get(part.id);
    if (!upload) {
      if (index !== 0) return this.refuse(part.id, fail('INVALID_ARGUMENT', `${name}: part ${index + 1} of ${total} arrived before part 1; the call was not run`));
      if (this.uploads.size >= this.maxUploads) {
        return this.refuse(part.id, fail('LIMIT_REACHED', `${name}: this page is already sending ${this.maxUploads} large calls; wait for them to finish`));
      }
      upload = { name, total, parts: [], chars: 0 };
      this.uploads.set(part.id, upload);
    } else if (name !== upload.name || total !== upload.total) {
      return this.refuse(part.id, fail('INVALID_ARGUMENT', `${upload.name}: part ${index + 1} does not belong to this call (another command or part count); the call was not run`));
    } else if (index !== upload.parts.length) {
      return this.refuse(part.id, fail('INVALID_ARGUMENT', `${name}: part ${index + 1} of ${total} arrived after part ${upload.parts.length}; the call was not run`));
    }
    const cap = this.capOf(name);
    if (upload.chars + part.data.length > cap) return this.refuse(part.id, tooLarge(name, cap));
    if (this.chars + part.data.length > this.maxPageChars) {
      return this.refuse(part.id, fail('LIMIT_REACHED', `${name}: this page is sending more than ${mib(this.maxPageChars)} at once; wait for its other large calls to finish`));
    }
    upload.parts.push(part.data);
    upload.chars += part.data.length;
    this.chars += part.data.length;
    return undefined;
  }

  /** The final `call` of a sequence: its arg, joined and parsed, or why not. */
  finish(call: WebCall & { parts: number }): JoinedCall {
    if (this.dropped.delete(call.id)) return { kind: 'dropped' };
    const upload = this.uploads.get(call.id);
    if (!upload) return { kind: 'refused', result: fail('INVALID_ARGUMENT', `${call.name}: the call names ${call.parts} parts but none arrived`) };
    this.discard(call.id);
    if (upload.name !== call.name || upload.total !== call.parts) {
      return { kind: 'refused', result: fail('INVALID_ARGUMENT', `${call.name}: the call does not match its parts (another command or part count); it was not run`) };
    }
    if (upload.parts.length !== upload.total) {
      return { kind: 'refused', result: fail('INVALID_ARGUMENT', `${call.name}: only ${upload.parts.length} of ${upload.total} parts arrived; the call was not run`) };
    }
    try {
      return { kind: 'ready', arg: JSON.parse(upload.parts.join('')) };
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      return { kind: 'refused', result: fail('INVALID_ARGUMENT', `${call.name}: its parts do not join into JSON (${why.slice(0, 200)})`, 'arg') };
    }
  }

  /** The page went away: everything held for it goes. */
  clear(): void {
    this.uploads.clear();
    this.dropped.clear();
    this.chars = 0;
  }

  private capOf(name: string): number {
    return LARGE_ARG_COMMANDS.has(name) ? this.limits.maxLargeChars : this.limits.maxMessageChars;
  }

  /** Ends a sequence with `result` (the caller answers with it): held parts freed, later ones dropped. */
  refuse(id: number, result: Result<never>): Result<never> {
    this.discard(id);
    if (this.dropped.size >= MAX_DROPPED_IDS) {
      const oldest = this.dropped.values().next();
      if (!oldest.done) this.dropped.delete(oldest.value);
    }
    this.dropped.add(id);
    return result;
  }

  private discard(id: number): void {
    const upload = this.uploads.get(id);
    if (!upload) return;
    this.chars -= upload.chars;
    this.uploads.delete(id);
  }
}

function tooLarge(name: string, cap: number): Result<never> {
  if (LARGE_ARG_COMMANDS.has(name)) {
    return fail('LIMIT_REACHED', `${name}: too large for the web host: more than ${mib(cap)} of JSON text`, 'arg');
  }
  return fail(
    'LIMIT_REACHED',
    `${name}: the argument is too large for the web host: more than ${mib(cap)}, its limit per message (--max-message-mb); only frames:import may be larger`,
    'arg',
  );
}

function mib(chars: number): string {
  const value = chars / (1024 * 1024);
  if (value < 0.1) return `${chars} characters`;
  return Number.isInteger(value) ? `${value} MiB` : `${value.toFixed(1)} MiB`;
}
