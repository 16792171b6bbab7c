/**
 * STOMP's query probe (issue 14: `$.headers['content-length'] > 100`, `$.body =~ /x/`,
 * `$.headers.destination =~ /prices/`, a query with no `== 'text'` clause for the string rule):
 * in a self-contained message (raw-prefilter.ts stompSelfContained: one frame ending at the
 * message's last NUL, no backslash or NUL in its command and headers, not CONNECTED; anything
 * else, frames split across messages, several frames, escapes, is decoded as before) each clause
 * is tested on what its path selects in the frame's value, read from the bytes as stomp-frame.ts
 * and stomp-decoder.ts make it:
 * - `$.command`: the command line (without a CR before its LF) read as Latin-1; a command the
 *   parser does not know makes the frame invalid, which matches nothing, so any answer is right.
 * - `$.headers.<name>`: the first header line whose text before its first `:` is the name (the
 *   first of a repeated header counts: stomp-decoder.ts frameValue), its text after that `:`;
 *   without escapes a header's bytes are its UTF-8. `$.headers` alone: an object.
 * - `$.headers[*]` (`$.headers[*] =~ /p7$/`): the clause fails on every header line's value, or
 *   there is none and it fails on nothing (failsOnEveryHeader).
 * - `$.headerList[*|i][0|1|*]`: nothing without a repeated name, else every line's name or
 *   value (failsOnHeaderList).
 * - `$.body`: the bytes between the blank line and the NUL, as text (json-value.ts textOrBytes),
 *   or bytes ({$bytes, length}) when the first `content-type` header names a type that is not
 *   text or a charset that is not known (stomp-body.ts bodyReading): an object then, whose
 *   `length` is the body's size and under which no other name selects anything. A body in
 *   another charset (`text/plain;charset=iso-8859-1`) is text the bytes do not show as UTF-8:
 *   UNSURE (but an ASCII body in a charset that reads ASCII as UTF-8 does: bodyShown), and a
 *   rule that may read the body (a clause on `$.body`, or a string rule's needles, which are
 *   UTF-8) never passes such a frame over: stompProbePrefilter's `selfContained` says it is not
 *   (stomp-charset-gate.ts), so it is decoded in order.
 * - another name at the top: nothing (a frame's value has only command, headers, headerList and
 *   body).
 * - a step below a string goes on into the JSON object or array it holds (shared/decoded-query.ts
 *   selectPath): `$.body.price`, `$.headers.meta.id`, read from the string by JSON.parse
 *   (parsed-path.ts), or for the body followed in its bytes (bodyProbe); under other text nothing.
 * Text holding U+FFFD is UNSURE (the parser then decodes strictly, which drops a leading BOM,
 * and bad UTF-8 is an invalid header or a body shown as bytes), as is any other path into
 * `headerList`. A message one clause fails is passed over (`RawPrefilter.lacks`).
 * A `=~` clause on header values or names whose regex has a sure literal (`/p7$/` ends every
 * match with `p7`: regex-literals.ts) tests the bytes first and makes text only where the regex
 * may match (clauseRuleOut).
 * `$.body.price > 9990` over bench (11)'s 1,000,000 STOMP frames: 6.7–9.6 µs of CPU a frame with
 * no rule (every frame decoded), 1.8–1.9 with the body's text parsed, 0.83–1.09 followed in its
 * bytes; `$.headers[*] =~ /p7$/` 1.21–1.50 → 0.61–0.66 with the bytes tested first (load 14).
 */
import { isAscii } from 'node:buffer';
import { holdsForValue, holdsWhenAbsent, type DecodedQuery, type QueryClause, type QueryStep } from '../../shared/decoded-query';
import { followJsonPath } from './json-path-follow';
import { followText, parsedSteps, type ParsedStep } from './parsed-path';
import { ProbeBudget } from './probe-budget';
import { RegexByteGate } from './regex-literals';
import { exactInUtf8, stompFrameBounds, type RawPrefilter, type StompFrameBounds } from './raw-prefilter';
import { OtherCharsets } from './stomp-charset-gate';
import { ABSENT, CONTAINER, UNSURE, mayHold, probeSteps, type Probed } from './value-probe';
import { bodyReading } from './stomp-body';
import { readsAsciiAsUtf8 } from './stomp-charset';

