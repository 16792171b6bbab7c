/** quote(): outside text in a summary or a problem, printable and short. */
import { describe, expect, it } from 'vitest';
import { quote } from '../../../src-main/core/decode/decoded-frame';

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
