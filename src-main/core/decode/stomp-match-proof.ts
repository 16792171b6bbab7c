/**
 * A STOMP message proven to match a query without decoding it (match-proof.ts): the side the
 * probe prefilter (stomp-probe.ts) does not answer, for a query most frames match
 * (`$.command == 'MESSAGE'`, `$.headers.destination =~ /^\/topic\//`, `$.body.price >= 0`).
 * STOMP keeps state (a frame split across messages, the escapes CONNECTED may switch off), so the
 * proof answers only for a message the walk reads with a decoder idle for its direction, and
 * `true` needs all of:
 * - the message is self-contained (raw-prefilter.ts stompFrameBounds: one frame ending at its last
 *   NUL, no backslash or NUL in command and headers, not CONNECTED; read here by readFrame in the
 *   same pass as the checks below, accepting no message stompFrameBounds refuses): decoded alone as in order,
 *   and the decoder keeps nothing of it (the only state it has is the unfinished frame per
 *   direction and CONNECTED's version; receipts and subscriptions are read from each frame's own
 *   value by conversation-of.ts, not remembered by the decoder);
 * - the parser (stomp-frame.ts) would not call it invalid: its command is one it knows, and each
 *   header line holds a ':' and is UTF-8. A header line that starts with a byte order mark is not
 *   proven: with a U+FFFD in it the parser reads it strictly, which drops the mark, so a
 *   `content-length` could appear that the bounds did not check;
 * - every clause holds for what its path selects, read as stomp-probe.ts reads it for the
 *   decoded value (stompFrameProbe without failsWhenAbsent: exact where not UNSURE). A path into a
 *   body of JSON text (`$.body.price`) is followed in the body's bytes when JSON.parse takes them
 *   as the decoder's text (strict UTF-8, an object or array, at most MAX_JSON_TEXT_CHARS): the
 *   first such clause in the pass that checks the text (json-text-check.ts followCheckedJsonPath),
 *   the others by json-path-follow.ts in the text then known to be valid. Where the text is not
 *   JSON, the follower is UNSURE or shows ±Infinity, the body's text is parsed. A body whose
 *   frame's first content-type is not a text type, or names a charset other than UTF-8, is not
 *   its bytes read as UTF-8 (stomp-body.ts bodyReading: bytes, or text in that charset), so a
 *   query with a clause on `$.body` is not proven for such a frame (decoded in order), but for
 *   an ASCII body in a charset that reads ASCII bytes as UTF-8 does (ContentTypes);
 * Anything else answers `false` (decoded in order as before): control frames, heart-beats,
 * several frames or part of one, escapes, U+FFFD in a value or body read (UNSURE), `[*]`,
 * `headerList`, an index at the top.
 */
import { isAscii, isUtf8 } from 'node:buffer';
import { holdsWhenAbsent, type DecodedQuery, type QueryClause } from '../../shared/decoded-query';
import { MAX_JSON_TEXT_CHARS } from '../../shared/json-text-value';
import { followJsonPath } from './json-path-follow';
import { NOT_JSON, followCheckedJsonPath, isJsonContainerText, type CheckedProbe } from './json-text-check';
import type { MatchProof } from './match-proof';
import { exactInUtf8, type StompFrameBounds } from './raw-prefilter';
import { STOMP_COMMANDS } from './stomp-frame';
import { bodyReading } from './stomp-body';
import { readsAsciiAsUtf8 } from './stomp-charset';
import { ContentTypeValues } from './stomp-content-type-values';
import { stompFrameProbe, type StompFrameProbe } from './stomp-probe';
import { probeSteps, surelyHolds, UNSURE, type Probed, type ProbeStep } from './value-probe';

const NUL = 0x00;
const LF = 0x0a;
const CR = 0x0d;
const COLON = 0x3a;
const BACKSLASH = 0x5c;
const CONTENT_LENGTH = Buffer.from('content-length:', 'latin1');
const CONTENT_TYPE = Buffer.from('content-type:', 'latin1');

/** The top-level keys a single frame's value may have (stomp-decoder.ts frameValue); headerList is not read. */
const READ_KEYS = new Set(['command', 'headers', 'body']);

