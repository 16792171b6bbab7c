/**
 * The STOMP charset gate's shortcuts (stomp-charset-gate.ts): the content-type line found by a
 * walk over the header lines in JS, values compared in place with the last few seen
 * (stomp-content-type-values.ts), a value of ASCII without `charset` in any case answered
 * without reading it. Each frame's answer is checked against the decoder's: where the gate says
 * no, the decoded body must be what the probe reads from the bytes (text as UTF-8, or bytes for
 * a type that is not text); asked in many orders, so a kept value answers for frames after it.
 */
import { isAscii } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { stompFrameBounds } from '../../../src-main/core/decode/raw-prefilter';
import { bodyReading } from '../../../src-main/core/decode/stomp-body';
import { readsAsciiAsUtf8 } from '../../../src-main/core/decode/stomp-charset';
import { OtherCharsets } from '../../../src-main/core/decode/stomp-charset-gate';
import { StompDecoder } from '../../../src-main/core/decode/stomp-decoder';
import { pick, seeded } from './prefilter-harness';
import { binaryFrame } from './wire';

/** A frame with these header lines (each without its EOL) and body. */
function frameOf(lines: readonly string[], body: Buffer, eol = '\n'): Buffer {
  return Buffer.concat([Buffer.from(`MESSAGE${eol}${lines.map((line) => `${line}${eol}`).join('')}content-length:${body.length}${eol}${eol}`, 'utf8'), body, Buffer.from([0])]);
}

/**
 * Whether decoding the frame reads its body otherwise than as its bytes read as UTF-8 (text in
 * another charset that is not its ASCII bytes): what the gate must answer yes for.
 */
function readInOtherCharset(bytes: Buffer): boolean {
  const outcome = new StompDecoder().decode(binaryFrame(bytes));
  if (outcome?.kind !== 'decoded' || typeof outcome.value !== 'object' || outcome.value === null || Array.isArray(outcome.value)) return false;
  const headers = outcome.value.headers;
  const type = typeof headers === 'object' && headers !== null && !Array.isArray(headers) ? headers['content-type'] : undefined;
  const reading = bodyReading(typeof type === 'string' ? type : undefined);
  if (reading.kind !== 'charset') return false;
  const bounds = stompFrameBounds(bytes, 0, bytes.length);
  return !(readsAsciiAsUtf8(reading.encoding) && bounds !== undefined && isAscii(bytes.subarray(bounds.bodyStart, bounds.bodyEnd)));
}

function gate(charsets: OtherCharsets, bytes: Buffer): boolean | undefined {
  const bounds = stompFrameBounds(bytes, 0, bytes.length);
  return bounds && charsets.mayHold(bytes, bounds);
}

const E_ACUTE = Buffer.from([0x43, 0xe9, 0x37]); // Cé7 in Latin-1, not UTF-8
const ASCII = Buffer.from('{"sym":"ABC7"}');

/** Content-types where a shortcut could go wrong: case, quotes, spaces, prefixes of each other, unknown labels, long lines. */
const TYPES = [
  'application/json',
  'application/json;charset=utf-8',
  'application/json;charset=utf-16le',
  'text/plain;charset=iso-8859-1',
  'text/plain;CHARSET=ISO-8859-1',
  'text/plain; ChArSeT = "windows-1252"',
  'text/plain;charset="latin1"',
  'text/plain;charset=windows-1252;x=1',
  'text/plain;x="a;charset=utf-8";charset=latin1',
  'text/plain;charset=klingon',
  'text/plain;charset=shift_jis',
  'text/plain;charset=utf-16',
  'text/plain;charset=UTF-8',
  'text/plain; charset=utf-8 ',
  'application/octet-stream',
  'text/plain;charset=iso-8859-1\r',
  `text/plain;x=${'y'.repeat(200)};charset=iso-8859-1`,
  'text/plain;charset=iso-8859-1x',
  'text/plain',
  '',
];

