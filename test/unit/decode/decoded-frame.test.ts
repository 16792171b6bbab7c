/** quote(): outside text in a summary or a problem, printable and short; messageBuffer(): a message's bytes as a Buffer. */
import { describe, expect, it } from 'vitest';
import { messageBuffer, quote } from '../../../src-main/core/decode/decoded-frame';

describe('quote', () => {
  it.each([
    ['plain text as it is', 'chat', "'chat'"],
    ['empty', '', "''"],
    ['control characters as \\x escapes', 'a\u0000b\nc\u001fd\u007f', "'a\\x00b\\x0ac\\x1fd\\x7f'"],
    ['a control character only after the cut is not shown', `${'x'.repeat(60)}\n`, `'${'x'.repeat(60)}…'`],
    ['cut at 60 characters', 'y'.repeat(61), `'${'y'.repeat(60)}…'`],
    ['non-ASCII kept', 'caf\u00e9 \u{1f600}', "'caf\u00e9 \u{1f600}'"],
  ])('%s', (_name, text, quoted) => {
    expect(quote(text)).toBe(quoted);
  });

  it('the same text twice in a row (the test regular expression keeps no position)', () => {
    expect(quote('a\nb')).toBe("'a\\x0ab'");
    expect(quote('a\nb')).toBe("'a\\x0ab'");
    expect(quote('ok')).toBe("'ok'");
  });
});

describe('messageBuffer', () => {
  it.each([1, 40, 64, 65, 300])('%i bytes: the same bytes, a view of a large message, a copy of a small one', (size) => {
    const bytes = new Uint8Array(size).map((_, i) => i & 0xff);
    const buffer = messageBuffer(bytes);
    expect(Buffer.isBuffer(buffer)).toBe(true);
    expect([...buffer]).toEqual([...bytes]);
    bytes[0] = 0xee;
    expect(buffer[0]).toBe(size > 64 ? 0xee : 0);
  });

  it('a view into part of a larger buffer reads only the message', () => {
    const slab = Buffer.from('xxhello worldyy'.repeat(10));
    expect(messageBuffer(slab.subarray(2, 13)).toString('utf8')).toBe('hello world');
    expect(messageBuffer(slab.subarray(2, 102)).toString('utf8')).toBe(slab.subarray(2, 102).toString('utf8'));
    expect(messageBuffer(new Uint8Array(0)).length).toBe(0);
  });
});
