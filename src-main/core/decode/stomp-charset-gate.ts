/**
 * Whether a self-contained STOMP frame's body may be text in a charset other than UTF-8
 * (stomp-body.ts bodyReading `charset`), asked of every message a STOMP query's prefilter reads
 * when a clause may read the body (stomp-probe.ts): such a frame is decoded in order, as its
 * body's bytes are not its text. Read from the bytes as stomp-frame.ts reads the headers: the
 * first header named `content-type` decides. In a self-contained frame (no backslash in its
 * headers, so no escapes) a line's name is its text before its first ':', so a line starting
 * with `content-type:` is named so and no line starting otherwise is, but one starting with a
 * byte order mark (the parser drops it from a line holding U+FFFD): such a line before the first
 * `content-type:` one, or a value whose text holds U+FFFD, answers yes (decoded, never wrong).
 *
 * The hot path of a body query over a stream whose frames carry a content-type, so no native
 * call is made for it in the common case (each Buffer#indexOf costs about 0.1–0.2 µs, and the
 * line found by two of them plus the scan's hit doubled such queries): header lines are stepped
 * over in JS (a few short lines; a line longer than SHORT_LINE is finished with indexOf), and the
 * value is compared in place with the values seen last (stomp-content-type-values.ts). A value
 * not kept is decided by its bytes where that is sure: ASCII without `charset` in any case names
 * no charset
 * (stomp-charset.ts charsetParameter compares the parameter's name without ASCII case), so it is
 * UTF-8 or not text, either of which reads the body's bytes as the probe does; else its text is
 * read by bodyReading.
 * A body of ASCII bytes in an encoding that reads them as UTF-8 does (stomp-charset.ts
 * readsAsciiAsUtf8: most, not UTF-16, ISO-2022-JP, and as Node reads them shift_jis and
 * ibm866) is its bytes read as UTF-8, so it is answered no (isAscii, native).
 */
import { isAscii } from 'node:buffer';
import type { StompFrameBounds } from './raw-prefilter';
import { bodyReading } from './stomp-body';
import { readsAsciiAsUtf8 } from './stomp-charset';
import { ContentTypeValues } from './stomp-content-type-values';

const LF = 0x0a;
const CR = 0x0d;
const CONTENT_TYPE_COLON = Buffer.from('content-type:', 'latin1');
const CHARSET = Buffer.from('charset', 'latin1');
/** Bytes of a line looked at in JS before the rest is searched natively for its LF. */
const SHORT_LINE = 96;
/** A content-type's answer: UTF-8 or not text; another charset; another charset in which ASCII bytes read as UTF-8 does. */
type Answer = 'utf-8' | 'other' | 'other unless ascii';

/** contentTypeValue: no content-type line; a line starting with a byte order mark before it. */
const NONE = -1;
const MAYBE = -2;

export class OtherCharsets {
  private readonly values = new ContentTypeValues<Answer>();

  /** See the file comment. */
  mayHold(slab: Buffer, bounds: StompFrameBounds): boolean {
    const from = contentTypeValue(slab, bounds.headersStart, bounds.headersEnd);
    if (from === NONE) return false;
    if (from === MAYBE) return true;
    const answer = this.values.answerAt(slab, from) ?? this.read(slab, from);
    if (answer !== 'other unless ascii') return answer === 'other';
    return !isAscii(slab.subarray(bounds.bodyStart, bounds.bodyEnd));
  }

  /** The answer for a value not kept (its line ends with LF, before the headers' end). */
  private read(slab: Buffer, from: number): Answer {
    const lf = slab.indexOf(LF, from);
    const to = lf > from && slab[lf - 1] === CR ? lf - 1 : lf;
    return this.values.keep(slab, from, to, answerFor(slab, from, to));
  }
}

/** Where the first `content-type:` line's value starts, NONE, or MAYBE (see the file comment). */
function contentTypeValue(slab: Buffer, headersStart: number, headersEnd: number): number {
  // stompFrameBounds found an LF ending every line before headersEnd, the blank line's start.
  for (let line = headersStart; line < headersEnd; ) {
    const first = slab[line];
    // "content-type:" holds no LF, so a match lies inside the line.
    if (first === CONTENT_TYPE_COLON[0] && startsWith(slab, line, CONTENT_TYPE_COLON)) return line + CONTENT_TYPE_COLON.length;
    if (first === 0xef && slab[line + 1] === 0xbb && slab[line + 2] === 0xbf) return MAYBE;
    line = lineAfter(slab, line, headersEnd);
  }
  return NONE;
}

/** Where the line after the one at `line` starts. */
function lineAfter(slab: Buffer, line: number, headersEnd: number): number {
  const stop = Math.min(headersEnd, line + SHORT_LINE);
  for (let at = line; at < stop; at++) if (slab[at] === LF) return at + 1;
  const lf = slab.indexOf(LF, stop);
  return lf < 0 || lf >= headersEnd ? headersEnd : lf + 1;
}

/** The answer for the value at [from, to): by its bytes where sure (see the file comment), else by bodyReading. */
function answerFor(slab: Buffer, from: number, to: number): Answer {
  if (asciiWithoutCharset(slab, from, to)) return 'utf-8';
  const text = slab.toString('utf8', from, to);
  if (text.includes('\ufffd')) return 'other';
  const reading = bodyReading(text);
  return reading.kind !== 'charset' ? 'utf-8' : readsAsciiAsUtf8(reading.encoding) ? 'other unless ascii' : 'other';
}

/** ASCII bytes holding no `charset` in any ASCII case. */
function asciiWithoutCharset(slab: Buffer, from: number, to: number): boolean {
  for (let at = from; at < to; at++) {
    const byte = slab[at] ?? 0;
    if (byte >= 0x80) return false;
    if ((byte | 0x20) === CHARSET[0] && at + CHARSET.length <= to) {
      let k = 1;
      while (k < CHARSET.length && ((slab[at + k] ?? 0) | 0x20) === CHARSET[k]) k++;
      if (k === CHARSET.length) return false;
    }
  }
  return true;
}

function startsWith(slab: Buffer, at: number, word: Buffer): boolean {
  for (let k = 0; k < word.length; k++) if (slab[at + k] !== word[k]) return false;
  return true;
}
