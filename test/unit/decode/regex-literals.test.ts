/**
 * regex-literals.ts: the text every match of a regex must hold, and its test on UTF-8 bytes.
 * Against the regex itself on generated patterns (literals, escapes, classes, groups, lookarounds,
 * quantifiers, anchors, `|`, the flags i, u, s, m) and generated strings, many of which match.
 */
import { describe, expect, it } from 'vitest';
import { RegexByteGate, regexLiterals } from '../../../src-main/core/decode/regex-literals';
import { pick, seeded } from './prefilter-harness';

describe('regexLiterals', () => {
  it('reads the sure head, tail and inner run of simple patterns', () => {
    const read = (regex: RegExp) => regexLiterals(regex);
    expect(read(/p7$/)).toEqual({ head: '', tail: 'p7', inner: 'p7' });
    expect(read(/^\/topic\/p7$/)).toEqual({ head: '/topic/p7', tail: '/topic/p7', inner: '/topic/p7' });
    expect(read(/price/)).toEqual({ head: '', tail: '', inner: 'price' });
    expect(read(/^ch/)).toEqual({ head: 'ch', tail: '', inner: 'ch' });
    expect(read(/(a|b)p7$/)).toEqual({ head: '', tail: 'p7', inner: 'p7' });
    expect(read(/p7?$/)).toEqual({ head: '', tail: '', inner: 'p' });
    expect(read(/ab*c$/)).toEqual({ head: '', tail: 'c', inner: 'a' });
    expect(read(/a{2}b$/)).toEqual({ head: '', tail: 'b', inner: 'b' });
    expect(read(/\d7$/)).toEqual({ head: '', tail: '7', inner: '7' });
    expect(read(/\x41B$/)).toEqual({ head: '', tail: 'B', inner: 'B' });
    expect(read(/\u0041B$/)).toEqual({ head: '', tail: 'B', inner: 'B' });
    expect(read(/\$x$/)).toEqual({ head: '', tail: '$x', inner: '$x' });
    expect(read(/x\\$/)).toEqual({ head: '', tail: 'x\\', inner: 'x\\' });
    expect(read(/[$|]x/)).toEqual({ head: '', tail: '', inner: 'x' });
    expect(read(/\p{L}é$/u)).toEqual({ head: '', tail: 'é', inner: 'é' });
    expect(read(/x😀?a$/u)).toEqual({ head: '', tail: 'a', inner: 'x' });
    // With i a letter may match another (P, the Kelvin sign for k): only other characters are sure.
    expect(read(/P7$/i)).toEqual({ head: '', tail: '7', inner: '7' });
    expect(read(/k$/iu)).toBeUndefined();
    // Nothing sure: a top-level |, m (line anchors), g or y (lastIndex), an empty pattern.
    expect(read(/a|p7$/)).toBeUndefined();
    expect(read(/p7$/m)).toBeUndefined();
    expect(read(/p7$/g)).toBeUndefined();
    expect(read(/p7$/y)).toBeUndefined();
    expect(read(new RegExp(''))).toBeUndefined();
    expect(read(/^$/)).toBeUndefined();
    expect(read(/(p7)$/)).toBeUndefined();
  });
});

/** Pieces of generated patterns: literals, escapes, classes, groups, lookarounds, assertions. */
const PIECES = ['a', 'b', 'p', '7', 'é', '😀', 'A', ':', '\\/', '\\.', '\\$', '\\\\', '\\|', '[ab]', '[^a]', '[\\]a]', '.', '(ab|7)', '(?:a)', '(?=p)', '(?<=a)', '(?!b)', '\\d', '\\w', '\\x61', '\\u0061', '\\b', '\\B', '\\s', '\\p{L}', '\\u{61}', '{', '}', ']', '{2,', '{1}', '\\k<n>', '(?<n>a)', '\\u{', '\\p{L', '\\c', '\\cA', '\\0', '\\1', '\\-', 'ſ'];
const QUANTIFIERS = ['', '', '', '*', '+', '?', '{1,2}', '??', '{2}'];
const FLAGS = ['', '', 'i', 'u', 's', 'iu', 'm', 'su'];
/** What generated strings are made of: the pieces' characters, case and fold partners, line breaks. */
const CHARS = ['a', 'b', 'p', '7', 'é', 'É', '😀', 'A', 'P', ':', '/', '.', '$', '\\', '|', 'ſ', 'K', 'k', '\n', '\r', ' ', ']', '{', '}', '\ud83d'];