interface ProvenClause {
  /** What the decoded value holds at the path (UNSURE: not read). */
  readonly exact: StompFrameProbe;
  /** The path is `$.command` alone: the command readFrame found. */
  readonly command: boolean;
  /** The path is `$.body` alone: the body's text (a body shown as bytes is never proven). */
  readonly wholeBody: boolean;
  /** For `$.body` then steps: the steps, followed in the body's bytes when they are JSON text. */
  readonly bodySteps: readonly ProbeStep[] | undefined;
  readonly test: QueryClause['test'];
}

/** The commands the parser knows, as bytes (the likeliest first), but CONNECTED (it may switch escapes off). */
const COMMANDS: readonly { readonly text: string; readonly bytes: Buffer }[] = ['MESSAGE', 'SEND', ...STOMP_COMMANDS]
  .filter((text, k, all) => text !== 'CONNECTED' && all.indexOf(text) === k)
  .map((text) => ({ text, bytes: Buffer.from(text, 'latin1') }));

/** A frame's parts, as stompFrameBounds gives them, filled by readFrame (one object a proof: no allocation a message). */
interface FrameParts {
  command: string;
  commandEnd: number;
  headersStart: number;
  headersEnd: number;
  bodyStart: number;
  bodyEnd: number;
  /** Where the first content-type header's value starts, or -1 (none), and where it ends (less a CR before its LF). */
  contentType: number;
  contentTypeEnd: number;
}

/**
 * The command at `start` when it is one the parser knows followed by its EOL (LF or CR LF),
 * compared as bytes so no string is made a message; sets the command line's end and the
 * headers' start. The parser reads the command line as Latin-1, so these bytes are that text.
 */
function readCommand(slab: Buffer, start: number, parts: FrameParts): boolean {
  for (let c = 0; c < COMMANDS.length; c++) {
    const command = COMMANDS[c];
    if (command === undefined || slab[start] !== command.bytes[0]) continue;
    const length = command.bytes.length;
    let k = 1;
    while (k < length && slab[start + k] === command.bytes[k]) k++;
    if (k < length) continue;
    const eol = slab[start + length];
    const lf = eol === LF ? start + length : eol === CR && slab[start + length + 1] === LF ? start + length + 1 : -1;
    if (lf < 0) continue;
    parts.command = command.text;
    parts.commandEnd = start + length;
    parts.headersStart = lf + 1;
    return true;
  }
  return false;
}

/**
 * Whether [start, end) is one self-contained frame (raw-prefilter.ts stompFrameBounds: it accepts
 * at least every message this accepts, tests check it) that the parser (stomp-frame.ts) does not
 * call invalid, in one pass over the command and headers (stompFrameBounds and a second pass
 * cost twice as much): a known command other than CONNECTED; header lines without NUL or
 * backslash, each holding a ':' before its LF; the first `content-length:` line's value 1 to 10
 * digits and the body that long; without one the first NUL after the headers ending the body;
 * after that NUL only EOLs. Headers with a byte from 0x80 must be UTF-8, no line starting with a
 * byte order mark (see the file comment).
 */
function readFrame(slab: Buffer, start: number, end: number, parts: FrameParts): boolean {
  // Trailing EOLs (LF or CR LF), then the NUL, as stompFrameBounds reads them.
  let z = end - 1;
  while (z >= start && slab[z] === LF) z -= z > start && slab[z - 1] === CR ? 2 : 1;
  if (z < start || slab[z] !== NUL || !readCommand(slab, start, parts)) return false;
  let contentLength = -1;
  parts.contentType = -1;
  let all = 0;
  // slab[z] is a NUL, which ends every scan below before z.
  let line = parts.headersStart;
  for (;;) {
    const first = slab[line];
    if (first === LF || (first === CR && slab[line + 1] === LF)) break;
    let at = line;
    if (contentLength < 0 && first === CONTENT_LENGTH[0] && startsWith(slab, line, CONTENT_LENGTH)) {
      at = line + CONTENT_LENGTH.length;
      let digits = 0;
      contentLength = 0;
      for (let byte = slab[at] ?? NUL; byte >= 0x30 && byte <= 0x39; byte = slab[++at] ?? NUL) {
        contentLength = contentLength * 10 + (byte - 0x30);
        digits++;
      }
      if (digits === 0 || digits > 10) return false;
      if (slab[at] === CR) at++;
      if (slab[at] !== LF) return false;
    } else {
      // The first content-type line: whether the body shows as text (ContentTypes).
      const type = parts.contentType < 0 && first === CONTENT_TYPE[0] && startsWith(slab, line, CONTENT_TYPE);
      let byte = slab[at] ?? NUL;
      while (byte !== COLON) {
        if (byte === LF || byte === NUL || byte === BACKSLASH) return false;
        all |= byte;
        byte = slab[++at] ?? NUL;
      }
      while (byte !== LF) {
        if (byte === NUL || byte === BACKSLASH) return false;
        all |= byte;
        byte = slab[++at] ?? NUL;
      }
      if (type) {
        parts.contentType = line + CONTENT_TYPE.length;
        parts.contentTypeEnd = slab[at - 1] === CR && at - 1 >= parts.contentType ? at - 1 : at;
      }
    }
    line = at + 1;
  }
  parts.headersEnd = line;
  parts.bodyStart = line + (slab[line] === LF ? 1 : 2);
  parts.bodyEnd = z;
  const bodyEnds = contentLength >= 0 ? parts.bodyStart + contentLength === z : slab.indexOf(NUL, parts.bodyStart) === z;
  return bodyEnds && ((all & 0x80) === 0 || utf8Headers(slab, parts.headersStart, line));
}

