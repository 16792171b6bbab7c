/**
 * followCheckedJsonPath's top-level recorder (json-text-check.ts TopMembers, which
 * graphql-match-proof.ts decides from) against JSON.parse, on generated texts: where each wanted
 * name's value starts must be the value JSON.parse keeps for that top-level key (the last of
 * duplicates), -1 where the parsed object has no such key; keys with the same names inside nested
 * values or inside strings are not top-level ones; a text whose top-level object has an escaped
 * key is UNSURE (it may spell a wanted name). The same check fails for recorders broken in each
 * of those ways.
 */
import { describe, expect, it } from 'vitest';
import { NOT_JSON, followCheckedJsonPath, type CheckedProbe, topMembers, type TopMembers } from '../../../src-main/core/decode/json-text-check';
import { UNSURE, probeSteps, type ProbeStep } from '../../../src-main/core/decode/value-probe';
import { damaged, pick, seeded } from './prefilter-harness';
import { randomJson, type Random } from './random-json';

const NAMES = ['type', 'id', 'payload', 'caf\u00e9'];
const SPACES = ['', '', '', ' ', '\n', '\t '];
/** Top-level keys: the names, near misses, and escaped spellings of the names (JSON.parse reads them as the names). */
const PLAIN_KEYS = [...NAMES, 'typ', 'types', 'Type', 'ids', 'x', ''];
const ESCAPED_KEYS = ['typ\\u0065', '\\u0074ype', 'i\\u0064', 'x\\ny', 'payload\\/'];

/** A value that holds the names again, nested, and in strings, so that a reader that is not top-level only is caught. */
function valueText(random: Random): string {
  return pick(random, [
    randomJson(random, 2),
    randomJson(random, 2),
    `"${pick(random, NAMES)}"`,
    `{"type":${randomJson(random, 1)},"id":"n"}`,
    `[{"payload":{}},{"id":"${pick(random, ['', 'x'])}"}]`,
    `"\\"type\\":\\"next\\",\\"id\\":1"`,
    `"type\\":"`,
    `{"a":{"payload":7,"type":"deep"}}`,
    `{}`,
    `[]`,
  ]);
}

interface Generated {
  text: string;
  /** Whether the top-level object has a key with a backslash. */
  escapedTopKey: boolean;
}

function generated(random: Random): Generated {
  const space = (): string => pick(random, SPACES);
  let escapedTopKey = false;
  const members = Array.from({ length: random(7) }, () => {
    const escaped = random(12) === 0;
    escapedTopKey ||= escaped;
    const key = escaped ? pick(random, ESCAPED_KEYS) : pick(random, PLAIN_KEYS);
    return `${space()}"${key}"${space()}:${space()}${valueText(random)}${space()}`;
  });
  const object = `{${members.join(',') || space()}}`;
  switch (random(12)) {
    case 0:
      return { text: `[${object}]`, escapedTopKey: false };
    case 1:
      return { text: `${space()}${randomJson(random, 2)}`, escapedTopKey: false };
    case 2:
      return { text: `${object}${pick(random, ['x', ',', '}', ' 1'])}`, escapedTopKey };
    case 3:
      return { text: object.slice(0, random(object.length)), escapedTopKey };
    default:
      return { text: `${space()}${object}${space()}`, escapedTopKey };
  }
}

/** One call of the recorder: the answer, and where each name's value starts. */
type Recorder = (bytes: Buffer, start: number, end: number, steps: readonly ProbeStep[], names: readonly Buffer[]) => { answer: CheckedProbe; at: readonly number[] };

const realRecorder: Recorder = (bytes, start, end, steps, names) => {
  const top: TopMembers = topMembers(names);
  const answer = followCheckedJsonPath(bytes, start, end, steps, top);
  return { answer, at: [...top.at] };
};

const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function parsedText(bytes: Buffer): unknown {
  try {
    return JSON.parse(strict.decode(bytes)) as unknown;
  } catch {
    return undefined;
  }
}

