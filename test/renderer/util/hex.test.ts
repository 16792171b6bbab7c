import { describe, expect, it } from 'vitest';
import { bytesToBase64, bytesToHex, hexDump, hexRow, offsetDigits, parseBase64, parseHex } from '../../../src-renderer/src/util/hex';

const bytes = (...values: number[]) => new Uint8Array(values);

describe('parseHex', () => {
  it.each([
    ['de ad be ef', [0xde, 0xad, 0xbe, 0xef]],
    ['DEADBEEF', [0xde, 0xad, 0xbe, 0xef]],
    ['0x01 0x02\n0a', [1, 2, 10]],
    ['  ', []],
    ['', []],
  ])('parses %j', (input, expected) => {
    const parsed = parseHex(input);
    expect(parsed).toEqual({ ok: true, value: bytes(...expected) });
  });

  it('points at a character that is not a hex digit', () => {
    const parsed = parseHex('de ag');
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toBe('“g” at position 5 is not a hex digit (0–9, a–f).');
  });

  it('names a group with a missing digit', () => {
    const parsed = parseHex('de adb ef');
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toContain('“adb” at position 4 has an odd number of hex digits');
  });

  it('shows a control character by its code point', () => {
    const parsed = parseHex('de\u0000');
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toContain('U+0000 at position 3');
  });
});

describe('parseBase64', () => {
  it.each([
    ['aGVsbG8=', 'hello'],
    ['aGVsbG8', 'hello'],
    ['aGVs\nbG8=', 'hello'],
    ['', ''],
    ['YQ==', 'a'],
  ])('decodes %j', (input, expected) => {
    const parsed = parseBase64(input);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(new TextDecoder().decode(parsed.value)).toBe(expected);
  });

  it('accepts the URL-safe alphabet', () => {
    expect(parseBase64('-_8=')).toEqual({ ok: true, value: bytes(0xfb, 0xff) });
  });

  it.each([
    ['aGV$bG8=', '“$” at position 4 is not a base64 character'],
    ['aGVsb', '5 base64 characters cannot be decoded'],
    ['YQ=x', 'padding may only come at the end'],
    ['YQ===', 'Too much “=” padding'],
    ['YWJ==', 'padding does not match the length'],
  ])('rejects %j', (input, message) => {
    const parsed = parseBase64(input);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toContain(message);
  });
});

describe('bytesToBase64', () => {
  it('matches the platform encoder for every tail length', () => {
    for (const text of ['', 'a', 'ab', 'abc', 'abcd', 'hello world']) {
      expect(bytesToBase64(new TextEncoder().encode(text))).toBe(btoa(text));
    }
  });

  it('round-trips every byte value', () => {
    const all = new Uint8Array(256).map((_, i) => i);
    const parsed = parseBase64(bytesToBase64(all));
    expect(parsed).toEqual({ ok: true, value: all });
  });
});

describe('hex dump', () => {
  it('formats bytes as hex', () => {
    expect(bytesToHex(bytes(0, 15, 255))).toBe('00 0f ff');
    expect(bytesToHex(bytes(0, 15, 255), '')).toBe('000fff');
  });

  it('lays out a row with offset, two groups and ASCII', () => {
    const data = new TextEncoder().encode('Hello, WebSocket!\x00\x7f');
    expect(hexRow(data, 0)).toEqual({
      offset: '00000000',
      hex: '48 65 6c 6c 6f 2c 20 57  65 62 53 6f 63 6b 65 74',
      ascii: 'Hello, WebSocket',
    });
    const last = hexRow(data, 1);
    expect(last.offset).toBe('00000010');
    expect(last.hex).toBe(`21 00 7f${'   '.repeat(5)}  ${'   '.repeat(7)}  `);
    expect(last.ascii).toBe('!..');
  });

  it('writes offsets in as many hex digits as the payload needs, at least 4', () => {
    expect([0, 1, 0x10000, 0x10001, 0x100000, 0x100001, 16 * 1024 * 1024 + 1].map(offsetDigits)).toEqual([4, 4, 4, 5, 5, 6, 7]);
    const data = new TextEncoder().encode('Hello, WebSocket!');
    expect(hexRow(data, 2, 8, offsetDigits(data.length)).offset).toBe('0010');
    expect(hexRow(data, 2, 8).offset).toBe('00000010');
  });

  it('lays out 8 bytes a row for a narrow pane', () => {
    const data = new TextEncoder().encode('Hello, WebSocket!');
    expect(hexRow(data, 1, 8)).toEqual({ offset: '00000008', hex: '65 62 53 6f  63 6b 65 74', ascii: 'ebSocket' });
  });

  it('dumps every row for the clipboard, keeping the columns aligned', () => {
    const dump = hexDump(new TextEncoder().encode('0123456789abcdefXY'));
    const lines = dump.split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^00000010  58 59 +XY$/);
    expect(lines[0]?.indexOf('0123')).toBe(lines[1]?.indexOf('XY'));
  });
});