const LF = 0x0a;
const CR = 0x0d;
const COLON = 0x3a;

/** The keys a STOMP frame's value has (stomp-decoder.ts frameValue). */
const FRAME_KEYS = new Set(['command', 'headers', 'headerList', 'body']);

/** The header that decides whether a body is text (stomp-body.ts). */
const CONTENT_TYPE = Buffer.from('content-type', 'latin1');

/** Text as stomp-frame.ts reads it (lenient UTF-8, strict only when U+FFFD shows): UNSURE then. */
function plainText(slab: Buffer, from: number, to: number): string | typeof UNSURE {
  const text = slab.toString('utf8', from, to);
  return text.includes('\ufffd') ? UNSURE : text;
}

/** headerValueStart: no header of that name; or the frame is left to the decoder. */
const NO_HEADER = -1;
const DOUBTFUL = -2;

/**
 * Where the value of the first header named `name` (its UTF-8) starts, NO_HEADER, or DOUBTFUL.
 * Read byte by byte (a few short lines); stompFrameBounds found an LF ending every line before
 * the blank one, and the scan stops at the headers' end anyway. A plain name (`plainName`: ASCII
 * without ':', CR or LF) is first looked for at the line's start with its ':' after it: such a
 * line's first ':' is that one, and the name, ASCII, is no BOM a strict reading could drop. The
 * value runs to its line's end (valueEnd); its text is headerText's.
 */
function headerValueStart(slab: Buffer, bounds: StompFrameBounds, name: Buffer, plainName: boolean): number {
  const length = name.length;
  for (let line = bounds.headersStart; line < bounds.headersEnd; ) {
    // The name holds no LF, so [line, line + length] is on this line, which ends with an LF.
    if (plainName && slab[line + length] === COLON && sameName(slab, line, name)) return line + length + 1;
    let lf = line;
    let colon = -1;
    let ascii = true;
    for (; lf < bounds.headersEnd && slab[lf] !== LF; lf++) {
      const byte = slab[lf] ?? 0;
      if (byte === COLON && colon < 0) colon = lf;
      else if (byte >= 0x80) ascii = false;
    }
    const lineEnd = lf > line && slab[lf - 1] === CR ? lf - 1 : lf;
    // A line with U+FFFD in its text is read strictly, which drops a leading BOM from its name.
    if (!ascii && plainText(slab, line, lineEnd) === UNSURE) return DOUBTFUL;
    // No ':' on the line: the frame is invalid (any answer is right).
    if (colon < 0 || colon >= lineEnd) return DOUBTFUL;
    if (colon - line === length && sameName(slab, line, name)) return colon + 1;
    line = lf + 1;
  }
  return NO_HEADER;
}

/** The end of a header value starting at `from` (after its line's ':'): its line's LF, less a CR before it. */
function valueEnd(slab: Buffer, from: number): number {
  const lf = slab.indexOf(LF, from);
  // slab[from - 1] is the ':', so a CR before the LF is the value's last byte, not the name's.
  return slab[lf - 1] === CR ? lf - 1 : lf;
}

/**
 * A header value's text: an ASCII one from `texts`, else its UTF-8 (UNSURE with U+FFFD: bad
 * UTF-8 makes the frame invalid, and a line holding U+FFFD is read strictly).
 */
function headerText(slab: Buffer, from: number, to: number, texts: AsciiTexts): Probed {
  return texts.asciiText(slab, from, to) ?? plainText(slab, from, to);
}

/** The first header named `name`: its value, ABSENT, or UNSURE (headerValueStart). */
function headerValue(slab: Buffer, bounds: StompFrameBounds, name: Buffer, plainName: boolean, texts: AsciiTexts): Probed {
  const from = headerValueStart(slab, bounds, name, plainName);
  if (from === NO_HEADER) return ABSENT;
  return from === DOUBTFUL ? UNSURE : headerText(slab, from, valueEnd(slab, from), texts);
}

