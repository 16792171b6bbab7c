/**
 * json-text-check.ts against what it stands for: a strict UTF-8 TextDecoder, then JSON.parse of
 * a text that opens with `{` or `[` (payload-value.ts readPayload's JSON). Crafted edges of every
 * rule, then thousands of generated texts, valid and broken (a byte dropped, inserted, replaced,
 * the text cut short), each checked both ways.
 */
import { describe, expect, it } from 'vitest';
import { MAX_NESTING, isJsonContainerText } from '../../../src-main/core/decode/json-text-check';
import { damaged, pick, seeded } from './prefilter-harness';
import { randomJson } from './random-json';

const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The reference: the bytes read as readPayload reads them, and a parsed object or array. */
function reference(bytes: Uint8Array): boolean {
  let text: string;
  try {
    text = strict.decode(bytes);
  } catch {
    return false;
  }
  let at = 0;
  while (at < text.length && ' \t\n\r'.includes(text.charAt(at))) at++;
  if (text.charAt(at) !== '{' && text.charAt(at) !== '[') return false;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** Checked inside a larger buffer, so nothing past `end` is read as the text's. */
function checked(bytes: Uint8Array): boolean {
  const padded = Buffer.concat([Buffer.from('["x",'), bytes, Buffer.from('1]}"\\')]);
  return isJsonContainerText(padded, 5, 5 + bytes.length);
}

function expectSame(bytes: Uint8Array, label = Buffer.from(bytes).toString('latin1')): void {
  expect(checked(bytes), JSON.stringify(label)).toBe(reference(bytes));
}

/** Escapes and text the hand-written generator (random-json.ts) leaves out. */
const ESCAPED = ['\\n', '\\"', '\\\\', '\\/', '\\b\\f\\r\\t', '\\u0041', '\\ud800', '\\udc00x', '\\uD83D\\uDE00', '\\u00e9', '\\x', '\\u12', '\\u12g4', '\\', '\\U0041', '\t', '\u0001', '\u007f', '\u2028', '\u00e9', '\u{1f600}'];

function randomText(random: (n: number) => number): Buffer {
  let text = randomJson(random, 1 + random(4));
  // Some strings get escapes, some raw control characters or non-ASCII.
  text = text.replace(/"([^"]*)"/g, (whole, inner: string) => (random(4) === 0 ? `"${inner}${pick(random, ESCAPED)}"` : whole));
  if (random(8) === 0) text = ` ${text}\n`;
  return Buffer.from(text, 'utf8');
}

/** The bytes a damaged text gets inserted or written over one (prefilter-harness.ts damaged). */
const MUTATED_BYTES = [0x22, 0x5c, 0x2c, 0x3a, 0x7b, 0x7d, 0x5b, 0x5d, 0x30, 0x2d, 0x2e, 0x65, 0x20, 0x0b, 0x0c, 0x00, 0x80, 0xbf, 0xc0, 0xc3, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff, 0x61, 0x74];

describe('a JSON object or array as readPayload takes it (json-text-check.ts)', () => {
  it('takes what JSON.parse takes and refuses the rest, rule by rule', () => {
    const cases = [
      '{}', '[]', ' \t\r\n{ } \n', '[1,2,3]', '{"a":1,"a":2}', '{"a" : [ true , false , null ] }', '[[[[]]]]',
      '7', '"x"', 'true', 'null', '', ' ', '{', '[', '}', '{]', '[}', '{"a"}', '{"a":}', '{a:1}', '{"a":1,}', '[1,]', '[,1]', '[1 2]', '{"a":1 "b":2}', "{'a':1}",
      '[0]', '[-0]', '[01]', '[-01]', '[1.]', '[.5]', '[1.5]', '[1e5]', '[1E+5]', '[1e-5]', '[1e]', '[1e+]', '[-]', '[+1]', '[1.5e3]', '[0x10]', '[Infinity]', '[NaN]', '[1e400]', '[-1e400]', '[12345678901234567890123]',
      '[tru]', '[truee]', '[True]', '[nul]', '[fals]',
      '["\\n"]', '["\\x"]', '["\\u00e9"]', '["\\u00E9"]', '["\\u00g9"]', '["\\u12"]', '["\\"]', '["\\\\"]', '["\\ud800"]', '["a\tb"]', '["a\u0000b"]', '["\u007f"]',
      '[1]\u000b', '\u000b[1]', '\u000c[1]', '[1]x', '[1][2]', '[1] ', '\u00a0[1]', '\u2028[1]', '["\u2028"]', '[\u2028]',
    ];
    for (const text of cases) expectSame(Buffer.from(text, 'utf8'), text);
  });

  it('reads UTF-8 as the fatal TextDecoder does: overlong forms, surrogates, past U+10FFFF, cut sequences', () => {
    const sequences = [
      [0xc3, 0xa9], [0xc0, 0xaf], [0xc1, 0xbf], [0xc2, 0x80], [0xdf, 0xbf], [0xc3], [0xc3, 0x41], [0x80], [0xbf],
      [0xe0, 0x9f, 0xbf], [0xe0, 0xa0, 0x80], [0xed, 0x9f, 0xbf], [0xed, 0xa0, 0x80], [0xed, 0xbf, 0xbf], [0xee, 0x80, 0x80], [0xef, 0xbf, 0xbf], [0xe2, 0x82], [0xe2, 0x28, 0xa1],
      [0xf0, 0x8f, 0xbf, 0xbf], [0xf0, 0x90, 0x80, 0x80], [0xf4, 0x8f, 0xbf, 0xbf], [0xf4, 0x90, 0x80, 0x80], [0xf5, 0x80, 0x80, 0x80], [0xf0, 0x9f, 0x98], [0xff], [0xfe],
    ];
    for (const sequence of sequences) {
      expectSame(Buffer.concat([Buffer.from('["'), Buffer.from(sequence), Buffer.from('"]')]));
      expectSame(Buffer.concat([Buffer.from('{"'), Buffer.from(sequence), Buffer.from('":1}')]));
      expectSame(Buffer.concat([Buffer.from('['), Buffer.from(sequence), Buffer.from(']')]));
    }
  });

  it(`answers false past ${MAX_NESTING} levels and is right up to them`, () => {
    expectSame(Buffer.from('['.repeat(MAX_NESTING) + ']'.repeat(MAX_NESTING)));
    expectSame(Buffer.from('['.repeat(MAX_NESTING) + ']'.repeat(MAX_NESTING - 1)));
    expect(checked(Buffer.from('['.repeat(MAX_NESTING + 1) + ']'.repeat(MAX_NESTING + 1)))).toBe(false);
  });

  it('agrees with TextDecoder and JSON.parse on 6,000 generated texts and 24,000 broken ones', () => {
    const random = seeded(8259);
    let valid = 0;
    for (let n = 0; n < 6000; n++) {
      const bytes = randomText(random);
      if (reference(bytes)) valid++;
      expectSame(bytes);
      for (let m = 0; m < 4; m++) expectSame(damaged(random, bytes, MUTATED_BYTES));
    }
    // Not vacuous: over a third of the generated texts are JSON (a top-level scalar or a bad escape is not).
    expect(valid).toBeGreaterThan(2000);
  });
});
