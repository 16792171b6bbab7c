/**
 * stompFrameBounds (raw-prefilter.ts) searches the bytes natively and asks the scan's hits for a
 * backslash; these tests hold it to a byte-by-byte reading of the rule (the file comment), on
 * generated frames placed anywhere in a shared slab (escapes, content-length, CR LF, NULs in
 * headers and bodies, heart-beats, several frames, frames cut short, CONNECTED), with and
 * without `holds`, and on a reused slab (the LF-free stretch it remembers may only reject).
 * Also AsciiTexts (stomp-probe.ts): the text of remembered bytes is their Latin-1 text.
 */
import { describe, expect, it } from 'vitest';
import { stompFrameBounds, type StompFrameBounds } from '../../../src-main/core/decode/raw-prefilter';
import { AsciiTexts } from '../../../src-main/core/decode/stomp-probe';
import { pick, seeded } from './prefilter-harness';

const NUL = 0x00;
const LF = 0x0a;
const CR = 0x0d;
const BACKSLASH = 0x5c;

/** The rule read byte by byte (what stompFrameBounds did before its native searches). */
function reference(slab: Buffer, start: number, end: number): StompFrameBounds | undefined {
  let z = end - 1;
  while (z >= start && slab[z] === LF) z -= z - 1 >= start && slab[z - 1] === CR ? 2 : 1;
  if (z < start || slab[z] !== NUL) return undefined;
  const first = slab[start] ?? 0;
  if (first < 0x41 || first > 0x5a) return undefined;
  if (slab.toString('latin1', start, Math.min(z, start + 9)) === 'CONNECTED') return undefined;
  const lfIn = (from: number): number => {
    for (let i = from; i < z; i++) {
      if (slab[i] === LF) return i;
      if (slab[i] === NUL || slab[i] === BACKSLASH) return -1;
    }
    return -1;
  };
  let lf = lfIn(start);
  if (lf < 0) return undefined;
  const commandEnd = lf > start && slab[lf - 1] === CR ? lf - 1 : lf;
  const headersStart = lf + 1;
  let headersEnd = -1;
  let bodyStart = -1;
  let contentLength = -1;
  for (let line = headersStart; line < z; line = lf + 1) {
    if (slab[line] === LF || (slab[line] === CR && slab[line + 1] === LF)) {
      headersEnd = line;
      bodyStart = line + (slab[line] === LF ? 1 : 2);
      break;
    }
    lf = lfIn(line);
    if (lf < 0) return undefined;
    const text = slab.toString('latin1', line, slab[lf - 1] === CR ? lf - 1 : lf);
    if (contentLength < 0 && text.startsWith('content-length:')) {
      const digits = text.slice('content-length:'.length);
      if (!/^\d{1,10}$/.test(digits)) return undefined;
      contentLength = Number(digits);
    }
  }
  if (bodyStart < 0 || bodyStart > z) return undefined;
  const bodyEnds = contentLength >= 0 ? bodyStart + contentLength === z : slab.indexOf(NUL, bodyStart) === z;
  return bodyEnds ? { commandEnd, headersStart, headersEnd, bodyStart, bodyEnd: z } : undefined;
}

const PIECES = ['SEND', 'MESSAGE', 'CONNECTED', 'CONNECT', 'ERROR', 'x', '\n', '\n', '\n', '\r\n', '\r', '\0', '\0', '\\', '\\c', ':', 'destination:/a', 'content-length:', 'content-length:3', 'content-length:0', 'content-length: 2', '3', '12', 'ab', '{"sym":"ABC7"}', '\u00e9'];

/** A message: a frame-like start, then random pieces, now and then a tidy frame. */
function message(random: (n: number) => number): Buffer {
  if (random(3) === 0) {
    const eol = random(3) === 0 ? '\r\n' : '\n';
    const body = pick(random, ['', 'hello', 'a\0b', '{"sym":"ABC70"}', 'back\\slash']);
    const length = random(2) === 0 ? `content-length:${Buffer.byteLength(body) + (random(6) === 0 ? 1 : 0)}${eol}` : '';
    const value = pick(random, ['/t/1', '/t\\c1', 'a:b', '']);
    return Buffer.from(`${pick(random, ['MESSAGE', 'SEND', 'CONNECTED', '\nMESSAGE'])}${eol}destination:${value}${eol}${length}${eol}${body}\0${pick(random, ['', '\n', '\r\n', '\n\n', '\r'])}`, 'utf8');
  }
  const parts = [pick(random, ['MESSAGE\n', 'SEND\r\n', 'M', ''])];
  for (let n = 1 + random(12); n > 0; n--) parts.push(pick(random, PIECES));
  return Buffer.from(parts.join(''), 'utf8');
}