/** ASCII without ':', CR or LF: see headerValue. */
function isPlainName(name: Buffer): boolean {
  for (const byte of name) if (byte >= 0x80 || byte === COLON || byte === CR || byte === LF) return false;
  return true;
}

/** Slots of AsciiTexts (a power of two). */
const TEXT_SLOTS = 256;
/** Values longer than this are made afresh (their hash and compare cost about what the copy does). */
const TEXT_LONGEST = 64;

/**
 * The Latin-1 text of ASCII bytes (what UTF-8 reads them as), remembered by their bytes: a
 * header such as `destination` takes a few values over and over, and making the string is a
 * sizeable share of a probe (bench (11): latin1Slice and Buffer#slice ~8 % of the search). A
 * text is used only for bytes equal to the ones it was made of, so it is the same string.
 */
export class AsciiTexts {
  private readonly keys: (Buffer | undefined)[] = new Array<Buffer | undefined>(TEXT_SLOTS).fill(undefined);
  private readonly values: string[] = new Array<string>(TEXT_SLOTS).fill('');

  /** The text of [from, to), or undefined when a byte there is not ASCII. */
  asciiText(slab: Buffer, from: number, to: number): string | undefined {
    const length = to - from;
    let hash = length;
    for (let at = from; at < to; at++) {
      const byte = slab[at] ?? 0;
      if (byte >= 0x80) return undefined;
      hash = (Math.imul(hash, 31) + byte) | 0;
    }
    if (length > TEXT_LONGEST) return slab.toString('latin1', from, to);
    const slot = (hash ^ (hash >>> 8)) & (TEXT_SLOTS - 1);
    const key = this.keys[slot];
    if (key !== undefined && key.length === length) {
      let same = true;
      for (let k = 0; k < length && same; k++) same = key[k] === slab[from + k];
      if (same) return this.values[slot] ?? slab.toString('latin1', from, to);
    }
    const text = slab.toString('latin1', from, to);
    this.keys[slot] = Buffer.from(slab.subarray(from, to));
    this.values[slot] = text;
    return text;
  }
}

function sameName(slab: Buffer, at: number, name: Buffer): boolean {
  for (let k = 0; k < name.length; k++) if (slab[at + k] !== name[k]) return false;
  return true;
}

/** What a clause's path selects in the frame at [start, end) (a self-contained message). */
type FrameProbe = (slab: Buffer, start: number, end: number, bounds: StompFrameBounds) => Probed;

/**
 * What further steps select under a string read from the frame: the string for none, else what
 * they select in the JSON object or array it holds (parsed-path.ts; nothing in other text).
 */
function below(found: Probed, rest: readonly ParsedStep[]): Probed {
  if (rest.length === 0 || found === UNSURE || found === ABSENT) return found;
  return typeof found === 'string' ? followText(found, rest) : UNSURE;
}

/** The body shows as text (its first content-type is text, or there is none), as bytes, or UNSURE (that header's text is). */
type BodyShown = 'text' | 'bytes' | typeof UNSURE;

/**
 * How the frame's body shows (stomp-body.ts bodyReading on its first content-type): UNSURE also
 * for a body in another charset than UTF-8 (its text is not its bytes read as UTF-8), but an
 * ASCII body in one that reads ASCII bytes as UTF-8 does (stomp-charset.ts readsAsciiAsUtf8),
 * which is its bytes read as UTF-8: text.
 */
function bodyShown(slab: Buffer, bounds: StompFrameBounds, texts: AsciiTexts): BodyShown {
  const contentType = headerValue(slab, bounds, CONTENT_TYPE, true, texts);
  if (contentType === UNSURE) return UNSURE;
  if (typeof contentType !== 'string') return 'text';
  const reading = bodyReading(contentType);
  if (reading.kind !== 'charset') return reading.kind === 'utf-8' ? 'text' : 'bytes';
  return readsAsciiAsUtf8(reading.encoding) && isAscii(slab.subarray(bounds.bodyStart, bounds.bodyEnd)) ? 'text' : UNSURE;
}

