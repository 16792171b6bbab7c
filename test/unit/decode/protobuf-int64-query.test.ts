/**
 * QA D8: a Decoded query compares Protocol Buffers' 64-bit integers (digits in the decoded value)
 * as integers, exactly: `$.big < 5`, `$.big > 9007199254740993`, `$.u == 18446744073709551615`,
 * while `$.id == '123'` still compares text and a digit string that is not a 64-bit integer (a
 * string field, JSON text) stays text. Searches through the engine's own walk (its prefilter and
 * match proof) from the start, the middle and backwards equal decoding every frame in order and
 * evaluating each clause naively, on generated streams with values around 0, ±2^53 and the
 * extremes, repeated and wrongly typed fields, and broken messages.
 */
import protobuf from 'protobufjs';
import { describe, expect, it, vi } from 'vitest';
import { matchesDecodedQuery, parseDecodedQuery } from '../../../src-main/shared/decoded-query';
import type { DecodedFilter, ProtobufChoice } from '../../../src-main/shared/decoding';
import { DecodeCommands } from '../../../src-main/core/decode-commands';
import { createDecoder } from '../../../src-main/core/decode/decoder-registry';
import type { DecodeOutcome } from '../../../src-main/core/decode/decoded-frame';
import { ProtobufDecoder } from '../../../src-main/core/decode/protobuf-decoder';
import { protobufChoiceSettings } from '../../../src-main/core/decode/protobuf-choice';
import { compileFilter } from '../../../src-main/core/search/compile-filter';
import { searchFrames } from '../../../src-main/core/search/frame-search';
import { FrameStore } from '../../../src-main/core/session/frame-store';

const PROTO = `
syntax = "proto3";
message Inner { int64 a = 1; fixed64 b = 2; }
message M {
  int64 i = 1; uint64 u = 2; sint64 s = 3; fixed64 f = 4; sfixed64 sf = 5;
  int32 small = 6; string text = 7; Inner inner = 8; repeated sint64 list = 9; optional int64 oi = 10;
}
`;
const CHOICE: ProtobufChoice = { schema: { name: 'm.proto', proto: PROTO }, type: 'M' };
const ROOT = protobuf.parse(PROTO, { keepCase: true }).root;
const M = ROOT.lookupType('M');

const U64_MAX = 2n ** 64n - 1n;
const I64_MIN = -(2n ** 63n);
const I64_MAX = 2n ** 63n - 1n;
const P53 = 2n ** 53n;

interface Message {
  opcode: 'text' | 'binary' | 'ping';
  bytes: Buffer;
}

function decoderOf(choice: 'protobuf', protobufChoice?: ProtobufChoice): ProtobufDecoder {
  const settings = protobufChoice ? protobufChoiceSettings(protobufChoice) : { settings: {} };
  if ('problem' in settings) throw new Error(settings.problem);
  const decoder = createDecoder(choice, settings.settings);
  if (!(decoder instanceof ProtobufDecoder)) throw new Error('not the protobuf decoder');
  return decoder;
}

function decodeAll(messages: readonly Message[], protobufChoice?: ProtobufChoice): (DecodeOutcome | undefined)[] {
  const decoder = decoderOf('protobuf', protobufChoice);
  return [undefined, ...messages.map((m, i) => decoder.decode({ seq: i + 1, dir: 'in', opcode: m.opcode, bytes: new Uint8Array(m.bytes) }))];
}

function valueOf(query: string, bytes: Uint8Array, protobufChoice?: ProtobufChoice): boolean {
  const parsed = parseDecodedQuery(query);
  if (!parsed.ok) throw new Error(parsed.error);
  const outcome = decoderOf('protobuf', protobufChoice).decode({ seq: 1, dir: 'in', opcode: 'binary', bytes });
  if (!outcome || outcome.kind === 'invalid') throw new Error('not decoded');
  return matchesDecodedQuery(parsed.query, outcome.value);
}

const encode = (object: Record<string, unknown>): Buffer => Buffer.from(M.encode(M.fromObject(object)).finish());

