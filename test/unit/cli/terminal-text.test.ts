import { describe, expect, it } from 'vitest';
import { printable, terminalJson, terminalJsonText } from '../../../src-main/cli/terminal-text';

describe('printable', () => {
  it.each([
    ['plain text ✓', 'plain text ✓'],
    ['a\nb\r\tc', 'a\\nb\\r\\tc'],
    ['\u001b]0;pwned\u0007', '\\x1b]0;pwned\\x07'],
    ['\u001b[2J\u001b[1A', '\\x1b[2J\\x1b[1A'],
    ['\u0000\u007f', '\\x00\\u007f'],
    // 8-bit CSI and NEL (C1), bidi overrides and isolates, line separators
    ['\u009b31m\u0085', '\\u009b31m\\u0085'],
    ['abc\u202edef\u2066x\u2069', 'abc\\u202edef\\u2066x\\u2069'],
    ['\u2028\u2029', '\\u2028\\u2029'],
  ])('%j → %j', (input, expected) => {
    expect(printable(input)).toBe(expected);
  });
});

describe('terminalJson', () => {
  it('escapes what JSON.stringify leaves raw, and stays the same JSON', () => {
    const value = { name: 'a\u001b[2J\u009b\u202eb', n: 1 };
    const text = terminalJson(value);
    expect(text).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e]/);
    expect(JSON.parse(text)).toEqual(value);
  });

  it('works on pretty-printed JSON text too', () => {
    const value = { list: ['\u2066x\u2069'] };
    const text = terminalJsonText(JSON.stringify(value, null, 2));
    expect(text).toContain('\\u2066x\\u2069');
    expect(JSON.parse(text)).toEqual(value);
  });
});
