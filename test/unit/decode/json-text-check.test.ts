/**
 * json-text-check.ts against what it stands for: a strict UTF-8 TextDecoder, then JSON.parse of
 * a text that opens with `{` or `[` (payload-value.ts readPayload's JSON). Crafted edges of every
 * rule, then thousands of generated texts, valid and broken (a byte dropped, inserted, replaced,
 * the text cut short), each checked both ways.
 */
import { describe, expect, it } from 'vitest';
import { followJsonPath } from '../../../src-main/core/decode/json-path-follow';
import { MAX_NESTING, NOT_JSON, followCheckedJsonPath, isJsonContainerText, type CheckedProbe } from '../../../src-main/core/decode/json-text-check';
import { toJsonValue } from '../../../src-main/core/decode/json-value';
import { ABSENT, CONTAINER, UNSURE, probeSteps, type ProbeStep } from '../../../src-main/core/decode/value-probe';
import { holdsForValue, holdsWhenAbsent, matchesDecodedQuery, parseDecodedQuery, type QueryStep } from '../../../src-main/shared/decoded-query';
import { damaged, pick, seeded } from './prefilter-harness';
import { pathText, randomJson, randomSteps } from './random-json';

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

// ---- followCheckedJsonPath: the check and the path in one pass ----

/** The query texts tried at each path: comparisons of every kind, a regular expression, the path alone. */
const TESTS = [' >= 0', " == 'r1'", " != 'x'", ' == true', ' == null', ' < 7', " =~ /^r/", ''];

type Follower = (bytes: Buffer, start: number, end: number, steps: readonly ProbeStep[]) => CheckedProbe;

/** The text as readPayload reads it and JSON.parse's value as the decoder shows it (toJsonValue), or undefined when it shows no JSON container. */
function parsedValue(bytes: Uint8Array): { value: unknown } | undefined {
  if (!reference(bytes)) return undefined;
  return { value: toJsonValue(JSON.parse(strict.decode(bytes))) };
}

/**
 * What the follower says wrongly of the text at the path, else undefined: an answer (other than
 * UNSURE) for a text that is no JSON container, or an answer a query over the path decides
 * otherwise than matchesDecodedQuery over JSON.parse's value. Read inside a larger buffer.
 */
function wrongAnswer(follow: Follower, bytes: Buffer, path: readonly QueryStep[]): string | undefined {
  const steps = probeSteps(path);
  if (!steps) throw new Error('a path the follower does not take');
  const padded = Buffer.concat([Buffer.from('["x",'), bytes, Buffer.from('1]}"\\')]);
  const got = follow(padded, 5, 5 + bytes.length, steps);
  if (got === UNSURE) return undefined;
  const parsed = parsedValue(bytes);
  if (!parsed) return got === NOT_JSON ? undefined : `an answer for a text that is not JSON`;
  if (got === NOT_JSON) return 'NOT_JSON for JSON';
  for (const test of TESTS) {
    const query = parseDecodedQuery(`$${pathText(path)}${test}`);
    if (!query.ok) throw new Error(query.error);
    const clause = query.query.clauses[0];
    if (!clause) throw new Error('no clause');
    const says = got === ABSENT ? holdsWhenAbsent(clause.test) : holdsForValue(clause.test, got);
    if (says !== matchesDecodedQuery(query.query, parsed.value)) return `${pathText(path)}${test}: ${String(says)}`;
  }
  return undefined;
}

/** A path that often selects something in the text: the way to one of its values, read from JSON.parse's value. */
function pathInto(random: (n: number) => number, value: unknown): QueryStep[] {
  const path: QueryStep[] = [];
  let at = value;
  while (typeof at === 'object' && at !== null && random(5) !== 0) {
    if (Array.isArray(at)) {
      if (at.length === 0) break;
      const index = random(at.length);
      path.push({ kind: 'index', index });
      at = at[index];
    } else {
      const keys = Object.keys(at).filter((key) => !key.startsWith('$'));
      const key = keys[random(keys.length)];
      if (key === undefined) break;
      path.push({ kind: 'key', name: key });
      at = (at as Record<string, unknown>)[key];
    }
  }
  return path;
}