/** Whether what the path selects may be the body or inside it (`$.body…`, `$[*]…`, `$`). */
function mayReadBody(path: readonly QueryStep[]): boolean {
  const [first] = path;
  return first === undefined || first.kind !== 'key' || first.name === 'body';
}

/**
 * What `$.body` then `after` selects in a body shown as bytes, {$bytes, length}: the object for
 * no step, its `length` the body's size, nothing under any other first step but `$bytes` (its
 * Base64: UNSURE).
 */
function inBytes(bounds: StompFrameBounds, after: readonly ParsedStep[]): Probed {
  const [first] = after;
  if (first === undefined) return CONTAINER;
  if (first.kind !== 'key') return ABSENT;
  if (first.name === 'length') return after.length === 1 ? bounds.bodyEnd - bounds.bodyStart : ABSENT;
  return first.name === '$bytes' ? UNSURE : ABSENT;
}

/**
 * What `$.body` then `after` (none or more steps) selects in a body shown as text: the text, or
 * for a clause that fails where its path selects nothing (`failsWhenAbsent`) the path followed
 * in the body's bytes (json-path-follow.ts), without building the text: for a body JSON.parse
 * takes (up to the cap) that is what the query reads, and for any other body the path selects
 * nothing, where such a clause fails whatever the follower said; `length` is not followed (a
 * body shown as bytes has one). The follower shows a number past a double as text, which JSON
 * text keeps as a number (Infinity): those and its UNSURE go the exact way, the body's text
 * parsed (parsed-path.ts), as does every other clause.
 */
function textBodyProbe(after: readonly ParsedStep[], failsWhenAbsent: boolean): FrameProbe {
  const inText: FrameProbe = (slab, _start, _end, bounds) => below(plainText(slab, bounds.bodyStart, bounds.bodyEnd), after);
  const first = after[0];
  const steps = after.length > 0 && failsWhenAbsent && !(first?.kind === 'key' && first.name === 'length') ? probeSteps(after) : undefined;
  if (!steps || steps.some((step) => step.kind === 'key' && !exactInUtf8(step.name))) return inText;
  return (slab, start, end, bounds) => {
    const found = followJsonPath(slab, bounds.bodyStart, bounds.bodyEnd, steps);
    return found === UNSURE || found === 'Infinity' || found === '-Infinity' ? inText(slab, start, end, bounds) : found;
  };
}

/**
 * What `$.body` then `after` selects: read as text or as bytes as the frame's first content-type
 * says (bodyShown), UNSURE when that header's text is.
 */
function bodyProbe(after: readonly ParsedStep[], failsWhenAbsent: boolean, texts: AsciiTexts): FrameProbe {
  const asText = textBodyProbe(after, failsWhenAbsent);
  return (slab, start, end, bounds) => {
    const shown = bodyShown(slab, bounds, texts);
    return shown === 'text' ? asText(slab, start, end, bounds) : shown === 'bytes' ? inBytes(bounds, after) : UNSURE;
  };
}

/**
 * A clause on `$.body` (then steps) ruled out without looking for the content-type where it
 * changes nothing: it fails on the body read as UTF-8 text and on it read as bytes. Only where
 * the text fails and the bytes may hold (`$.body != 'chat'` on the text chat) is the content-type
 * read. A body in another charset is a third reading, which this does not test: the prefilter
 * never asks it of such a frame (stompProbePrefilter: stomp-charset-gate.ts).
 */
function bodyRuleOut(after: readonly ParsedStep[], test: QueryClause['test'], texts: AsciiTexts): FrameRuleOut {
  const asText = textBodyProbe(after, !holdsWhenAbsent(test));
  return (slab, start, end, bounds) => {
    if (mayHold(asText(slab, start, end, bounds), test)) return false;
    return !mayHold(inBytes(bounds, after), test) || bodyShown(slab, bounds, texts) === 'text';
  };
}

/** A header's name as bytes, or undefined when it is not plain UTF-8 (a lone surrogate: no header line's text). */
function headerName(text: string): { name: Buffer; plainName: boolean } | undefined {
  const name = Buffer.from(text, 'utf8');
  return name.toString('utf8') === text ? { name, plainName: isPlainName(name) } : undefined;
}

