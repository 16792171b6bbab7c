/**
 * json-path-follow.ts: on random valid JSON texts without a backslash, what a path of names and
 * indexes selects equals what it selects in JSON.parse's value (as json-value.ts shows it), but
 * where the path goes on into a string that opens a JSON object or array: UNSURE there, only there;
 * inside a larger buffer it reads only its own bytes; a backslash or bad UTF-8 on the way, and
 * texts cut anywhere, give UNSURE or some answer, never a throw.
 */
import { describe, expect, it } from 'vitest';
import { followJsonPath } from '../../../src-main/core/decode/json-path-follow';
import { toJsonValue } from '../../../src-main/core/decode/json-value';
import { ABSENT, CONTAINER, UNSURE, probeSteps, type Probed } from '../../../src-main/core/decode/value-probe';
import { selectPath, type QueryStep } from '../../../src-main/shared/decoded-query';
import { seeded } from './prefilter-harness';
import { randomJson, randomSteps } from './random-json';

/** A selected value as a probe answers it. */
function answer(found: unknown[]): Probed {
  if (found.length === 0) return ABSENT;
  const value = found[0];
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'object') return CONTAINER;
  throw new Error(`selectPath gave ${typeof value}`);
}

/** What the path selects in JSON.parse's value, as a probe answers it. */
function expected(text: string, path: readonly QueryStep[]): Probed {
  return answer(selectPath(toJsonValue(JSON.parse(text)), path));
}