/** What the scan's `holds` answers, read from the bytes. */
const holdsIn = (slab: Buffer) => (bytes: Buffer, start: number, end: number): boolean => slab.subarray(start, end).includes(bytes);

describe('stompFrameBounds', () => {
  it('finds what the byte-by-byte reading finds, anywhere in a slab, with and without the scan\'s hits', () => {
    const random = seeded(83);
    let found = 0;
    for (let round = 0; round < 400; round++) {
      const messages = Array.from({ length: 1 + random(30) }, () => message(random));
      const slab = Buffer.concat(messages);
      const holds = holdsIn(slab);
      for (let at = 0, k = 0; k < messages.length; k++) {
        const end = at + (messages[k]?.length ?? 0);
        const expected = reference(slab, at, end);
        const label = JSON.stringify(slab.toString('latin1', at, end));
        expect(stompFrameBounds(slab, at, end), label).toEqual(expected);
        expect(stompFrameBounds(slab, at, end, holds), label).toEqual(expected);
        if (expected) found++;
        at = end;
      }
    }
    expect(found).toBeGreaterThan(400);
  });

  it('frames without an LF before their NUL, read in order, then a slab reused with other bytes', () => {
    const slab = Buffer.alloc(4096, 0x41);
    for (let at = 99; at < 3000; at += 100) slab[at] = NUL; // "AAAA…\0" frames: no LF anywhere before 3000
    for (let at = 0; at < 3000; at += 100) expect(stompFrameBounds(slab, at, at + 100)).toBeUndefined();
    // The same slab reused, now holding whole frames where the LF-free stretch was: what it
    // remembered may only reject (those frames are decoded), never take a frame the reading refuses.
    const frame = Buffer.from('MESSAGE\ndestination:/t\n\nhello\0', 'latin1');
    for (let at = 0; at + frame.length <= 3000; at += frame.length) frame.copy(slab, at);
    const bad = Buffer.from('MESSAGE\ndestination:/t\\c\n\nhello\0', 'latin1');
    bad.copy(slab, 3000);
    for (let at = 0; at + frame.length <= 3000; at += frame.length) {
      const found = stompFrameBounds(slab, at, at + frame.length);
      if (found !== undefined) expect(found).toEqual(reference(slab, at, at + frame.length));
    }
    expect(stompFrameBounds(slab, 3000, 3000 + bad.length)).toBeUndefined();
    // A frame outside the stretch is read afresh, and the stretch forgotten.
    const other = Buffer.from(frame);
    expect(stompFrameBounds(other, 0, other.length)).toEqual(reference(other, 0, other.length));
    expect(stompFrameBounds(slab, 0, frame.length)).toEqual(reference(slab, 0, frame.length));
  });
});

describe('AsciiTexts', () => {
  it('gives the Latin-1 text of ASCII bytes, over more values than it keeps and values of one hash slot, and nothing for other bytes', () => {
    const random = seeded(7);
    const texts = new AsciiTexts();
    const values = Array.from({ length: 2000 }, (_, i) => (random(3) === 0 ? `/topic/p${i % 500}` : pick(random, ['a', 'b', '', 'ab', 'ba', '/x'.repeat(1 + random(40)), `q${random(100000)}`])));
    for (let round = 0; round < 5; round++) {
      for (const value of values) {
        const slab = Buffer.from(`${'.'.repeat(random(5))}${value}${'.'.repeat(random(5))}`, 'latin1');
        const from = slab.indexOf(value);
        expect(texts.asciiText(slab, from, from + value.length)).toBe(value);
      }
      const wide = Buffer.from(`/t/caf\u00e9${round}`, 'utf8');
      expect(texts.asciiText(wide, 0, wide.length)).toBeUndefined();
    }
  });
});