/**
 * How to read a clause's path from the bytes, or undefined when the probe does not follow it
 * (`[*]`, an index at the top). `failsWhenAbsent`: the clause fails where its path selects
 * nothing (all but `!=`: shared/decoded-query.ts holdsWhenAbsent).
 */
function frameProbe(path: readonly QueryStep[], failsWhenAbsent: boolean, texts = new AsciiTexts()): FrameProbe | undefined {
  const [first, second] = path;
  if (first?.kind !== 'key') return undefined;
  if (!FRAME_KEYS.has(first.name)) return () => ABSENT;
  if (first.name === 'headers') {
    if (second === undefined) return () => CONTAINER;
    if (second.kind !== 'key') return undefined;
    const rest = parsedSteps(path.slice(2));
    if (!rest) return undefined;
    const header = headerName(second.name);
    if (!header) return undefined;
    const { name, plainName } = header;
    return (slab, _start, _end, bounds) => below(headerValue(slab, bounds, name, plainName, texts), rest);
  }
  if (first.name === 'headerList') return undefined; // there only when a header repeats
  const after = parsedSteps(path.slice(1));
  if (!after) return undefined;
  if (first.name === 'command') return (slab, start, _end, bounds) => below(slab.toString('latin1', start, bounds.commandEnd), after);
  return bodyProbe(after, failsWhenAbsent, texts);
}

/**
 * How to read a clause's path from a self-contained frame's bytes (frameProbe), for the match
 * proof (stomp-match-proof.ts), which builds it once a query; undefined as for probeStompPath.
 * Without `failsWhenAbsent` the answer, where it is not UNSURE, is what the decoded value holds.
 */
export function stompFrameProbe(path: readonly QueryStep[], failsWhenAbsent: boolean): StompFrameProbe | undefined {
  return frameProbe(path, failsWhenAbsent);
}

export type StompFrameProbe = FrameProbe;

/**
 * What `path` selects in the frame of a self-contained message at [start, end) (stompSelfContained
 * must take it), read from its bytes; undefined when the probe does not follow the path. With
 * `failsWhenAbsent` the answer is only good for a clause that fails where nothing is selected
 * (bodyProbe); without it, it is what the decoded value holds there.
 */
export function probeStompPath(slab: Buffer, start: number, end: number, path: readonly QueryStep[], failsWhenAbsent = false): Probed | undefined {
  const probe = frameProbe(path, failsWhenAbsent);
  if (!probe) return undefined;
  const bounds = stompFrameBounds(slab, start, end);
  return bounds ? probe(slab, start, end, bounds) : UNSURE;
}

/**
 * Whether a clause on `$.headers[*]` (each name's first value) surely fails in the frame: it
 * fails on every header line's value, or the frame has no header line and the clause fails where
 * nothing is selected. Every line's value is tested, a repeat's too (more values than the query
 * sees, so a repeat that may hold keeps the frame: decoded). A value is the line's text after its
 * first ':' (less a CR before the LF): UTF-8 reads ASCII bytes as themselves, so that is the
 * value's bytes read as UTF-8 (a BOM the parser may drop is at the line's start, in the name);
 * U+FFFD in it, or a line without ':' (the frame is invalid), and the frame is kept.
 */
function failsOnEveryHeader(slab: Buffer, bounds: StompFrameBounds, test: QueryClause['test'], gate: RegexByteGate | undefined): boolean {
  let some = false;
  for (let line = bounds.headersStart; line < bounds.headersEnd; ) {
    const lf = lfAfter(slab, line, bounds.headersEnd);
    if (lf < 0) return false;
    const lineEnd = textEnd(slab, line, lf);
    // The value ends its line: where the regex can match no end of the line, it fails (clauseRuleOut).
    if (gate === undefined || gate.suffixMayMatch(slab, line, lineEnd)) {
      const colon = firstColon(slab, line, lineEnd);
      if (colon < 0 || !failsOnText(slab, colon + 1, lineEnd, test, gate)) return false;
    }
    some = true;
    line = lf + 1;
  }
  return some || !holdsWhenAbsent(test);
}