describe('the STOMP charset gate', () => {
  it('answers yes for every frame whose body is decoded in another charset, no for the common ones', () => {
    const cases: { lines: string[]; body: Buffer; yes: boolean }[] = [
      { lines: ['destination:/t', 'content-type:text/plain;charset=iso-8859-1'], body: E_ACUTE, yes: true },
      // The parameter's name without case, and its value quoted with space around '=' (charsetParameter).
      { lines: ['destination:/t', 'content-type:text/plain;CHARSET=iso-8859-1'], body: E_ACUTE, yes: true },
      { lines: ['destination:/t', 'content-type:text/plain; ChArSeT = "windows-1252"'], body: E_ACUTE, yes: true },
      // ASCII in a charset that reads it as UTF-8: no; in utf-16le: yes.
      { lines: ['content-type:text/plain;charset=iso-8859-1'], body: ASCII, yes: false },
      { lines: ['content-type:text/plain;charset=utf-16le'], body: ASCII, yes: true },
      // No charset, UTF-8's, not text, an unknown label: the bytes are what the probe reads.
      { lines: ['content-type:application/json'], body: E_ACUTE, yes: false },
      { lines: ['content-type:application/json;charset=UTF-8'], body: E_ACUTE, yes: false },
      { lines: ['content-type:application/octet-stream'], body: E_ACUTE, yes: false },
      { lines: ['content-type:text/plain;charset=klingon'], body: E_ACUTE, yes: false },
      // The first content-type counts, after a long line (read natively past SHORT_LINE).
      { lines: [`x-long:${'z'.repeat(300)}`, 'content-type:text/plain;charset=latin1', 'content-type:text/plain'], body: E_ACUTE, yes: true },
      { lines: ['content-type:text/plain', `x-long:${'z'.repeat(300)}`, 'content-type:text/plain;charset=latin1'], body: E_ACUTE, yes: false },
      // content-type: inside another header's value names nothing.
      { lines: ['x-note:content-type:text/plain;charset=latin1'], body: E_ACUTE, yes: false },
    ];
    for (const { lines, body, yes } of cases) {
      for (const eol of ['\n', '\r\n']) {
        const bytes = frameOf(lines, body, eol);
        expect(readInOtherCharset(bytes), `${lines.join(' | ')} decoded`).toBe(yes);
        expect(gate(new OtherCharsets(), bytes), `${lines.join(' | ')} ${JSON.stringify(eol)}`).toBe(yes);
      }
    }
  });

  it('a line starting with a byte order mark before the first content-type answers yes (the parser may drop it)', () => {
    const bytes = frameOf(['\ufeffcontent-type:text/plain;charset=latin1;x=\ufffd', 'content-type:text/plain'], E_ACUTE);
    expect(readInOtherCharset(bytes)).toBe(true);
    expect(gate(new OtherCharsets(), bytes)).toBe(true);
    // After it, it cannot come first: the first line decides.
    expect(gate(new OtherCharsets(), frameOf(['content-type:text/plain', '\ufeffcontent-type:text/plain;charset=latin1;x=\ufffd'], E_ACUTE))).toBe(false);
  });

  it('a kept value answers only for the same value: not a longer one it starts, nor one ending in another CR', () => {
    const charsets = new OtherCharsets();
    expect(gate(charsets, frameOf(['content-type:text/plain'], E_ACUTE))).toBe(false);
    expect(gate(charsets, frameOf(['content-type:text/plain;charset=latin1'], E_ACUTE))).toBe(true);
    expect(gate(charsets, frameOf(['content-type:text/plain;charset=latin1'], E_ACUTE, '\r\n'))).toBe(true);
    // `text/plain;charset=utf-8` kept; then the same with a CR of its own (the value `…utf-8\r`): still UTF-8, read again.
    expect(gate(charsets, frameOf(['content-type:text/plain;charset=utf-8'], E_ACUTE))).toBe(false);
    const withCr = frameOf(['content-type:text/plain;charset=latin1\r'], E_ACUTE, '\r\n');
    expect(readInOtherCharset(withCr)).toBe(true);
    expect(gate(charsets, withCr)).toBe(true);
  });

  it('agrees with decoding on generated frames asked in random order (kept values reused and replaced)', () => {
    const random = seeded(9090);
    const charsets = new OtherCharsets();
    let yes = 0;
    let no = 0;
    for (let k = 0; k < 3000; k++) {
      const type = pick(random, TYPES);
      const lines = ['destination:/t/p7', ...(type === '' && random(2) === 0 ? [] : [`content-type:${type}`])];
      if (random(4) === 0) lines.splice(random(lines.length + 1), 0, pick(random, ['x-a:b', `x-long:${'q'.repeat(150)}`, 'content-type:text/plain;charset=latin1', 'x-note:content-type:text/plain;charset=latin1']));
      const body = pick(random, [E_ACUTE, ASCII, Buffer.from('日本', 'utf8'), Buffer.from([0x7f])]);
      const bytes = frameOf(lines, body, random(3) === 0 ? '\r\n' : '\n');
      const expected = readInOtherCharset(bytes);
      // Never no where the body is decoded in another charset; no shortcut makes it yes where it is not (no BOM, no U+FFFD here).
      expect(gate(charsets, bytes), `${lines.join(' | ')} ${body.toString('hex')}`).toBe(expected);
      if (expected) yes++;
      else no++;
    }
    expect(yes).toBeGreaterThan(500);
    expect(no).toBeGreaterThan(500);
  });
});