function pattern(random: (n: number) => number): string {
  let source = random(3) === 0 ? '^' : '';
  const length = 1 + random(6);
  for (let k = 0; k < length; k++) source += pick(random, PIECES) + pick(random, QUANTIFIERS);
  if (random(8) === 0) source += `|${pick(random, PIECES)}`;
  return source + (random(2) === 0 ? '$' : '');
}

function text(random: (n: number) => number): string {
  return Array.from({ length: random(8) }, () => pick(random, CHARS)).join('');
}

describe('regexLiterals against the regex', () => {
  it('every match starts with the head, ends with the tail and holds the inner run, on generated patterns and strings', () => {
    const random = seeded(41);
    let matches = 0;
    let withLiteral = 0;
    for (let i = 0; i < 8000; i++) {
      let regex: RegExp;
      try {
        regex = new RegExp(pattern(random), pick(random, FLAGS));
      } catch {
        continue;
      }
      const literals = regexLiterals(regex);
      const gate = RegexByteGate.of(regex);
      for (let k = 0; k < 60; k++) {
        // Strings built around the literals now and then, so that many match.
        const made = literals && random(2) === 0 ? `${literals.head}${text(random)}${literals.inner}${text(random)}${literals.tail}` : text(random);
        const candidates = [made, made.toUpperCase(), made.toLowerCase()];
        for (const candidate of candidates) {
          if (!regex.test(candidate)) continue;
          matches++;
          if (!literals) continue;
          withLiteral++;
          const label = `${String(regex)} on ${JSON.stringify(candidate)}`;
          expect(candidate.startsWith(literals.head), label).toBe(true);
          expect(candidate.endsWith(literals.tail), label).toBe(true);
          expect(candidate.includes(literals.inner), label).toBe(true);
          // The bytes: well-formed text only (a lone surrogate has no UTF-8).
          const bytes = Buffer.from(candidate, 'utf8');
          if (bytes.toString('utf8') !== candidate) continue;
          const padded = Buffer.concat([Buffer.from('x:\u00e9'), bytes]);
          expect(gate?.mayMatch(bytes, 0, bytes.length), label).toBe(true);
          expect(gate?.suffixMayMatch(padded, 0, padded.length), label).toBe(true);
          expect(gate?.mayMatch(padded, padded.length - bytes.length, padded.length), label).toBe(true);
        }
      }
    }
    expect(matches).toBeGreaterThan(20_000);
    expect(withLiteral).toBeGreaterThan(5_000);
  });

  it('the gate turns away bytes whose text the regex fails on', () => {
    const gate = RegexByteGate.of(/^\/t\/p7$/);
    const check = (value: string): boolean | undefined => {
      const bytes = Buffer.from(`name:${value}`, 'utf8');
      return gate?.mayMatch(bytes, 5, bytes.length);
    };
    expect(check('/t/p7')).toBe(true);
    expect(check('/t/p70')).toBe(false);
    expect(check('x/t/p7')).toBe(false);
    expect(check('p7')).toBe(false);
    // The tail is not looked for before the value's start (`name:` holds no p7, but a short value must not reach into it).
    const tailOnly = RegexByteGate.of(/:p7$/);
    const line = Buffer.from('a:p7');
    expect(tailOnly?.mayMatch(line, 2, line.length)).toBe(false);
    expect(tailOnly?.suffixMayMatch(line, 0, line.length)).toBe(true);
    expect(RegexByteGate.of(/é$/u)?.mayMatch(Buffer.from('caf\u00e9'), 0, 5)).toBe(true);
    expect(RegexByteGate.of(/é$/u)?.mayMatch(Buffer.from('cafe\u0301'), 0, 6)).toBe(false);
  });
});