/**
 * The LF ending the header line at `line`, or -1 when none comes before the headers' end
 * (stompFrameBounds found one for every line before the blank one).
 */
function lfAfter(slab: Buffer, line: number, headersEnd: number): number {
  const lf = slab.indexOf(LF, line);
  return lf < headersEnd ? lf : -1;
}

/** Where the text of the line at `line` ends: its LF, less a CR before it. */
function textEnd(slab: Buffer, line: number, lf: number): number {
  return lf > line && slab[lf - 1] === CR ? lf - 1 : lf;
}

/** The line's first ':' before `lineEnd`, or -1 (the parser calls the frame invalid). */
function firstColon(slab: Buffer, line: number, lineEnd: number): number {
  for (let at = line; at < lineEnd; at++) if (slab[at] === COLON) return at;
  return -1;
}

/**
 * Whether the clause surely fails on the text of [from, to), a header's name or value: its
 * bytes first where the regex has a sure literal (clauseRuleOut), then its UTF-8 text (U+FFFD
 * in it: not sure, the parser reads such a line strictly). Made afresh (AsciiTexts' cache did
 * not pay here: ids and lengths differ in every frame).
 */
function failsOnText(slab: Buffer, from: number, to: number, test: QueryClause['test'], gate: RegexByteGate | undefined): boolean {
  if (gate !== undefined && !gate.mayMatch(slab, from, to)) return true;
  const text = plainText(slab, from, to);
  return text !== UNSURE && !holdsForValue(test, text);
}

/** `$.headerList[*|i][0|1|*]`: the pair (undefined: any) and what of it is read (a pair is [name, value]). */
interface HeaderListPath {
  readonly pair: number | undefined;
  readonly names: boolean;
  readonly values: boolean;
}

function headerListPath(path: readonly QueryStep[]): HeaderListPath | undefined {
  const [first, second, third] = path;
  if (path.length !== 3 || first?.kind !== 'key' || first.name !== 'headerList' || second === undefined || second.kind === 'key' || third === undefined || third.kind === 'key') return undefined;
  if (third.kind === 'index' && third.index > 1) return undefined;
  return { pair: second.kind === 'index' ? second.index : undefined, names: third.kind === 'any' || third.index === 0, values: third.kind === 'any' || third.index === 1 };
}

/** Each header line's start, first ':' and end (less a CR before the LF), reused by failsOnHeaderList. */
const lineParts: number[] = [];

function sameText(slab: Buffer, a: number, aEnd: number, b: number, bEnd: number): boolean {
  if (aEnd - a !== bEnd - b) return false;
  for (let k = 0; k < aEnd - a; k++) if (slab[a + k] !== slab[b + k]) return false;
  return true;
}

/**
 * Whether a clause on `$.headerList[*|i][0|1|*]` surely fails in the frame. The decoder writes
 * headerList only when a name repeats (stomp-decoder.ts frameValue): names are compared as
 * bytes, which for UTF-8 lines is comparing their text, but for a line starting with a byte order
 * mark (the parser drops it when the line holds U+FFFD), which keeps the frame. Without a repeat,
 * or with pair i past the lines, the path selects nothing; else every line's name or value is
 * tested (more than pair i's, so only ever towards decoding), read as failsOnEveryHeader reads it.
 */
function failsOnHeaderList(slab: Buffer, bounds: StompFrameBounds, test: QueryClause['test'], list: HeaderListPath, gate: RegexByteGate | undefined): boolean {
  lineParts.length = 0;
  for (let line = bounds.headersStart; line < bounds.headersEnd; ) {
    const lf = lfAfter(slab, line, bounds.headersEnd);
    if (lf < 0) return false;
    const lineEnd = textEnd(slab, line, lf);
    const colon = firstColon(slab, line, lineEnd);
    if (colon < 0 || (slab[line] === 0xef && slab[line + 1] === 0xbb && slab[line + 2] === 0xbf)) return false;
    lineParts.push(line, colon, lineEnd);
    line = lf + 1;
  }
  const count = lineParts.length / 3;
  let repeats = false;
  for (let a = 1; a < count && !repeats; a++) {
    for (let b = 0; b < a && !repeats; b++) repeats = sameText(slab, lineParts[3 * a] ?? 0, lineParts[3 * a + 1] ?? 0, lineParts[3 * b] ?? 0, lineParts[3 * b + 1] ?? 0);
  }
  if (!repeats || (list.pair !== undefined && list.pair >= count)) return !holdsWhenAbsent(test);
  for (let k = 0; k < count; k++) {
    const line = lineParts[3 * k] ?? 0;
    const colon = lineParts[3 * k + 1] ?? 0;
    const lineEnd = lineParts[3 * k + 2] ?? 0;
    if (list.names && !failsOnText(slab, line, colon, test, gate)) return false;
    if (list.values && !failsOnText(slab, colon + 1, lineEnd, test, gate)) return false;
  }
  return true;
}