/** The value starting at `at`: the shortest text from there to a `,` `}` or `]` (or the end) that JSON.parse takes (a value's proper prefix ending there never parses). */
function valueFrom(text: Buffer, at: number, end: number): unknown {
  for (let k = at + 1; k <= end; k++) {
    const byte = text[k];
    if (k < end && byte !== 0x2c && byte !== 0x7d && byte !== 0x5d) continue;
    try {
      return JSON.parse(strict.decode(text.subarray(at, k))) as unknown;
    } catch {
      // Not the value's end yet.
    }
  }
  throw new Error(`no value at ${at}`);
}

const PATHS: (readonly ProbeStep[])[] = [[], [], probeSteps([{ kind: 'key', name: 'payload' }]) ?? [], probeSteps([{ kind: 'key', name: 'type' }]) ?? [], probeSteps([{ kind: 'index', index: 0 }]) ?? []];

interface Tally {
  wrong: string[];
  recorded: number;
  /** Names recorded that the text holds more than once (duplicates, nested keys of the same name). */
  duplicates: number;
  escapedRefused: number;
}

/** The recorder against JSON.parse over `count` generated texts (inside a larger slab, as the store holds messages). */
function check(recorder: Recorder, count: number, seed: number): Tally {
  const random = seeded(seed);
  const names = NAMES.map((name) => Buffer.from(name, 'utf8'));
  const tally: Tally = { wrong: [], recorded: 0, duplicates: 0, escapedRefused: 0 };
  for (let i = 0; i < count && tally.wrong.length < 5; i++) {
    const { text, escapedTopKey } = generated(random);
    let bytes: Buffer = Buffer.from(text, 'utf8');
    if (random(20) === 0 && bytes.length > 0) bytes = damaged(random, bytes, [0xff, 0x5c, 0x22, 0x2c, 0x7b, 0x7d, 0x3a]);
    const slab = Buffer.concat([Buffer.from('{"type":'), bytes, Buffer.from('"}'), Buffer.from(',"id":"x"}')]);
    const start = 8;
    const end = start + bytes.length;
    const steps = pick(random, PATHS);
    const { answer, at } = recorder(slab, start, end, steps, names);
    if (answer === NOT_JSON) continue;
    const parsed = parsedText(bytes);
    if (answer === UNSURE) {
      // UNSURE is right at an escaped top-level key, or for the path's own reasons (escapes, strings that may hold JSON text).
      if (escapedTopKey) tally.escapedRefused++;
      else if (steps.length === 0 && !bytes.includes(0x5c)) tally.wrong.push(`UNSURE without an escape: ${JSON.stringify(text)}`);
      continue;
    }
    if (parsed === undefined) {
      tally.wrong.push(`an answer for a text JSON.parse refuses: ${JSON.stringify(text)}`);
      continue;
    }
    if (escapedTopKey && bytes.equals(Buffer.from(text, 'utf8'))) {
      tally.wrong.push(`an escaped top-level key not refused: ${JSON.stringify(text)}`);
      continue;
    }
    const object = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
    for (let n = 0; n < NAMES.length; n++) {
      const name = NAMES[n] ?? '';
      const where = at[n] ?? -1;
      const has = object !== undefined && Object.hasOwn(object, name);
      if (!has) {
        if (where !== -1) tally.wrong.push(`${name} recorded at ${where}, JSON.parse has no such key: ${JSON.stringify(text)}`);
        continue;
      }
      if (where < start || where >= end) {
        tally.wrong.push(`${name} not recorded, JSON.parse has it: ${JSON.stringify(text)}`);
        continue;
      }
      tally.recorded++;
      // The name met more than once in the text (a duplicate, or a nested key of the same name).
      if (text.split(`"${name}"`).length > 2) tally.duplicates++;
      if (JSON.stringify(valueFrom(slab, where, end)) !== JSON.stringify(object?.[name])) tally.wrong.push(`${name}'s value at ${where} is not JSON.parse's: ${JSON.stringify(text)}`);
    }
  }
  return tally;
}

/** A recorder that keeps the first of duplicate keys (its `at` refuses a second write). */
const firstWins: Recorder = (bytes, start, end, steps, names) => {
  const at = Array.from({ length: names.length }, () => -1);
  const once = new Proxy(at, {
    set: (target, key, value: number) => {
      const index = Number(key);
      if (value === -1 || target[index] === -1) target[index] = value;
      return true;
    },
  });
  const answer = followCheckedJsonPath(bytes, start, end, steps, { ...topMembers(names), at: once as unknown as Int32Array });
  return { answer, at };
};