/** Whether a step of the path meets a string whose text opens an object or array (after JSON whitespace): the follower is UNSURE there. */
function meetsJsonText(value: unknown, path: readonly QueryStep[]): boolean {
  let current: unknown[] = [value];
  for (let s = 0; s < path.length; s++) {
    if (current.some((item) => typeof item === 'string' && /^[ \t\n\r]*[[{]/.test(item))) return true;
    current = selectPath(current[0], path.slice(s, s + 1));
  }
  return false;
}

function follow(bytes: Buffer, start: number, end: number, path: readonly QueryStep[]): Probed {
  const steps = probeSteps(path);
  if (!steps) throw new Error('a path the probe does not follow');
  return followJsonPath(bytes, start, end, steps);
}

describe('followJsonPath', () => {
  it('selects what JSON.parse selects, on 20,000 random texts and paths, inside a larger buffer', () => {
    const random = seeded(71);
    let found = 0;
    let absent = 0;
    let intoText = 0;
    let selectedInText = 0;
    let unsureElsewhere = 0;
    for (let round = 0; round < 20_000; round++) {
      const text = randomJson(random, 4);
      const path = randomSteps(random, 4);
      // Other bytes around it, as in a slab: brackets and quotes the follower must not read.
      const before = Buffer.from(']}"x', 'latin1');
      const after = Buffer.from('"]},1', 'latin1');
      const body = Buffer.from(text, 'utf8');
      const bytes = Buffer.concat([before, body, after]);
      const got = follow(bytes, before.length, before.length + body.length, path);
      const want = expected(text, path);
      const value = toJsonValue(JSON.parse(text));
      // The path goes on into JSON text in a string: UNSURE (the message is decoded), and only there.
      if (meetsJsonText(value, path)) {
        expect(got, `${text} at ${JSON.stringify(path)}`).toBe(UNSURE);
        intoText++;
        if (want !== ABSENT) selectedInText++;
        continue;
      }
      // An earlier duplicate key on the path may lead into such a string (the follower reads them all).
      if (got === UNSURE && /"[ \t\n\r]*[[{]/.test(text)) {
        unsureElsewhere++;
        continue;
      }
      expect(got === CONTAINER ? 'CONTAINER' : got, `${text} at ${JSON.stringify(path)}`).toEqual(want === CONTAINER ? 'CONTAINER' : want);
      if (want === ABSENT) absent++;
      else found++;
    }
    // Both kinds of answer are tested many times, and paths into JSON text, which select something there.
    expect(found).toBeGreaterThan(3000);
    expect(absent).toBeGreaterThan(3000);
    expect(intoText).toBeGreaterThan(500);
    expect(selectedInText).toBeGreaterThan(15);
    expect(unsureElsewhere).toBeLessThan(100);
  });

  it.each([
    ['{"a":1,"a":2}', '$.a', 2],
    ['{"a":{"b":1},"a":{"c":1}}', '$.a.b', ABSENT],
    ['{"a":[1,2],"a":{"0":5}}', '$.a[0]', ABSENT],
    ['[ 1 , [ 2 , 3 ] ]', '$[1][1]', 3],
    ['[1,2]', '$[2]', ABSENT],
    ['[]', '$[0]', ABSENT],
    ['{}', '$.a', ABSENT],
    ['{"a":"x"}', '$.a[0]', ABSENT],
    // A string that may hold JSON text: the query goes on into it, the follower does not.
    ['{"a":"[1,2]"}', '$.a[0]', UNSURE],
    ['{"a":" {}"}', '$.a.b', UNSURE],
    ['{"a":"[broken"}', '$.a[0]', UNSURE],
    ['{"a":"\\u005b1]"}', '$.a[0]', UNSURE],
    ['{"a":"\\n[1]"}', '$.a[0]', UNSURE],
    ['{"a":"[1,2]"}', '$.a', '[1,2]'],
    ['{"a":"x[1]"}', '$.a[0]', ABSENT],
    ['{"a":"7"}', '$.a.b', ABSENT],
    ['{"a":""}', '$.a.b', ABSENT],
    ['"[1,2]"', '$[0]', UNSURE],
    ['"{}"', '$.a', UNSURE],
    ['"x"', '$.a', ABSENT],
    ['[" [0]",1]', '$[0][0]', UNSURE],
    ['["x",1]', '$[0][0]', ABSENT],
    ['[{"a":1}]', '$.a', ABSENT],
    ['{"a":1e400}', '$.a', 'Infinity'],
    ['{"a":-1e400}', '$.a', '-Infinity'],
    ['{"a":12345678901234567890}', '$.a', 12345678901234567000],
    ['{"a":-0}', '$.a', -0],
    ['{"a":"],{\\"x"}', '$.b', UNSURE],
    ['{"b":"x\\"y","a":1}', '$.a', UNSURE],
    ['{"a":"caf\u00e9"}', '$.a', 'caf\u00e9'],
    ['{"__proto__":{"a":3}}', "$['__proto__'].a", 3],
    ['  {"a" :\n true }  ', '$.a', true],
    ['{"a":null}', '$.a', null],
    ['{"a":[]}', '$.a', CONTAINER],
    ['{"":1,"a":2}', "$['']", 1],
    ['{"ab":1,"a":2,"b":3}', '$.a', 2],
  ] as const)('%s %s', (text, query, want) => {
    const path = /^\$(.*)$/.exec(query)?.[1] ?? '';
    const steps: QueryStep[] = [...path.matchAll(/\.(\w+)|\[(\d+)\]|\['([^']*)'\]/g)].map((m) => (m[2] !== undefined ? { kind: 'index', index: Number(m[2]) } : { kind: 'key', name: m[1] ?? m[3] ?? '' }));
    const bytes = Buffer.from(text, 'utf8');
    expect(follow(bytes, 0, bytes.length, steps)).toEqual(want);
  });

  it('bad UTF-8 in a string it gives: UNSURE; elsewhere: stepped over', () => {
    const bytes = Buffer.concat([Buffer.from('{"s":"a'), Buffer.from([0xff]), Buffer.from('","t":"b'), Buffer.from([0xc3]), Buffer.from('","n":1}')]);
    expect(follow(bytes, 0, bytes.length, [{ kind: 'key', name: 's' }])).toBe(UNSURE);
    expect(follow(bytes, 0, bytes.length, [{ kind: 'key', name: 'n' }])).toBe(1);
  });

  it('texts cut anywhere, or other bytes, never throw', () => {
    const random = seeded(72);
    for (let round = 0; round < 500; round++) {
      const text = Buffer.from(randomJson(random, 4), 'utf8');
      const path = randomSteps(random, 4);
      for (let cut = 0; cut <= text.length; cut++) expect(() => follow(text, 0, cut, path)).not.toThrow();
      const noise = Buffer.from(Array.from({ length: 40 }, () => pick256(random)));
      expect(() => follow(noise, 0, noise.length, path)).not.toThrow();
    }
  });
});

/** A random byte, structural ones more often. */
function pick256(random: (n: number) => number): number {
  const structural = [0x22, 0x2c, 0x3a, 0x5b, 0x5d, 0x7b, 0x7d, 0x20, 0x5c, 0x30, 0x74];
  return random(2) === 0 ? (structural[random(structural.length)] ?? 0) : random(256);
}