/** Whether a clause surely fails in a self-contained frame (at [start, end), its parts at `bounds`). */
type FrameRuleOut = (slab: Buffer, start: number, end: number, bounds: StompFrameBounds) => boolean;

/**
 * How a clause is ruled out, or undefined when the probe reads none of its path. A `=~` clause
 * whose regex has a sure literal (regex-literals.ts: `/p7$/` ends every match with `p7`) tests
 * a value's bytes first and makes its string only where the regex may match: on `$.headers[*]`
 * a line whose bytes do not end with the tail holds a value that does not (the value ends the
 * line), and on `$.headers.<name>` the value's own bytes. Such a test is the regex's on the
 * value's text where the line is UTF-8, and a header line that is not makes the frame invalid,
 * matching nothing; a line holding U+FFFD is read strictly, which only drops a BOM at the
 * line's start (the name's), so the value's text is its bytes' either way.
 */
function clauseRuleOut(clause: QueryClause): FrameRuleOut | undefined {
  const { path, test } = clause;
  const gate = test?.op === '=~' ? RegexByteGate.of(test.regex) : undefined;
  if (isEveryHeader(path)) return (slab, _start, _end, bounds) => failsOnEveryHeader(slab, bounds, test, gate);
  const list = headerListPath(path);
  if (list) return (slab, _start, _end, bounds) => failsOnHeaderList(slab, bounds, test, list, gate);
  const texts = new AsciiTexts();
  const [first, second] = path;
  const header = gate && path.length === 2 && first?.kind === 'key' && first.name === 'headers' && second?.kind === 'key' ? headerName(second.name) : undefined;
  if (gate && header) {
    const { name, plainName } = header;
    return (slab, _start, _end, bounds) => {
      const from = headerValueStart(slab, bounds, name, plainName);
      if (from === NO_HEADER) return !holdsWhenAbsent(test);
      if (from === DOUBTFUL) return false;
      const to = valueEnd(slab, from);
      return !gate.mayMatch(slab, from, to) || !mayHold(headerText(slab, from, to, texts), test);
    };
  }
  const body = first?.kind === 'key' && first.name === 'body' ? parsedSteps(path.slice(1)) : undefined;
  if (body) return bodyRuleOut(body, test, texts);
  const probe = frameProbe(path, !holdsWhenAbsent(test), texts);
  return probe ? (slab, start, end, bounds) => !mayHold(probe(slab, start, end, bounds), test) : undefined;
}

/** Whether some clause fails in the frame. */
function rulesOut(ruleOuts: readonly FrameRuleOut[], slab: Buffer, start: number, end: number, bounds: StompFrameBounds): boolean {
  for (let k = 0; k < ruleOuts.length; k++) if (ruleOuts[k]?.(slab, start, end, bounds) === true) return true;
  return false;
}

/** `$.headers[*]` alone (a step after it goes into JSON text a value may hold: not read). */
function isEveryHeader(path: readonly QueryStep[]): boolean {
  const [first, second] = path;
  return path.length === 2 && first?.kind === 'key' && first.name === 'headers' && second?.kind === 'any';
}