function startsWith(slab: Buffer, at: number, word: Buffer): boolean {
  for (let k = 0; k < word.length; k++) if (slab[at + k] !== word[k]) return false;
  return true;
}

/** Headers with a byte from 0x80: UTF-8 (the block is, exactly when each line is: an LF is no part of a sequence), no line starting with a byte order mark. */
function utf8Headers(slab: Buffer, headersStart: number, headersEnd: number): boolean {
  if (!isUtf8(slab.subarray(headersStart, headersEnd))) return false;
  for (let line = headersStart; line < headersEnd; ) {
    if (slab[line] === 0xef && slab[line + 1] === 0xbb && slab[line + 2] === 0xbf) return false;
    const lf = slab.indexOf(LF, line);
    if (lf < 0) return false;
    line = lf + 1;
  }
  return true;
}


/**
 * How the first content-type's reading (stomp-body.ts bodyReading) shows a body: as its bytes
 * read as UTF-8 (`utf-8`: no content-type, a text type without a charset or with UTF-8's); so
 * when the body is ASCII (`ascii`: another charset in which ASCII bytes read as UTF-8 does,
 * stomp-charset.ts readsAsciiAsUtf8, as `text/plain;charset=iso-8859-1`); else not (`other`:
 * bytes for a type that is not text or a charset not known, or text the bytes do not show).
 */
type BodyAs = 'utf-8' | 'ascii' | 'other';

/**
 * Whether the frame readFrame read shows its body as its bytes read as UTF-8 (a body of bytes
 * that are not UTF-8 is then UNSURE where it is read): see BodyAs. The value's text is its
 * line's after the ':' (no backslash, so no escapes), UTF-8 (readFrame checked), less a CR
 * before the LF. Answers are kept by the value's bytes (stomp-content-type-values.ts).
 */
class ContentTypes {
  private readonly values = new ContentTypeValues<BodyAs>();

  bodyShowsAsText(slab: Buffer, parts: FrameParts): boolean {
    const from = parts.contentType;
    if (from < 0) return true;
    const as = this.values.answerAt(slab, from) ?? this.values.keep(slab, from, parts.contentTypeEnd, bodyAs(slab.toString('utf8', from, parts.contentTypeEnd)));
    return as === 'utf-8' || (as === 'ascii' && isAscii(slab.subarray(parts.bodyStart, parts.bodyEnd)));
  }
}

function bodyAs(contentType: string): BodyAs {
  const reading = bodyReading(contentType);
  if (reading.kind === 'utf-8') return 'utf-8';
  return reading.kind === 'charset' && readsAsciiAsUtf8(reading.encoding) ? 'ascii' : 'other';
}

/** A body shown as text: its UTF-8, UNSURE with U+FFFD (the parser then decodes strictly: stomp-probe.ts plainText). */
function bodyText(slab: Buffer, from: number, to: number): Probed {
  const text = slab.toString('utf8', from, to);
  return text.includes('\ufffd') ? UNSURE : text;
}