/** A recorder that takes a name's last `"name":` anywhere in the text (nested keys, strings). */
const anyDepth: Recorder = (bytes, start, end, steps, names) => {
  const { answer } = realRecorder(bytes, start, end, steps, names);
  const text = bytes.subarray(0, end);
  const at = names.map((name) => {
    const key = Buffer.concat([Buffer.from('"'), name, Buffer.from('"')]);
    let found = -1;
    for (let k = text.indexOf(key, start); k >= 0; k = text.indexOf(key, k + 1)) {
      let v = k + key.length;
      while (v < end && (text[v] === 0x20 || text[v] === 0x0a || text[v] === 0x09)) v++;
      if (text[v] !== 0x3a) continue;
      v++;
      while (v < end && (text[v] === 0x20 || text[v] === 0x0a || text[v] === 0x09)) v++;
      found = v;
    }
    return found;
  });
  return { answer, at };
};

/** A recorder that does not refuse escaped top-level keys: the text read again without them being in the way (the escape refusal undone). */
const escapesRead: Recorder = (bytes, start, end, steps, names) => {
  const answer = followCheckedJsonPath(bytes, start, end, steps);
  // What the recorder gives on the same text with every backslash in a key replaced by a plain byte (same offsets).
  const copy = Buffer.from(bytes);
  for (let k = start; k < end; k++) if (copy[k] === 0x5c) copy[k] = 0x5f;
  const { at } = realRecorder(copy, start, end, [], names);
  return { answer, at };
};

describe('followCheckedJsonPath with TopMembers: the top-level members located in the check’s pass', () => {
  it('locates the value JSON.parse keeps for each wanted top-level key, and refuses escaped ones', () => {
    const tally = check(realRecorder, 20_000, 1406);
    expect(tally.wrong).toEqual([]);
    // Not vacuous: many recorded, duplicates among them, escaped keys refused.
    expect(tally.recorded).toBeGreaterThan(5_000);
    expect(tally.duplicates).toBeGreaterThan(1_000);
    expect(tally.escapedRefused).toBeGreaterThan(200);
  });

  it.each<[string, Recorder]>([
    ['the first duplicate kept', firstWins],
    ['nested keys and strings taken', anyDepth],
    ['escaped keys read', escapesRead],
  ])('sabotage: with %s, the check fails', (_, recorder) => {
    expect(check(recorder, 20_000, 1406).wrong.length).toBeGreaterThan(0);
  });

  it('answers as JSON.parse on crafted texts', () => {
    const names = NAMES.map((name) => Buffer.from(name, 'utf8'));
    const located = (text: string): CheckedProbe | (number | string)[] => {
      const bytes = Buffer.from(text, 'utf8');
      const { answer, at } = realRecorder(bytes, 0, bytes.length, [], names);
      return answer === NOT_JSON || answer === UNSURE ? answer : at.map((where) => (where < 0 ? where : text.slice(where, where + 3)));
    };
    expect(located('{"type":"next","id":"1","payload":{}}')).toEqual(['"ne', '"1"', '{}}', -1]);
    expect(located('{"type":1,"x":{"type":2,"id":3},"type":4}')).toEqual(['4}', -1, -1, -1]);
    expect(located('{"x":"\\"type\\":1","y":["id",{"payload":1}]}')).toEqual([-1, -1, -1, -1]);
    expect(located(' { "id" : null } ')).toEqual([-1, 'nul', -1, -1]);
    expect(located('[{"type":1}]')).toEqual([-1, -1, -1, -1]);
    expect(located('{"typ\\u0065":1}')).toBe(UNSURE);
    expect(located('{"type":1,"x\\n":2}')).toBe(UNSURE);
    expect(located('{"a":{"typ\\u0065":1}}')).toEqual([-1, -1, -1, -1]);
    expect(located('{"type":1')).toBe(NOT_JSON);
  });
});