/**
 * The probe prefilter for this query, or undefined when no clause's path is one the probe reads.
 * Like query-probe.ts's, it reads fewer messages while it rules out few (probe-budget.ts): one it
 * does not read is not self-contained to the scan, so it is decoded.
 *
 * With `stringRule` (stompStringPrefilter's, for a `== 'text'` clause of the same query): its
 * needles, and a self-contained message is passed over when it holds none of them *or* the probe
 * rules it out (`needlesOrLacks`), each alone exact (`$.body.sym == 'ABC7'` passes over a frame
 * holding `ABC70`). Then the budget only decides whether the probe reads a message holding a
 * needle: one it does not read is decoded, as under the string rule alone.
 *
 * A frame whose body is text in a charset other than UTF-8 is not self-contained to it when a
 * clause may read the body (stomp-charset-gate.ts): the needles are UTF-8 and the probe reads the
 * body's bytes as UTF-8, so it is decoded. Then a string rule the probe reads no clause of
 * (`$.body[*] == 'x'`) comes back with that test added rather than undefined.
 */
export function stompProbePrefilter(query: DecodedQuery, stringRule?: RawPrefilter): RawPrefilter | undefined {
  const probed: FrameRuleOut[] = [];
  for (const clause of query.clauses) {
    const ruleOut = clauseRuleOut(clause);
    if (ruleOut) probed.push(ruleOut);
  }
  const charsets = query.clauses.some((clause) => mayReadBody(clause.path));
  const otherCharsets = new OtherCharsets();
  if (probed.length === 0) return stringRule && charsets ? withoutOtherCharsets(stringRule, otherCharsets) : undefined;
  const budget = new ProbeBudget();
  // The bounds selfContained just found, used once by lacks on the same message (prefilter-scan.ts
  // asks both in turn); kept in locals, not an object a message.
  let lastSlab: Buffer | undefined;
  let lastStart = 0;
  let lastEnd = 0;
  let lastBounds: StompFrameBounds | undefined;
  const withNeedles = stringRule !== undefined;
  return {
    kind: 'self-contained',
    needles: stringRule?.needles ?? [],
    ...(withNeedles ? { needlesOrLacks: true as const } : {}),
    selfContained(slab, start, end, opcode, holds) {
      lastBounds = undefined;
      if (opcode !== 'text' && opcode !== 'binary') return true; // the decoder ignores control frames
      // A message the budget does not read is decoded: not even its frame is looked for (with
      // needles the frame is what the string rule needs, so it is always looked for).
      if (!withNeedles && !budget.read()) return false;
      const found = stompFrameBounds(slab, start, end, holds);
      const bounds = found && charsets && otherCharsets.mayHold(slab, found) ? undefined : found;
      if (bounds) {
        lastSlab = slab;
        lastStart = start;
        lastEnd = end;
        lastBounds = bounds;
      }
      return bounds !== undefined;
    },
    lacks(slab, start, end) {
      const found = lastSlab === slab && lastStart === start && lastEnd === end ? lastBounds : undefined;
      lastBounds = undefined;
      lastSlab = undefined;
      if (found && withNeedles && !budget.read()) return false;
      // Asked without the selfContained before it (not what prefilter-scan.ts does): read afresh, outside the budget.
      const afresh = found ? undefined : stompFrameBounds(slab, start, end);
      const bounds = found ?? (afresh && charsets && otherCharsets.mayHold(slab, afresh) ? undefined : afresh);
      const ruledOut = bounds !== undefined && rulesOut(probed, slab, start, end, bounds);
      if (found) budget.note(ruledOut);
      return ruledOut;
    },
  };
}

/** The string rule alone, but a frame whose body may be in another charset than UTF-8 is decoded (see stompProbePrefilter). */
function withoutOtherCharsets(rule: RawPrefilter, otherCharsets: OtherCharsets): RawPrefilter {
  return {
    ...rule,
    selfContained(slab, start, end, opcode, holds) {
      if (opcode !== 'text' && opcode !== 'binary') return rule.selfContained(slab, start, end, opcode, holds);
      const bounds = stompFrameBounds(slab, start, end, holds);
      return bounds !== undefined && !otherCharsets.mayHold(slab, bounds) && rule.selfContained(slab, start, end, opcode, holds);
    },
  };
}
