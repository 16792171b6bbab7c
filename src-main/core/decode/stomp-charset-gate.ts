/**
 * Whether a self-contained STOMP frame's body may be text in a charset other than UTF-8
 * (stomp-body.ts bodyReading `charset`), asked of every message a STOMP query's prefilter reads
 * when a clause may read the body (stomp-probe.ts): such a frame is decoded in order, as its
 * body's bytes are not its text. Read from the bytes as stomp-frame.ts reads the headers: the
 * first header named `content-type` decides. In a self-contained frame (no backslash in its
 * headers, so no escapes) a line's name is its text before its first ':', so a line starting
 * with `content-type:` is named so and no line starting otherwise is, but one starting with a
 * byte order mark (the parser drops it from a line holding U+FFFD): such a line, or a value
 * whose text holds U+FFFD, answers yes (decoded, never wrong). With `holds` (the scan's hits
 * in the slab, found once a slab) every header line starts after an LF, so a frame whose headers
 * hold no LF `content-type:` has no such line, and one whose headers hold LF and a byte order
 * mark is answered yes; else the first LF `content-type:` after the command line is the line
 * (one native indexOf, which stops at it: the hit says it is inside the headers). Without
 * `holds` the lines are passed with indexOf. The last value's bytes and answer are kept (a
 * stream mostly repeats one content-type).
 * A body of ASCII bytes in an encoding that reads them as UTF-8 does (stomp-charset.ts
 * readsAsciiAsUtf8: most, not UTF-16, ISO-2022-JP, and as Node reads them shift_jis and
 * ibm866) is its bytes read as UTF-8, so it is answered no (isAscii, native).
 */
import { isAscii } from 'node:buffer';
import type { HoldsBytes, StompFrameBounds } from './raw-prefilter';
import { bodyReading } from './stomp-body';
import { readsAsciiAsUtf8 } from './stomp-charset';

const LF = 0x0a;
const CR = 0x0d;
const CONTENT_TYPE_COLON = Buffer.from('content-type:', 'latin1');
const CONTENT_TYPE_LINE = Buffer.from('\ncontent-type:', 'latin1');
const BOM_LINE = Buffer.from([LF, 0xef, 0xbb, 0xbf]);

/** A content-type's answer: UTF-8 or not text; another charset; another charset in which ASCII bytes read as UTF-8 does. */
type Answer = 'utf-8' | 'other' | 'other unless ascii';

export class OtherCharsets {
  private last: Buffer | undefined;
  private lastAnswer: Answer = 'utf-8';

  /** See the file comment. */
  mayHold(slab: Buffer, bounds: StompFrameBounds, holds: HoldsBytes | undefined): boolean {
    const { headersStart, headersEnd } = bounds;
    if (holds !== undefined) {
      // headersStart - 1 is the command line's LF.
      if (holds(BOM_LINE, headersStart - 1, headersEnd)) return true;
      if (!holds(CONTENT_TYPE_LINE, headersStart - 1, headersEnd)) return false;
      const from = slab.indexOf(CONTENT_TYPE_LINE, headersStart - 1) + CONTENT_TYPE_LINE.length;
      const lf = slab.indexOf(LF, from);
      return this.holdsFor(this.answerFor(slab, from, lf > from && slab[lf - 1] === CR ? lf - 1 : lf), slab, bounds);
    }
    for (let line = headersStart; line < headersEnd; ) {
      const first = slab[line];
      if (first === 0xef && slab[line + 1] === 0xbb && slab[line + 2] === 0xbf) return true;
      const lf = slab.indexOf(LF, line);
      if (lf < 0 || lf >= headersEnd) return true; // stompFrameBounds found an LF ending every line: not reached
      if (first === CONTENT_TYPE_COLON[0] && startsWith(slab, line, CONTENT_TYPE_COLON)) {
        const from = line + CONTENT_TYPE_COLON.length;
        return this.holdsFor(this.answerFor(slab, from, lf > from && slab[lf - 1] === CR ? lf - 1 : lf), slab, bounds);
      }
      line = lf + 1;
    }
    return false;
  }

  private holdsFor(answer: Answer, slab: Buffer, bounds: StompFrameBounds): boolean {
    if (answer !== 'other unless ascii') return answer === 'other';
    return !isAscii(slab.subarray(bounds.bodyStart, bounds.bodyEnd));
  }

  private answerFor(slab: Buffer, from: number, to: number): Answer {
    const last = this.last;
    if (last !== undefined && last.length === to - from && startsWith(slab, from, last)) return this.lastAnswer;
    const text = slab.toString('utf8', from, to);
    const reading = bodyReading(text);
    this.lastAnswer = text.includes('\ufffd') ? 'other' : reading.kind !== 'charset' ? 'utf-8' : readsAsciiAsUtf8(reading.encoding) ? 'other unless ascii' : 'other';
    this.last = Buffer.from(slab.subarray(from, to));
    return this.lastAnswer;
  }
}

function startsWith(slab: Buffer, at: number, word: Buffer): boolean {
  for (let k = 0; k < word.length; k++) if (slab[at + k] !== word[k]) return false;
  return true;
}