/** Wrong answers of a follower over generated texts and paths; every text also broken at every position after the value the path selects. */
function wrongAnswers(follow: Follower, texts: number, seed: number): { wrong: string[]; proven: number } {
  const random = seeded(seed);
  const wrong: string[] = [];
  let proven = 0;
  const note = (bytes: Buffer, path: readonly QueryStep[]): void => {
    const why = wrongAnswer(follow, bytes, path);
    if (why !== undefined) wrong.push(`${JSON.stringify(bytes.toString('latin1'))} ${why}`);
  };
  for (let n = 0; n < texts; n++) {
    const bytes = random(3) === 0 ? randomText(random) : Buffer.from(randomJson(random, 1 + random(4)), 'utf8');
    const parsed = parsedValue(bytes);
    const path = parsed && random(4) !== 0 ? pathInto(random, parsed.value) : randomSteps(random, 4);
    const steps = probeSteps(path);
    if (!steps) continue;
    note(bytes, path);
    const got = follow(bytes, 0, bytes.length, steps);
    if (got !== UNSURE && got !== NOT_JSON && got !== ABSENT) proven++;
    // Broken at every position, so after the value the path selects too (a follower that stops
    // there answers for them): cut there (a third of the positions), a byte written over, one put in.
    for (let at = bytes.length; at >= 0; at--) {
      if (random(3) === 0 || at === bytes.length) note(bytes.subarray(0, at), path);
      const over = Buffer.from(bytes);
      if (at < bytes.length) {
        over[at] = pick(random, MUTATED_BYTES);
        note(over, path);
      }
      note(Buffer.concat([bytes.subarray(0, at), Buffer.from([pick(random, MUTATED_BYTES)]), bytes.subarray(at)]), path);
    }
  }
  return { wrong, proven };
}

describe('followCheckedJsonPath: the check and the path in one pass (json-text-check.ts)', () => {
  it('answers as JSON.parse and matchesDecodedQuery decide, on generated texts broken at every position', () => {
    const { wrong, proven } = wrongAnswers(followCheckedJsonPath, 2500, 4627);
    expect(wrong.slice(0, 5)).toEqual([]);
    // Not vacuous: hundreds of texts had a value followed and given (882 of 2,500 here).
    expect(proven).toBeGreaterThan(600);
  });

  it('catches a follower that stops reading at the value (followJsonPath alone, the text not checked)', () => {
    const { wrong } = wrongAnswers(followJsonPath, 300, 4627);
    expect(wrong.length).toBeGreaterThan(50);
  });

  it('catches a follower that checks the text only up to the value it selects', () => {
    const upToValue: Follower = (bytes, start, end, steps) => {
      const got = followCheckedJsonPath(bytes, start, end, steps);
      if (got !== NOT_JSON) return got;
      // Sabotage: what the follower alone says, as if the bytes after the value were never read.
      const alone = followJsonPath(bytes, start, end, steps);
      return alone === ABSENT ? NOT_JSON : alone;
    };
    const { wrong } = wrongAnswers(upToValue, 300, 4627);
    expect(wrong.length).toBeGreaterThan(50);
  });

  it.each([
    ['{"a":1,"a":2}', ['a'], 2],
    ['{"a":{"b":1},"a":{"c":1}}', ['a', 'b'], ABSENT],
    ['{"a":{"b":1},"a":3}', ['a', 'b'], ABSENT],
    ['{"a":{"b":1,"b":[]}}', ['a', 'b'], CONTAINER],
    ['[ 1 , [ 2 , 3 ] ]', [1, 1], 3],
    ['[[0,1],[2,3],4]', [1, 0], 2],
    ['[[],[5]]', [1, 0], 5],
    ['[{"a":[9]},{"a":[7,8]}]', [1, 'a', 1], 8],
    ['[1,2]', [2], ABSENT],
    ['{"a":"[1,2]"}', ['a', 0], UNSURE],
    ['{"a":"x[1]"}', ['a', 0], ABSENT],
    ['{"a":"x\\n"}', ['a'], UNSURE],
    ['{"a\\u0062":1}', ['ab'], UNSURE],
    ['{"b":"x\\"y","a":1}', ['a'], 1],
    ['{"x":{"a\\u0062":1},"a":2}', ['a'], 2],
    ['{"a":1e400}', ['a'], 'Infinity'],
    ['{"a":-0}', ['a'], -0],
    ['{"a":-1.5e2}', ['a'], -150],
    ['{"a":12345678901234567890}', ['a'], 12345678901234567000],
    ['{"a":"caf\u00e9"}', ['a'], 'caf\u00e9'],
    ['  {"a" :\n true }  ', ['a'], true],
    ['{"a":1}x', ['a'], NOT_JSON],
    ['{"a":1,}', ['a'], NOT_JSON],
    ['{"a":1,"b":01}', ['a'], NOT_JSON],
    ['{"a":1,"b":"\u0001"}', ['a'], NOT_JSON],
    ['[1,2', [0], NOT_JSON],
    ['{"seq":5} {', ['seq'], NOT_JSON],
    ['{}', [], CONTAINER],
    ['7', [], NOT_JSON],
  ] as const)('%s %j', (text, path, want) => {
    const steps = probeSteps(path.map((step): QueryStep => (typeof step === 'number' ? { kind: 'index', index: step } : { kind: 'key', name: step })));
    if (!steps) throw new Error('path');
    const bytes = Buffer.from(text, 'utf8');
    expect(followCheckedJsonPath(bytes, 0, bytes.length, steps)).toEqual(want);
  });
});