/** The steps after `$.body` to follow in the body's bytes, or undefined (read from its text). */
function bodyStepsOf(clause: QueryClause): ProbeStep[] | undefined {
  const [first, ...rest] = clause.path;
  if (first?.kind !== 'key' || first.name !== 'body' || rest.length === 0) return undefined;
  const steps = probeSteps(rest);
  // As stomp-probe.ts bodyProbe: a key whose UTF-8 could be read as other text is not followed.
  return steps && !steps.some((step) => step.kind === 'key' && !exactInUtf8(step.name)) ? steps : undefined;
}

/**
 * What `steps` select in the body, checked in the same pass to be a text JSON.parse takes (see
 * the file comment): NOT_JSON when it is not (or is too long to be read as JSON).
 */
function checkedInBody(slab: Buffer, bounds: StompFrameBounds, steps: readonly ProbeStep[]): CheckedProbe {
  const { bodyStart, bodyEnd } = bounds;
  return bodyEnd - bodyStart <= MAX_JSON_TEXT_CHARS ? followCheckedJsonPath(slab, bodyStart, bodyEnd, steps) : NOT_JSON;
}

/** The proof for this query over STOMP messages, or undefined when it can prove none (see the file comment). */
export function stompMatchProof(query: DecodedQuery): MatchProof | undefined {
  const clauses: ProvenClause[] = [];
  for (const clause of query.clauses) {
    const first = clause.path[0];
    if (first?.kind !== 'key') return undefined;
    // Another name selects nothing in a single frame: only `!=` holds there, read by the probe too.
    if (!READ_KEYS.has(first.name) && !holdsWhenAbsent(clause.test)) return undefined;
    const exact = stompFrameProbe(clause.path, false);
    if (!exact) return undefined;
    const command = clause.path.length === 1 && first.name === 'command';
    const wholeBody = clause.path.length === 1 && first.name === 'body';
    clauses.push({ exact, command, wholeBody, bodySteps: bodyStepsOf(clause), test: clause.test });
  }
  if (clauses.length === 0) return undefined;
  // The first clause into the body is followed while the text is checked; the others after it.
  const checkedClause = clauses.findIndex((clause) => clause.bodySteps !== undefined);
  const checkedSteps = clauses[checkedClause]?.bodySteps ?? [];
  const moreInBody = clauses.filter((clause) => clause.bodySteps !== undefined).length > 1;
  const readsBody = query.clauses.some((clause) => clause.path[0]?.kind === 'key' && clause.path[0].name === 'body');
  const types = new ContentTypes();
  const parts: FrameParts = { command: '', commandEnd: 0, headersStart: 0, headersEnd: 0, bodyStart: 0, bodyEnd: 0, contentType: -1, contentTypeEnd: -1 };
  return (slab, start, end, opcode) => {
    if ((opcode !== 'text' && opcode !== 'binary') || !readFrame(slab, start, end, parts)) return false;
    // A body shown as bytes: not read here (the checked JSON pass would read its bytes as text).
    if (readsBody && !types.bodyShowsAsText(slab, parts)) return false;
    const checked: CheckedProbe = checkedClause < 0 ? NOT_JSON : checkedInBody(slab, parts, checkedSteps);
    // UNSURE may come before the text's end: whether the others may follow theirs is checked apart.
    const json = checked === UNSURE ? moreInBody && isJsonContainerText(slab, parts.bodyStart, parts.bodyEnd) : checked !== NOT_JSON;
    for (let k = 0; k < clauses.length; k++) {
      const clause = clauses[k];
      if (!clause) continue;
      let found: Probed = UNSURE;
      if (clause.command) found = parts.command;
      // Read here, not by `exact`, which would look for the content-type again (checked above).
      else if (clause.wholeBody) found = bodyText(slab, parts.bodyStart, parts.bodyEnd);
      else if (k === checkedClause) found = checked === NOT_JSON ? UNSURE : checked;
      else if (json && clause.bodySteps) found = followJsonPath(slab, parts.bodyStart, parts.bodyEnd, clause.bodySteps);
      // The follower shows a number past a double as text; JSON text keeps it a number.
      if (found === UNSURE || found === 'Infinity' || found === '-Infinity') found = clause.exact(slab, start, end, parts);
      if (!surelyHolds(found, clause.test)) return false;
    }
    return true;
  };
}