describe('a Decoded query over 64-bit integers (QA D8)', () => {
  it('compares them as integers with number literals, each operator, exactly', () => {
    const at = (object: Record<string, unknown>, query: string): boolean => valueOf(query, encode(object), CHOICE);
    expect(at({ i: 3 }, '$.i < 5')).toBe(true);
    expect(at({ i: 3 }, '$.i > 100')).toBe(false);
    expect(at({ i: 300 }, '$.i > 100')).toBe(true);
    expect(at({ i: -3 }, '$.i < 0')).toBe(true);
    expect(at({ i: 5 }, '$.i == 5')).toBe(true);
    expect(at({ i: 5 }, '$.i != 5')).toBe(false);
    expect(at({ i: 5 }, '$.i <= 5 && $.i >= 5')).toBe(true);
    expect(at({ i: 5 }, '$.i < 5.5 && $.i > 4.5')).toBe(true);
    expect(at({ i: '9007199254740993' }, '$.i > 9007199254740992')).toBe(true);
    expect(at({ i: '9007199254740993' }, '$.i == 9007199254740993')).toBe(true);
    expect(at({ i: '9007199254740993' }, '$.i < 9007199254740993.5')).toBe(true);
    expect(at({ i: '9007199254740994' }, '$.i > 9007199254740993.5')).toBe(true);
    expect(at({ u: U64_MAX.toString() }, '$.u == 18446744073709551615')).toBe(true);
    expect(at({ u: U64_MAX.toString() }, '$.u < 18446744073709551616')).toBe(true);
    expect(at({ s: I64_MIN.toString() }, '$.s == -9223372036854775808 && $.s < -9223372036854775807')).toBe(true);
    expect(at({ f: '7' }, '$.f < 8')).toBe(true);
    expect(at({ sf: '-7' }, '$.sf < -6')).toBe(true);
    expect(at({ inner: { a: '6' } }, '$.inner.a > 5')).toBe(true);
    expect(at({ list: ['1', '-9223372036854775808'] }, '$.list[*] < -9223372036854775807')).toBe(true);
    expect(at({ list: ['1', '2'] }, '$.list[1] == 2')).toBe(true);
  });

  it('still compares them with text as text, and leaves other digit strings text', () => {
    const at = (object: Record<string, unknown>, query: string): boolean => valueOf(query, encode(object), CHOICE);
    expect(at({ i: 123 }, "$.i == '123'")).toBe(true);
    expect(at({ i: 123 }, "$.i != '123'")).toBe(false);
    expect(at({ i: 123 }, '$.i =~ /^12/')).toBe(true);
    // A string field of digits is text: order against a number does not hold.
    expect(at({ text: '3' }, '$.text < 5')).toBe(false);
    expect(at({ text: '3' }, "$.text == '3'")).toBe(true);
    // JSON text's digit strings too (an ordinary JSON value).
    const json = parseDecodedQuery('$.a < 5');
    expect(json.ok && matchesDecodedQuery(json.query, { a: '3' })).toBe(false);
  });

  it('without a schema: a varint past 2^53 compares as the integer; a $fixed64 stays text', () => {
    const varint = (value: bigint): number[] => {
      const out: number[] = [];
      let rest = BigInt.asUintN(64, value);
      while (rest >= 0x80n) {
        out.push(Number(rest & 0x7fn) | 0x80);
        rest >>= 7n;
      }
      out.push(Number(rest));
      return out;
    };
    const field1 = (value: bigint): Uint8Array => Uint8Array.from([0x08, ...varint(value)]);
    expect(valueOf("$['1'] > 9007199254740992", field1(P53 + 1n))).toBe(true);
    expect(valueOf("$['1'] < -9007199254740992", field1(-P53 - 1n))).toBe(true);
    expect(valueOf("$['1'] < 0", field1(I64_MIN))).toBe(true);
    expect(valueOf("$['1'] == '9007199254740993'", field1(P53 + 1n))).toBe(true);
    expect(valueOf("$['1'][*] < 0", Uint8Array.from([...field1(-P53 - 5n), ...field1(3n)]))).toBe(true);
    expect(valueOf("$['1'].$fixed64 == '18446744073709551615'", Uint8Array.from([0x09, 255, 255, 255, 255, 255, 255, 255, 255]))).toBe(true);
    expect(valueOf("$['1'].$fixed64 > 5", Uint8Array.from([0x09, 255, 255, 255, 255, 255, 255, 255, 255]))).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------
// Exactness: searches against decoding in order and a naive evaluation

/** A small seeded generator (mulberry32). */
function generator(seed: number): (n: number) => number {
  let state = seed >>> 0;
  return (n) => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

const SIGNED = [0n, 1n, -1n, 4n, 5n, 6n, -5n, -6n, 100n, P53 - 1n, P53, P53 + 1n, -P53 + 1n, -P53, -P53 - 1n, I64_MAX, I64_MIN, I64_MAX - 1n, I64_MIN + 1n];
const UNSIGNED = [0n, 1n, 4n, 5n, 6n, 100n, P53 - 1n, P53, P53 + 1n, I64_MAX, I64_MAX + 1n, U64_MAX - 1n, U64_MAX];

function pick<T>(random: (n: number) => number, list: readonly T[]): T {
  const item = list[random(list.length)];
  if (item === undefined) throw new Error('empty list');
  return item;
}

function randomSigned(random: (n: number) => number): bigint {
  if (random(4) === 0) return BigInt.asIntN(64, (BigInt(random(2 ** 30)) << 34n) | BigInt(random(2 ** 30)));
  return pick(random, SIGNED);
}

function randomUnsigned(random: (n: number) => number): bigint {
  if (random(4) === 0) return (BigInt(random(2 ** 30)) << 34n) | BigInt(random(2 ** 30));
  return pick(random, UNSIGNED);
}

function randomObject(random: (n: number) => number, typical: boolean): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  const maybe = (): boolean => typical || random(3) > 0;
  // Typical messages have every field, u never 0 (present: a proof can vouch for them).
  if (maybe()) object.i = randomSigned(random).toString();
  object.u = (typical ? 1n + (randomUnsigned(random) % (U64_MAX - 1n)) : randomUnsigned(random)).toString();
  if (maybe()) object.s = randomSigned(random).toString();
  if (maybe()) object.f = randomUnsigned(random).toString();
  if (maybe()) object.sf = randomSigned(random).toString();
  if (maybe()) object.small = pick(random, [0, 3, 5, -5, 2 ** 31 - 1]);
  if (maybe()) object.text = pick(random, ['3', '5', '-9223372036854775808', 'x', '']);
  if (maybe()) object.inner = { a: randomSigned(random).toString(), b: randomUnsigned(random).toString() };
  // A repeated field: no proof reads the message (left to decoding).
  if (!typical && random(3) === 0) object.list = Array.from({ length: random(4) }, () => randomSigned(random).toString());
  if (random(3) === 0) object.oi = pick(random, [0n, 5n, -5n, P53 + 1n]).toString();
  return object;
}

const TYPICAL = 500;

/** Typical messages, then ones a shortcut must get right: fields twice, wrong wire types, cut, junk, empty, text and ping frames. */
function schemaStream(seed: number): Message[] {
  const random = generator(seed);
  const out: Message[] = [];
  for (let k = 0; k < TYPICAL; k++) out.push({ opcode: 'binary', bytes: encode(randomObject(random, true)) });
  for (let k = 0; k < 400; k++) {
    const bytes = encode(randomObject(random, false));
    switch (random(8)) {
      case 0:
        // Twice: the last value of each scalar wins, Inner merged.
        out.push({ opcode: 'binary', bytes: Buffer.concat([bytes, encode(randomObject(random, false))]) });
        break;
      case 1:
        // Field 1 (int64) as fixed64, field 4 (fixed64) as a varint: unknown fields, shown under $unknown.
        out.push({ opcode: 'binary', bytes: Buffer.concat([bytes, Buffer.from([0x09, 1, 0, 0, 0, 0, 0, 0, 0x80, 0x20, 0x81, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01])]) });
        break;
      case 2:
        out.push({ opcode: 'binary', bytes: bytes.subarray(0, Math.max(0, bytes.length - 1 - random(3))) });
        break;
      case 3:
        // A 10-byte varint whose last byte has bits past 64 (protobufjs keeps the low 64).
        out.push({ opcode: 'binary', bytes: Buffer.concat([bytes, Buffer.from([0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f])]) });
        break;
      case 4:
        out.push({ opcode: random(2) === 0 ? 'text' : 'ping', bytes });
        break;
      case 5:
        out.push({ opcode: 'binary', bytes: Buffer.alloc(0) });
        break;
      default:
        out.push({ opcode: 'binary', bytes });
    }
  }
  return out;
}

/** The naive reading: protobufjs decodes the message; a 64-bit field's digits are the integer. */
const INT64_PATHS = new Set(['i', 'u', 's', 'f', 'sf', 'oi', 'inner.a', 'inner.b', 'list']);

function naiveValues(message: Message, path: string): { values: unknown[] } | undefined {
  if (message.opcode === 'ping') return undefined;
  let object: Record<string, unknown>;
  try {
    object = M.toObject(M.decode(message.bytes), { longs: String, enums: String, json: true });
  } catch {
    return undefined;
  }
  const segments = /^(\w+)(?:\.(\w+)|\[(\d+)\]|(\[\*\]))?$/.exec(path);
  if (!segments) throw new Error(`path ${path}`);
  const [, head = '', name, index, any] = segments;
  const first: unknown = Object.hasOwn(object, head) ? object[head] : undefined;
  let values: unknown[];
  if (first === undefined) values = [];
  else if (name !== undefined) values = typeof first === 'object' && first !== null && Object.hasOwn(first, name) ? [Reflect.get(first, name)] : [];
  else if (index !== undefined) values = Array.isArray(first) && Number(index) < first.length ? [first[Number(index)]] : [];
  else if (any !== undefined) values = typeof first === 'object' && first !== null ? Object.values(first) : [];
  else values = [first];
  const int64 = INT64_PATHS.has(name !== undefined ? `${head}.${name}` : head) || (head === 'inner' && any !== undefined);
  return { values: int64 ? values.map((v) => (typeof v === 'string' ? BigInt(v) : v)) : values };
}

type Op = '==' | '!=' | '<' | '<=' | '>' | '>=';

/** A literal's exact value as a fraction (plain decimals only), or its text. */
function literalOf(text: string): { num: bigint; den: bigint; number: number } | { text: string } {
  const quoted = /^'(.*)'$/.exec(text);
  if (quoted) return { text: quoted[1] ?? '' };
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) throw new Error(`literal ${text}`);
  const fraction = match[3] ?? '';
  return { num: (match[1] === '-' ? -1n : 1n) * BigInt(`${match[2] ?? ''}${fraction}`), den: 10n ** BigInt(fraction.length), number: Number(text) };
}

function naiveHolds(found: unknown, op: Op, literal: ReturnType<typeof literalOf>): boolean {
  const order = (sign: number): boolean => ({ '==': sign === 0, '!=': sign !== 0, '<': sign < 0, '<=': sign <= 0, '>': sign > 0, '>=': sign >= 0 })[op];
  if ('text' in literal) {
    const text = typeof found === 'bigint' ? found.toString() : found;
    if (typeof text !== 'string') return op === '!=';
    return order(text < literal.text ? -1 : text > literal.text ? 1 : 0);
  }
  if (typeof found === 'bigint') {
    const difference = found * literal.den - literal.num;
    return order(difference < 0n ? -1 : difference > 0n ? 1 : 0);
  }
  if (typeof found !== 'number') return op === '!=';
  return order(found < literal.number ? -1 : found > literal.number ? 1 : 0);
}

interface NaiveClause {
  path: string;
  op: Op;
  literal: string;
}

function naiveMatches(messages: readonly Message[], clauses: readonly NaiveClause[]): number[] {
  const seqs: number[] = [];
  messages.forEach((message, k) => {
    const all = clauses.every(({ path, op, literal }) => {
      const read = naiveValues(message, path);
      if (!read) return false;
      if (read.values.length === 0) return op === '!=';
      return read.values.some((value) => naiveHolds(value, op, literalOf(literal)));
    });
    if (all && naiveValues(message, 'i')) seqs.push(k + 1);
  });
  return seqs;
}

type Session = Parameters<DecodeCommands['predicate']>[0];

async function search(messages: readonly Message[], protobufChoice: ProtobufChoice | undefined, filter: DecodedFilter, from: 'start' | 'middle' | 'end' | 'middle-back'): Promise<number[]> {
  const store = new FrameStore();
  for (const m of messages) store.push('in', m.opcode, m.bytes);
  const session: Session = { id: 's', url: 'ws://h/', frames: store, handshakeSteps: () => [] };
  const decodes = new DecodeCommands();
  const state = decodes.state(session, { sessionId: session.id, choice: 'protobuf', ...(protobufChoice ? { protobuf: protobufChoice } : {}) });
  if (!state.ok) throw new Error(state.error.message);
  const decoded = decodes.predicate(session, filter);
  if (!decoded.ok) throw new Error(decoded.error.message);
  const compiled = compileFilter({});
  if (!compiled.ok) throw new Error(compiled.problem.message);
  compiled.filter.decoded = decoded.value;
  const backward = from === 'end' || from === 'middle-back';
  const middle = Math.floor((store.firstSeq + store.lastSeq) / 2);
  const found: number[] = [];
  let next: number | null = from === 'start' ? store.firstSeq : from === 'end' ? store.lastSeq : middle;
  while (next !== null) {
    const page = await searchFrames(store, compiled.filter, { searchId: 's', limit: 97, fromSeq: next, backward }, { cancelled: () => false, maxDurationMs: 600_000 });
    found.push(...page.matches.map((m) => m.seq));
    next = page.nextSeq;
  }
  return backward ? found.reverse() : found;
}

/** From each place, what decoding in order finds there. */
async function expectSearchesEqual(messages: readonly Message[], protobufChoice: ProtobufChoice | undefined, query: string, want: readonly number[]): Promise<void> {
  const middle = Math.floor((1 + messages.length) / 2);
  expect(await search(messages, protobufChoice, { query }, 'start'), `${query} from the start`).toEqual(want);
  expect(await search(messages, protobufChoice, { query }, 'middle'), `${query} from the middle`).toEqual(want.filter((seq) => seq >= middle));
  expect(await search(messages, protobufChoice, { query }, 'end'), `${query} backward`).toEqual(want);
  expect(await search(messages, protobufChoice, { query }, 'middle-back'), `${query} backward from the middle`).toEqual(want.filter((seq) => seq <= middle));
}

const PATHS = ['i', 'u', 's', 'f', 'sf', 'oi', 'small', 'text', 'inner.a', 'inner.b', 'inner[*]', 'list[*]', 'list[0]'];
const OPS: readonly Op[] = ['==', '!=', '<', '<=', '>', '>='];
const LITERALS = ['0', '5', '-5', '4.5', '-5.5', '9007199254740992', '9007199254740993', '-9007199254740993', '9007199254740993.5', '9223372036854775807', '-9223372036854775808', '18446744073709551615', "'5'", "'-1'", "'9007199254740993'"];

function queryText(clauses: readonly NaiveClause[]): string {
  return clauses.map(({ path, op, literal }) => `$.${path} ${op} ${literal}`).join(' && ');
}

describe('searches over 64-bit integers equal decoding every frame in order', () => {
  it('matches the naive reading of decoding in order (the reference agrees with the decoder)', () => {
    const messages = schemaStream(7);
    const all = decodeAll(messages, CHOICE);
    const random = generator(11);
    for (let k = 0; k < 200; k++) {
      const clause: NaiveClause = { path: pick(random, PATHS), op: pick(random, OPS), literal: pick(random, LITERALS) };
      const parsed = parseDecodedQuery(queryText([clause]));
      if (!parsed.ok) throw new Error(parsed.error);
      const decoded = all.flatMap((outcome, seq) => (outcome && outcome.kind !== 'invalid' && matchesDecodedQuery(parsed.query, outcome.value) ? [seq] : []));
      expect(decoded, queryText([clause])).toEqual(naiveMatches(messages, [clause]));
    }
  });

  it('with a schema: generated queries, from the start, the middle and backwards', async () => {
    const messages = schemaStream(3);
    const random = generator(5);
    const queries: NaiveClause[][] = [
      [{ path: 'u', op: '>=', literal: '0' }],
      [{ path: 'u', op: '>', literal: '9007199254740992' }],
      [{ path: 'i', op: '<', literal: '5' }],
      [{ path: 'i', op: '<', literal: '-9007199254740993' }],
      [{ path: 'f', op: '==', literal: '18446744073709551615' }],
      [{ path: 'sf', op: '<=', literal: '-5.5' }],
      [{ path: 's', op: '!=', literal: '5' }],
      [{ path: 'i', op: '!=', literal: '5' }],
      [{ path: 'u', op: '!=', literal: '9007199254740993' }],
      [{ path: 'sf', op: '!=', literal: '-5' }],
      [{ path: 'f', op: '!=', literal: '18446744073709551615' }],
      [{ path: 'inner.a', op: '!=', literal: '-9223372036854775808' }],
      [{ path: 'text', op: '<', literal: '5' }],
    ];
    for (let k = 0; k < 36; k++) {
      queries.push(Array.from({ length: 1 + random(2) }, () => ({ path: pick(random, PATHS), op: pick(random, OPS), literal: pick(random, LITERALS) })));
    }
    for (const clauses of queries) await expectSearchesEqual(messages, CHOICE, queryText(clauses), naiveMatches(messages, clauses));
  }, 120_000);

  it('with a schema: a query most messages match is proven for most typical ones, not decoded', async () => {
    const messages = schemaStream(9);
    const query = '$.u >= 1 && $.i >= -9223372036854775808 && $.f != 18446744073709551615.5';
    const clauses: NaiveClause[] = [
      { path: 'u', op: '>=', literal: '1' },
      { path: 'i', op: '>=', literal: '-9223372036854775808' },
    ];
    const want = naiveMatches(messages, clauses);
    expect(want.filter((seq) => seq <= TYPICAL).length).toBeGreaterThan(TYPICAL / 2);
    const decode = vi.spyOn(ProtobufDecoder.prototype, 'decode');
    try {
      expect(await search(messages, CHOICE, { query }, 'start')).toEqual(want);
      expect(decode.mock.calls.filter(([frame]) => frame.seq <= TYPICAL).length, 'typical messages decoded').toBeLessThan(TYPICAL / 10);
    } finally {
      decode.mockRestore();
    }
  });

  it('without a schema: varints past 2^53, from the start, the middle and backwards', async () => {
    const random = generator(13);
    const varint = (value: bigint): number[] => {
      const out: number[] = [];
      let rest = BigInt.asUintN(64, value);
      while (rest >= 0x80n) {
        out.push(Number(rest & 0x7fn) | 0x80);
        rest >>= 7n;
      }
      out.push(Number(rest));
      return out;
    };
    const messages: Message[] = [];
    for (let k = 0; k < 600; k++) {
      const fields: number[] = [];
      for (let f = 0; f < 1 + random(3); f++) {
        const number = 1 + random(3);
        if (random(5) === 0) fields.push((number << 3) | 2, 1, 0x35);
        else fields.push(number << 3, ...varint(random(2) === 0 ? randomSigned(random) : randomUnsigned(random)));
      }
      messages.push({ opcode: 'binary', bytes: Buffer.from(random(20) === 0 ? fields.slice(0, -1) : fields) });
    }
    const all = decodeAll(messages);
    const queries = ["$['1'] < 0", "$['1'] > 9007199254740992", "$['2'] >= -9007199254740993", "$['1'] != 5", "$['2'] == '5'", "$[*] < -9007199254740992", "$[*] >= 9223372036854775807", "$['1'][*] < 0", "$['3'][*] > 5", "$['1'] == 18446744073709551615"];
    for (const query of queries) {
      const parsed = parseDecodedQuery(query);
      if (!parsed.ok) throw new Error(parsed.error);
      const want = all.flatMap((outcome, seq) => (outcome && outcome.kind !== 'invalid' && matchesDecodedQuery(parsed.query, outcome.value) ? [seq] : []));
      await expectSearchesEqual(messages, undefined, query, want);
    }
    // The reference itself compares as integers: a value past -2^53 is below 0.
    const parsed = parseDecodedQuery("$['1'] < 0");
    const small = decodeAll([{ opcode: 'binary', bytes: Buffer.from([0x08, ...varint(-P53 - 7n)]) }])[1];
    expect(parsed.ok && small?.kind === 'decoded' && matchesDecodedQuery(parsed.query, small.value)).toBe(true);
  }, 120_000);
});
