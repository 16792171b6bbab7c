import { describe, expect, it } from 'vitest';
import { compileSearchRegex, foldCase, linearEngineAvailable } from '../../../src-main/core/search/safe-regex';

describe('foldCase', () => {
  it.each([
    ['abc', '[aA][bB][cC]'],
    ['a+b*', '[aA]+[bB]*'],
    ['[a-f]x', '[a-fA-F][xX]'],
    ['[^A-Z0-9]', '[^A-Za-z0-9]'],
    ['[Z-a]', '[Z-azA]'],
    ['\\d\\w\\s\\bX', '\\d\\w\\s\\b[Xx]'],
    ['\\x41\\u0042\\cJ', '\\x41\\u0042\\cJ'],
    ['(?<name>k)\\k<name>', '(?<name>[kK])\\k<name>'],
    ['(?:ab)(?=c)(?!d)(?<=e)(?<!f)', '(?:[aA][bB])(?=[cC])(?![dD])(?<=[eE])(?<![fF])'],
    ['a{2,3}', '[aA]{2,3}'],
    ['é', '[éÉ]'],
    ['ß', 'ß'],
    ['[\\]a]', '[\\]aA]'],
    ['1\\1', '1\\1'],
  ])('%s → %s', (source, folded) => {
    expect(foldCase(source)).toBe(folded);
  });

  it('matches like the i flag on ordinary text', () => {
    for (const [pattern, text] of [
      ['hello w.rld', 'HeLLo WoRLD'],
      ['[a-c]+z', 'xxABCabcZ'],
      ['^type":"TICK', 'type":"tick"'],
      ['ÉTÉ', 'été'],
    ] as const) {
      expect(new RegExp(foldCase(pattern)).test(text)).toBe(new RegExp(pattern, 'i').test(text));
    }
  });
});

describe('compileSearchRegex', () => {
  it('compiles a good pattern, case-sensitive or not', () => {
    const sensitive = compileSearchRegex('"id":\\d+', false);
    expect(sensitive.ok && sensitive.regex.test('{"id":42}')).toBe(true);
    const insensitive = compileSearchRegex('ERROR', true);
    expect(insensitive.ok && insensitive.regex.test('an error here')).toBe(true);
    expect(insensitive.ok && insensitive.regex.flags).not.toContain('i');
  });

  it.each([
    ['(', 'Unterminated group'],
    ['a[', 'Unterminated character class'],
    ['*a', 'Nothing to repeat'],
    ['a{2,1}', 'numbers out of order'],
  ])('says what is wrong with %s', (pattern, words) => {
    const result = compileSearchRegex(pattern, false);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.message).toMatch(/^not a valid regular expression: /);
      expect(result.message).toContain(words);
    }
  });

  it('turns on the linear-engine fallback and refuses what it cannot run (backreferences, lookaround)', () => {
    expect(linearEngineAvailable()).toBe(true);
    for (const pattern of ['(a)\\1', '(?<x>a)\\k<x>', 'a(?=b)', 'a(?!b)', '(?<=a)b', '(?<!a)b']) {
      const result = compileSearchRegex(pattern, false);
      expect(result.ok, pattern).toBe(false);
      if (!result.ok) expect(result.message).toContain('backreference');
    }
  });

  it('runs a catastrophic pattern without backtracking for ever (it returns at all: the test would time out otherwise)', { timeout: 10_000 }, () => {
    for (const [pattern, ignoreCase] of [
      ['(a+)+$', false],
      ['(a|aa)+$', false],
      ['(A+)+$', true],
      ['^(\\w+\\s?)*$', false],
    ] as const) {
      const result = compileSearchRegex(pattern, ignoreCase);
      expect(result.ok, pattern).toBe(true);
      if (result.ok) expect(result.regex.test(`${'a'.repeat(40)}!`)).toBe(false);
    }
  });
});
