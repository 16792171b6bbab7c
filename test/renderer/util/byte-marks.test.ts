import { describe, expect, it } from 'vitest';
import { searchProblem, toEngineFilter, defaultFilter, type SearchQuery } from '../../../src-renderer/src/frame-view/frame-filter';
import { byteNeedle, bytesOfSpacedHex, findBytes, hexPreviewSegments, hexRowMarks } from '../../../src-renderer/src/util/byte-marks';
import { hexRow } from '../../../src-renderer/src/util/hex';

const q = (query: string, payloadAs: SearchQuery['payloadAs'], caseSensitive = false): SearchQuery => ({ query, mode: 'text', caseSensitive, payloadAs });

describe('what a search asks the engine for', () => {
  it('hex and base64 send the typed text with its mode, and no ignoreCase', () => {
    expect(toEngineFilter(defaultFilter(), q('38 38', 'hex'))).toEqual({ text: '38 38', textAs: 'hex' });
    expect(toEngineFilter(defaultFilter(), q('3q2+7w==', 'base64'))).toEqual({ text: '3q2+7w==', textAs: 'base64' });
    expect(toEngineFilter(defaultFilter(), q('88', 'text'))).toEqual({ text: '88', ignoreCase: true });
    // The choice belongs to text searches: a regular expression is a regular expression.
    expect(toEngineFilter(defaultFilter(), { query: '8+', mode: 'regex', caseSensitive: true, payloadAs: 'hex' })).toEqual({ regex: '8+' });
  });

  it('says at once what is wrong with hex or base64', () => {
    expect(searchProblem(q('38 3', 'hex'))).toContain('odd number of hex digits');
    expect(searchProblem(q('zz', 'hex'))).toContain('“z” at position 1 is not a hex digit');
    expect(searchProblem(q('0x', 'hex'))).toBe('The hex search holds no byte.');
    expect(searchProblem(q('a*', 'base64'))).toContain('“*” at position 2 is not a base64 character');
    expect(searchProblem(q('0x38 0X38', 'hex'))).toBeNull();
  });
});

describe('marking bytes', () => {
  it('finds whole, non-overlapping bytes, ASCII case folded for text searches', () => {
    const needle = byteNeedle(q('38', 'hex'));
    expect(needle).not.toBeNull();
    if (!needle) return;
    expect(findBytes(new Uint8Array([0x03, 0x83, 0x38, 0x38]), needle)).toEqual([
      { start: 2, end: 3 },
      { start: 3, end: 4 },
    ]);
    const text = byteNeedle(q('Ab', 'text'));
    expect(text && findBytes(new TextEncoder().encode('xaBab'), text)).toEqual([
      { start: 1, end: 3 },
      { start: 3, end: 5 },
    ]);
    const exact = byteNeedle(q('Ab', 'text', true));
    expect(exact && findBytes(new TextEncoder().encode('xaBab'), exact)).toEqual([]);
    expect(byteNeedle({ query: 'a', mode: 'regex', caseSensitive: false })).toBeNull();
    expect(byteNeedle(q('3g', 'hex'))).toBeNull();
  });

  it('marks a spaced hex preview on byte boundaries, ignoring the … of a cut preview', () => {
    expect(bytesOfSpacedHex('38 38 ff…')).toEqual(new Uint8Array([0x38, 0x38, 0xff]));
    expect(hexPreviewSegments('03 83 38 38…', byteNeedle(q('3838', 'hex')))).toEqual([
      { text: '03 83 ', match: false },
      { text: '38 38', match: true },
      { text: '…', match: false },
    ]);
    expect(hexPreviewSegments('03 83', byteNeedle(q('38', 'hex')))).toEqual([{ text: '03 83', match: false }]);
  });

  it('marks a hex dump row in both columns, a hit across the middle gap or into the next row too', () => {
    const bytes = new Uint8Array(20).map((_, i) => 0x41 + i);
    const row0 = hexRow(bytes, 0, 16);
    const marks = hexRowMarks(0, 16, [{ start: 7, end: 9 }]);
    expect(marks.hex.map((r) => row0.hex.slice(r.start, r.end))).toEqual(['48  49']);
    expect(marks.ascii.map((r) => row0.ascii.slice(r.start, r.end))).toEqual(['HI']);
    const split = [{ start: 15, end: 17 }];
    expect(hexRowMarks(0, 16, split).ascii).toEqual([{ start: 15, end: 16 }]);
    expect(hexRowMarks(16, 16, split).ascii).toEqual([{ start: 0, end: 1 }]);
  });
});
