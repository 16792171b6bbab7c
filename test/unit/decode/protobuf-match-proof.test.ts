/**
 * The Protocol Buffers match proof (protobuf-match-proof.ts) against the decoder itself: whenever
 * the proof says a message matches, decoding it alone (protobuf-decoder.ts, made as the session
 * makes it) gives a valid value the query matches. Messages are written field by field here
 * (every wire type, short, long, overlong and 11-byte varints, repeated fields, nested messages,
 * groups, bad wire types, field 0, unknown fields, text, bad UTF-8), then cut, extended or
 * changed; with protobufjs's encoding of random objects too. Queries use every operator, a path
 * alone, absent fields and several clauses; without a schema, with the bench's and with richer ones.
 */
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { PAYLOAD_STREAMS } from '../../../bench/payload-streams';
import type { StreamFrame } from '../../../bench/decoded-streams';
import { createDecoder } from '../../../src-main/core/decode/decoder-registry';
import type { MatchProof } from '../../../src-main/core/decode/match-proof';
import { protobufMatchProof } from '../../../src-main/core/decode/protobuf-match-proof';
import { loadProtobufSchema, type ProtobufSchema } from '../../../src-main/core/decode/protobuf-schema';
import { matchesDecodedQuery, parseDecodedQuery, type DecodedQuery } from '../../../src-main/shared/decoded-query';
import type { JsonValue } from '../../../src-main/core/decode/json-value';
import { pick, seeded } from './prefilter-harness';

type Random = (n: number) => number;

function queryOf(text: string): DecodedQuery {
  const parsed = parseDecodedQuery(text);
  if (!parsed.ok) throw new Error(`${text}: ${parsed.error}`);
  return parsed.query;
}

function schemaOf(proto: string, type: string): ProtobufSchema {
  const loaded = loadProtobufSchema({ protoText: proto, name: 'test.proto' }, type);
  if ('problem' in loaded) throw new Error(loaded.problem);
  return loaded.schema;
}

function typeOf(schema: ProtobufSchema | undefined): protobuf.Type | undefined {
  if (schema && !schema.messageType) throw new Error('a schema without its type');
  return schema?.messageType;
}

/** The decoder's value for a message, or undefined when it is not valid (or not read: ping, close). */
function decodedValue(schema: ProtobufSchema | undefined, bytes: Buffer, opcode = 'binary'): { value: JsonValue } | undefined {
  const decoder = createDecoder('protobuf', schema ? { protobuf: schema } : {});
  const outcome = decoder.decode({ seq: 0, dir: 'in', opcode, bytes } as Parameters<typeof decoder.decode>[0]);
  if (outcome === undefined || outcome.kind === 'invalid' || !('value' in outcome)) return undefined;
  return { value: outcome.value };
}

function proofFor(text: string, schema: ProtobufSchema | undefined): MatchProof | undefined {
  return protobufMatchProof(queryOf(text), typeOf(schema));
}

function proven(text: string, bytes: Buffer, schema?: ProtobufSchema, opcode = 'binary'): boolean {
  // A message inside a larger slab, as the store holds it.
  const slab = Buffer.concat([Buffer.from([0x08, 0x96, 0x01]), bytes, Buffer.from([0x0a, 0x05, 0xff])]);
  return proofFor(text, schema)?.(slab, 3, 3 + bytes.length, opcode) ?? false;
}

function decodedMatch(text: string, bytes: Buffer, schema?: ProtobufSchema, opcode = 'binary'): boolean {
  const read = decodedValue(schema, bytes, opcode);
  return read !== undefined && matchesDecodedQuery(queryOf(text), read.value);
}

// --- Messages written by hand ---------------------------------------------------------------

function varint(value: bigint): number[] {
  let v = BigInt.asUintN(64, value);
  const out: number[] = [];
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return out;
}

/** A varint written with `extra` more bytes than it needs (continuation bits on zero groups). */
function overlong(value: bigint, extra: number): number[] {
  const bytes = varint(value);
  if (extra === 0) return bytes;
  const last = bytes.length - 1;
  bytes[last] = (bytes[last] ?? 0) | 0x80;
  for (let k = 1; k < extra; k++) bytes.push(0x80);
  bytes.push(0x00);
  return bytes;
}

const tag = (field: number, wire: number, extra = 0): number[] => overlong((BigInt(field) << 3n) | BigInt(wire), extra);

const VARINTS: readonly bigint[] = [0n, 1n, 2n, 5n, 127n, 128n, 300n, 16_383n, 16_384n, 1_000_000n, 2n ** 28n, 2n ** 31n - 1n, 2n ** 31n, 2n ** 32n - 1n, 2n ** 32n, 2n ** 49n, 2n ** 53n - 1n, 2n ** 53n, 2n ** 63n, 2n ** 64n - 1n, -1n, -2n, -300n, -(2n ** 31n), -(2n ** 53n) + 1n, -(2n ** 53n), -(2n ** 63n)];

const TEXTS: readonly Buffer[] = [
  Buffer.from(''),
  Buffer.from('a'),
  Buffer.from('abc'),
  Buffer.from('chat'),
  Buffer.from('e12'),
  Buffer.from('ABC7'),
  Buffer.from('tab\there'),
  Buffer.from('bell\u0007'),
  Buffer.from('caf\u00e9'),
  Buffer.from('\ufeffbom'),
  Buffer.from('{"a":1}'),
  Buffer.from([0xc3, 0x28]),
  Buffer.from([0xed, 0xa0, 0x80]),
  Buffer.from([0xff, 0x00, 0x01]),
  Buffer.from([0x7f]),
  Buffer.from('12'),
];

function randomVarint(random: Random): number[] {
  const extra = random(8) === 0 ? 1 + random(3) : 0;
  const value = random(3) === 0 ? BigInt(random(1 << 30)) : pick(random, VARINTS);
  const bytes = overlong(value, extra);
  // An 11-byte varint: too long for every reader.
  if (random(40) === 0) return [...Array.from({ length: 10 }, () => 0x81), 0x01];
  return bytes;
}

function randomFixed(random: Random, size: 4 | 8): number[] {
  const bytes = Buffer.alloc(size);
  const r = random(4);
  const special = pick(random, [0, -0, 1.5, -2, NaN, Infinity, -Infinity, 0.1]);
  if (r === 0) for (let k = 0; k < size; k++) bytes[k] = random(256);
  else if (size === 8) bytes.writeDoubleLE(special);
  else bytes.writeFloatLE(special);
  return [...bytes];
}

/** A field kind a schema's field is written with (the generator writes the right wire type most often). */
type Spec = { kind: 'varint' | 'fixed32' | 'fixed64' | 'text' | 'bytes' } | { kind: 'message'; fields: Readonly<Record<number, Spec>> };

function randomBody(random: Random, depth: number, fields: Readonly<Record<number, Spec>> | undefined): number[] {
  if (depth < 3 && random(3) === 0) return randomMessage(random, depth + 1, fields ?? {});
  return [...pick(random, TEXTS)];
}

function randomField(random: Random, number: number, spec: Spec | undefined, depth: number): number[] {
  const kind = spec && random(6) !== 0 ? spec.kind : pick(random, ['varint', 'fixed32', 'fixed64', 'text', 'message', 'group', 'bad'] as const);
  const tagExtra = random(30) === 0 ? 1 + random(5) : 0;
  switch (kind) {
    case 'varint':
      return [...tag(number, 0, tagExtra), ...randomVarint(random)];
    case 'fixed32':
      return [...tag(number, 5, tagExtra), ...randomFixed(random, 4)];
    case 'fixed64':
      return [...tag(number, 1, tagExtra), ...randomFixed(random, 8)];
    case 'text':
    case 'bytes':
    case 'message': {
      const body = kind === 'message' ? randomBody(random, depth, spec && 'fields' in spec ? spec.fields : undefined) : [...pick(random, TEXTS)];
      const lengthExtra = random(20) === 0 ? 1 + random(6) : 0;
      return [...tag(number, 2, tagExtra), ...overlong(BigInt(body.length), lengthExtra), ...body];
    }
    case 'group': {
      const inner = depth < 3 && random(2) === 0 ? randomMessage(random, depth + 1, {}) : [];
      const endNumber = random(5) === 0 ? number + 1 : number;
      return random(6) === 0 ? tag(number, 4) : [...tag(number, 3), ...inner, ...tag(endNumber, 4)];
    }
    case 'bad':
      return pick(random, [
        [...tag(number, 6), 0x01],
        [...tag(number, 7)],
        [...tag(0, random(3)), 0x01],
        [...tag(536_870_912, 0), 0x01],
        [...tag(536_870_911, 0), 0x01],
        [...tag(2 ** 25 + 1, 0), 0x02],
      ]);
  }
}

const NUMBERS = [1, 2, 3, 4, 5, 6, 7, 8, 14, 15, 16, 17, 20, 21, 22, 23, 100];

function randomMessage(random: Random, depth = 0, fields: Readonly<Record<number, Spec>> = {}): number[] {
  const out: number[] = [];
  const known = Object.keys(fields).map(Number);
  const count = random(7);
  for (let k = 0; k < count; k++) {
    const number = known.length > 0 && random(4) !== 0 ? pick(random, known) : pick(random, NUMBERS);
    out.push(...randomField(random, number, fields[number], depth));
  }
  return out;
}

/** A message, often changed afterwards: cut, a byte changed, bytes added. */
function randomBytes(random: Random, fields: Readonly<Record<number, Spec>> = {}): Buffer {
  const bytes = randomMessage(random, 0, fields);
  switch (random(8)) {
    case 0:
      return Buffer.from(bytes.slice(0, random(bytes.length + 1)));
    case 1:
      if (bytes.length > 0) bytes[random(bytes.length)] = random(256);
      return Buffer.from(bytes);
    case 2:
      return Buffer.from([...bytes, ...Array.from({ length: 1 + random(3) }, () => random(256))]);
    default:
      return Buffer.from(bytes);
  }
}

// --- Queries --------------------------------------------------------------------------------

const OPS = ['==', '!=', '<', '<=', '>', '>='] as const;
const LITERALS = ['0', '1', '-1', '2', '5', '300', '1000000', '2147483648', '-2147483648', '9007199254740991', '-9007199254740991', '1.5', "'abc'", "''", "'a'", "'chat'", "'e12'", "'NaN'", "'5'", "'-1'", 'true', 'false', 'null'];
const REGEXES = ['/^a/', '/\\d/', '/^-/', '/^$/', '/NaN/', '/./', '/^e1/', '/inity$/'];

function randomClause(random: Random, paths: readonly string[]): string {
  const path = pick(random, paths);
  const r = random(OPS.length + 2);
  if (r === OPS.length) return path;
  if (r === OPS.length + 1) return `${path} =~ ${pick(random, REGEXES)}`;
  return `${path} ${OPS[r] ?? '=='} ${pick(random, LITERALS)}`;
}

const randomQuery = (random: Random, paths: readonly string[]): string => Array.from({ length: 1 + (random(3) === 0 ? 1 + random(2) : 0) }, () => randomClause(random, paths)).join(' && ');

const WIRE_PATHS = ["$['1']", "$['2']", "$['3']", "$['4']", "$['5']", "$['16']", "$['100']", '$', '$[0]', '$.name', "$['01']", "$['1']['2']", "$['3']['1']", "$['__proto__']", "$['536870912']", "$['2'][0]"];

// --- Schemas --------------------------------------------------------------------------------

const benchStream = PAYLOAD_STREAMS['protobuf-schema'];
const benchChoice = benchStream?.protobuf;
if (!benchChoice || !('proto' in benchChoice.schema) || benchChoice.type === undefined) throw new Error('the bench has no protobuf schema stream');
const BENCH = schemaOf(benchChoice.schema.proto, benchChoice.type);

const RICH_PROTO = `
syntax = "proto3";
enum Side { BUY = 0; SELL = 1; }
message Inner { string name = 1; sint32 delta = 2; Inner next = 3; }
message Rich {
  int32 i32 = 1; uint32 u32 = 2; sint32 s32 = 3; int64 i64 = 4; uint64 u64 = 5; sint64 s64 = 6;
  bool flag = 7; double d = 8; float f = 14; fixed32 fx32 = 15; sfixed32 sfx32 = 16; fixed64 fx64 = 17;
  string text = 20; bytes raw = 21; Inner inner = 22; Side side = 23; repeated int32 list = 100;
  map<string, int32> counts = 5000; optional int32 maybe = 24; oneof choice { string a = 25; int32 b = 26; }
  optional string maybe_text = 27; Inner other = 28;
}
`;
const RICH = schemaOf(RICH_PROTO, 'Rich');
const INNER_SPEC: Record<number, Spec> = { 1: { kind: 'text' }, 2: { kind: 'varint' } };
INNER_SPEC[3] = { kind: 'message', fields: INNER_SPEC };
const RICH_SPEC: Record<number, Spec> = {
  1: { kind: 'varint' }, 2: { kind: 'varint' }, 3: { kind: 'varint' }, 4: { kind: 'varint' }, 5: { kind: 'varint' }, 6: { kind: 'varint' },
  7: { kind: 'varint' }, 8: { kind: 'fixed64' }, 14: { kind: 'fixed32' }, 15: { kind: 'fixed32' }, 16: { kind: 'fixed32' }, 17: { kind: 'fixed64' },
  20: { kind: 'text' }, 21: { kind: 'bytes' }, 22: { kind: 'message', fields: INNER_SPEC }, 23: { kind: 'varint' }, 100: { kind: 'varint' },
  24: { kind: 'varint' }, 25: { kind: 'text' }, 26: { kind: 'varint' }, 27: { kind: 'text' }, 28: { kind: 'message', fields: INNER_SPEC },
};
const RICH_PATHS = ['$.i32', '$.u32', '$.s32', '$.i64', '$.u64', '$.s64', '$.flag', '$.d', '$.f', '$.fx32', '$.sfx32', '$.fx64', '$.text', '$.raw', '$.inner', '$.side', '$.list', '$.counts', '$.maybe', '$.a', '$.b', '$.maybe_text', '$.missing', '$', '$[0]', '$.inner.name', '$.inner.delta', '$.inner.next', '$.inner.next.delta', '$.inner.next.name', '$.inner[0]', '$.inner.nosuch', '$.other', '$.other.name', '$.other.next.name', '$.text.a', "$['__proto__']"];

const P2_PROTO = `
syntax = "proto2";
message Sub { optional uint32 x = 1; }
message Req { required int32 r = 1; }
message P2 { optional int32 a = 1 [default = 5]; optional string s = 2; optional bool b = 3; optional Sub sub = 4; optional Req req = 5; optional group G = 6 { optional int32 y = 7; } }
`;
const P2 = schemaOf(P2_PROTO, 'P2');
const P2_SPEC: Record<number, Spec> = { 1: { kind: 'varint' }, 2: { kind: 'text' }, 3: { kind: 'varint' }, 4: { kind: 'message', fields: { 1: { kind: 'varint' } } }, 5: { kind: 'message', fields: { 1: { kind: 'varint' } } } };
const P2_PATHS = ['$.a', '$.s', '$.b', '$.sub', '$.req', '$.g', '$.G', '$.missing', '$'];

const BENCH_SPEC: Record<number, Spec> = { 1: { kind: 'text' }, 2: { kind: 'varint' }, 3: { kind: 'message', fields: { 1: { kind: 'text' }, 2: { kind: 'fixed64' } } } };
const BENCH_PATHS = ['$.event', '$.seq', '$.data', '$.missing', '$', '$.data.price', '$.event.x', '$[1]'];

/** Random objects encoded by protobufjs: valid messages with every field kind. */
function richObject(random: Random): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  const maybe = (key: string, value: () => unknown): void => {
    if (random(2) === 0) object[key] = value();
  };
  maybe('i32', () => pick(random, [0, 1, -1, 300, 2 ** 31 - 1, -(2 ** 31)]));
  maybe('u32', () => pick(random, [0, 1, 300, 2 ** 32 - 1]));
  maybe('s32', () => pick(random, [0, 1, -1, -300]));
  maybe('i64', () => pick(random, [0, 1, -1, 2 ** 53 - 1, '9007199254740993', '-9223372036854775808']));
  maybe('u64', () => pick(random, [0, 1, 2 ** 53 - 1, '18446744073709551615']));
  maybe('s64', () => pick(random, [0, -1, 5]));
  maybe('flag', () => random(2) === 0);
  maybe('d', () => pick(random, [0, -0, 1.5, -2, NaN, Infinity]));
  maybe('f', () => pick(random, [0, 0.1, -1, NaN]));
  maybe('fx32', () => pick(random, [0, 5, 2 ** 32 - 1]));
  maybe('sfx32', () => pick(random, [0, -5]));
  maybe('text', () => pick(random, ['', 'abc', 'caf\u00e9', '{"a":1}', '\ufeffx']));
  maybe('raw', () => Buffer.from(pick(random, [[], [1, 2]])));
  maybe('inner', () => ({ name: 'n', delta: -1 }));
  maybe('other', () => ({ name: pick(random, ['', 'o']), next: { name: 'x', delta: random(3) } }));
  maybe('side', () => random(2));
  maybe('list', () => [1, 2]);
  maybe('maybe', () => pick(random, [0, 7]));
  maybe('maybe_text', () => pick(random, ['', 'x']));
  if (random(3) === 0) object[random(2) === 0 ? 'a' : 'b'] = random(2) === 0 ? 'a' : 3;
  return object;
}

interface Suite {
  readonly name: string;
  readonly schema: ProtobufSchema | undefined;
  readonly paths: readonly string[];
  readonly message: (random: Random) => Buffer;
}

const SUITES: readonly Suite[] = [
  { name: 'without a schema', schema: undefined, paths: WIRE_PATHS, message: (random) => randomBytes(random) },
  { name: 'without a schema, bench-like', schema: undefined, paths: WIRE_PATHS, message: (random) => randomBytes(random, BENCH_SPEC) },
  { name: "the bench's Event", schema: BENCH, paths: BENCH_PATHS, message: (random) => randomBytes(random, BENCH_SPEC) },
  {
    name: 'Rich (every field kind)',
    schema: RICH,
    paths: RICH_PATHS,
    message: (random) => {
      if (random(3) !== 0) return randomBytes(random, RICH_SPEC);
      const type = typeOf(RICH);
      if (!type) throw new Error('no type');
      return Buffer.from(type.encode(type.fromObject(richObject(random))).finish());
    },
  },
  { name: 'proto2 with defaults, a required field and a group', schema: P2, paths: P2_PATHS, message: (random) => randomBytes(random, P2_SPEC) },
];

/** Messages a proof answers for: its proof of every query, against the decoder's value. */
function compare(suite: Suite, seed: number, queries: number, messages: number): { proofs: number; matches: number; wrong: string[] } {
  const random = seeded(seed);
  const bytes = Array.from({ length: messages }, () => suite.message(random));
  const opcodes = bytes.map(() => (random(12) === 0 ? pick(random, ['text', 'ping', 'close']) : 'binary'));
  const values = bytes.map((message, k) => decodedValue(suite.schema, message, opcodes[k] ?? 'binary'));
  let proofs = 0;
  let matches = 0;
  const wrong: string[] = [];
  for (let q = 0; q < queries; q++) {
    const text = randomQuery(random, suite.paths);
    const query = queryOf(text);
    const proof = protobufMatchProof(query, typeOf(suite.schema));
    for (const [k, message] of bytes.entries()) {
      const read = values[k];
      const truth = read !== undefined && matchesDecodedQuery(query, read.value);
      if (truth) matches++;
      // At an offset in a slab with bytes around it.
      const slab = Buffer.concat([Buffer.from([0x08, 0x01]), message, Buffer.from([0x12])]);
      if (!proof?.(slab, 2, 2 + message.length, opcodes[k] ?? 'binary')) continue;
      proofs++;
      if (!truth) wrong.push(`${text} on ${message.toString('hex')} (${opcodes[k]})`);
    }
  }
  return { proofs, matches, wrong };
}

describe('protobufMatchProof', () => {
  for (const [index, suite] of SUITES.entries()) {
    it(`proves only messages the decoder reads as valid and the query matches: ${suite.name} (generated)`, () => {
      const { proofs, matches, wrong } = compare(suite, 300 + index, 400, 250);
      if (process.env.PROOF_STATS) console.log(suite.name, { proofs, matches });
      expect(wrong.slice(0, 5)).toEqual([]);
      // Not vacuous: a share of the matches is proven.
      expect(proofs).toBeGreaterThan(matches / 10);
    });
  }

  it("proves the bench's messages for its dense queries, and exactly those the decoder matches", () => {
    const frames: StreamFrame[] = [];
    PAYLOAD_STREAMS.protobuf?.fill(2000, (frame) => frames.push(frame));
    expect(frames.length).toBe(2000);
    const cases: [string, ProtobufSchema | undefined][] = [
      ["$['2'] >= 0", undefined],
      ['$.seq >= 0', BENCH],
      ["$['2'] > 100 && $['1'] != 'chat'", undefined],
      ["$['1'] =~ /^e/", undefined],
      ["$['3']", undefined],
      ["$['9'] != 1", undefined],
      ["$.seq > 10 && $.event != 'chat' && $.data", BENCH],
      ["$.event == 'chat'", BENCH],
      ['$.missing != 3', BENCH],
      ['$.data.price >= 0 && $.seq >= 0', BENCH],
      ["$.data.sym =~ /^ABC1/ && $.data.nosuch != 2 && $.data[0] != 1", BENCH],
    ];
    for (const [text, schema] of cases) {
      const proof = proofFor(text, schema);
      expect(proof, text).toBeDefined();
      let count = 0;
      for (const [i, frame] of frames.entries()) {
        const bytes = Buffer.from(frame.bytes);
        const truth = decodedMatch(text, bytes, schema);
        expect(proven(text, bytes, schema), `${text} on message ${i}`).toBe(truth);
        if (truth) count++;
      }
      expect(count, text).toBeGreaterThan(0);
    }
    // Message 0 holds seq 0: without a schema it is 0; proto3 leaves it out.
    const first = Buffer.from(frames[0]?.bytes ?? []);
    expect(proven("$['2'] >= 0", first)).toBe(true);
    expect(proven('$.seq >= 0', first, BENCH)).toBe(false);
    expect(proven('$.seq != 0', first, BENCH)).toBe(true);
  });

  it('has no proof for a query no message is proven for', () => {
    for (const text of ["$['2'][0] == 1", "$['2'].x", "$['1']['2'] == 1", "$[*] == 1", "$.$bytes", "$['__proto__']", "$[0] == 1", '$.name', "$['1'] == 1 && $.x == 2"]) {
      expect(proofFor(text, undefined), text).toBeUndefined();
    }
    for (const text of ['$.event.x', '$.missing == 1', '$[0]', '$.data[0]', '$.data.nosuch == 1', '$.data.sym.x']) expect(proofFor(text, BENCH), text).toBeUndefined();
    for (const text of ['$.list', '$.counts', '$.side == 1', '$.a']) expect(proofFor(text, RICH), text).toBeUndefined();
    // A type with a required field: protobufjs checks it.
    expect(protobufMatchProof(queryOf('$.r > 0'), typeOf(schemaOf(P2_PROTO, 'Req')))).toBeUndefined();
    // A clause that holds for every valid message leaves the others (or the message's validity) to prove.
    expect(proven("$['7'] != 1 && $", Buffer.from([0x08, 0x01]))).toBe(true);
    expect(proven("$['1'] != 1", Buffer.from([0x08, 0x01, 0x30]))).toBe(false);
  });

  it('reads varints as the decoder shows them, without a schema', () => {
    const field2 = (bytes: number[]): Buffer => Buffer.from([0x10, ...bytes]);
    expect(proven("$['2'] == -1", field2(varint(-1n)))).toBe(true);
    expect(proven("$['2'] == 300", field2(overlong(300n, 3)))).toBe(true);
    expect(proven("$['2'] == 9007199254740991", field2(varint(2n ** 53n - 1n)))).toBe(true);
    expect(decodedMatch("$['2'] == '9007199254740992'", field2(varint(2n ** 53n)))).toBe(true);
    expect(proven("$['2'] == '9007199254740992'", field2(varint(2n ** 53n)))).toBe(false);
    expect(proven("$['2'] == -9007199254740991", field2(varint(-(2n ** 53n) + 1n)))).toBe(true);
    // Seen twice: a list.
    expect(proven("$['2'] != 1", Buffer.from([0x10, 0x01, 0x10, 0x01]))).toBe(true);
    expect(proven("$['2'] >= 0", Buffer.from([0x10, 0x01, 0x10, 0x01]))).toBe(false);
    // Fixed values are objects; text is text; other length-delimited values are objects.
    expect(proven("$['1'] != 0", Buffer.from([0x0d, 0, 0, 0, 0]))).toBe(true);
    expect(proven("$['1'] == 0", Buffer.from([0x0d, 0, 0, 0, 0]))).toBe(false);
    expect(proven("$['1'] == 'ab'", Buffer.from([0x0a, 0x02, 0x61, 0x62]))).toBe(true);
    expect(proven("$['1'] != 'ab'", Buffer.from([0x0a, 0x02, 0x08, 0x01]))).toBe(true);
    expect(proven("$['1'] == ''", Buffer.from([0x0a, 0x00]))).toBe(true);
    // Not valid: a group end with no group, field 0, an 11-byte varint, a cut length.
    for (const bad of [[0x0c], [0x00, 0x01], [0x10, ...Array.from({ length: 10 }, () => 0x81), 0x01], [0x0a, 0x05, 0x61]]) {
      expect(decodedValue(undefined, Buffer.from(bad)), Buffer.from(bad).toString('hex')).toBeUndefined();
      expect(proven("$['7'] != 1", Buffer.from(bad))).toBe(false);
    }
    // Only data frames are decoded.
    expect(proven("$['2'] >= 0", field2([1]), undefined, 'ping')).toBe(false);
    expect(proven("$['2'] >= 0", field2([1]), undefined, 'text')).toBe(true);
    expect(proven("$['2'] != 1", Buffer.alloc(0))).toBe(true);
  });

  it('reads schema fields as protobufjs shows them: the last occurrence, defaults without presence left out', () => {
    const type = typeOf(RICH);
    if (!type) throw new Error('no type');
    const enc = (object: Record<string, unknown>): Buffer => Buffer.from(type.encode(type.fromObject(object)).finish());
    expect(proven('$.i32 == -1', enc({ i32: -1 }), RICH)).toBe(true);
    expect(proven('$.s32 == -300', enc({ s32: -300 }), RICH)).toBe(true);
    expect(proven("$.i64 == '-1'", enc({ i64: -1 }), RICH)).toBe(true);
    // 64-bit integers: digits shown, compared as the integer (QA D8), past 2^53 too.
    expect(proven('$.i64 == -1', enc({ i64: -1 }), RICH)).toBe(true);
    expect(proven('$.i64 < -9007199254740992', enc({ i64: '-9007199254740993' }), RICH)).toBe(true);
    expect(proven('$.u64 == 18446744073709551615', enc({ u64: '18446744073709551615' }), RICH)).toBe(true);
    expect(proven("$.u64 == '18446744073709551615'", enc({ u64: '18446744073709551615' }), RICH)).toBe(true);
    expect(proven('$.s64 < -5.5', enc({ s64: '-6' }), RICH)).toBe(true);
    expect(proven('$.s64 < -5.5', enc({ s64: '-5' }), RICH)).toBe(false);
    expect(proven('$.fx64 > 9007199254740992', enc({ fx64: '9007199254740993' }), RICH)).toBe(true);
    expect(proven('$.fx64 >= 0', enc({ fx64: '0' }), RICH)).toBe(false);
    expect(proven("$.d == 'NaN'", enc({ d: NaN }), RICH)).toBe(true);
    expect(proven('$.d == 0', enc({ d: -0 }), RICH)).toBe(true);
    expect(proven("$.text == 'caf\u00e9'", enc({ text: 'caf\u00e9' }), RICH)).toBe(true);
    expect(proven('$.raw != 1', enc({ raw: Buffer.from([1]) }), RICH)).toBe(true);
    expect(proven('$.inner', enc({ inner: {} }), RICH)).toBe(true);
    // proto3 optional keeps 0; implicit presence leaves it out.
    expect(proven('$.maybe == 0', enc({ maybe: 0 }), RICH)).toBe(true);
    const zeroThenNothing = Buffer.from([0x08, 0x05, 0x08, 0x00]);
    expect(decodedMatch('$.i32 != 5', zeroThenNothing, RICH)).toBe(true);
    expect(proven('$.i32 != 5', zeroThenNothing, RICH)).toBe(true);
    expect(proven('$.i32 == 5', zeroThenNothing, RICH)).toBe(false);
    // A wrong wire type is skipped as unknown.
    expect(proven('$.i32 != 1', Buffer.from([0x0d, 1, 0, 0, 0]), RICH)).toBe(true);
    // Bad UTF-8 in a proto3 string fails the message.
    const badText = Buffer.from([0xa2, 0x01, 0x02, 0xc3, 0x28]);
    expect(decodedValue(RICH, badText)).toBeUndefined();
    expect(proven('$.i32 != 1', badText, RICH)).toBe(false);
    // A message field's occurrences are merged: the last occurrence of a field inside any of them is shown.
    const twice = Buffer.concat([enc({ inner: { name: 'a', delta: 3 } }), enc({ inner: { delta: 4 } })]);
    expect(proven("$.inner.name == 'a' && $.inner.delta == 4", twice, RICH)).toBe(true);
    const cleared = Buffer.concat([enc({ inner: { name: 'a' } }), Buffer.from([0xb2, 0x01, 0x02, 0x0a, 0x00])]);
    expect(decodedMatch('$.inner.name != 1 && $.inner', cleared, RICH)).toBe(true);
    expect(proven('$.inner.name != 1 && $.inner', cleared, RICH)).toBe(true);
    expect(proven("$.inner.name == 'a'", cleared, RICH)).toBe(false);
    expect(proven('$.inner.next.delta == -1', enc({ inner: { next: { delta: -1 } } }), RICH)).toBe(true);
    // A path goes on into a string's JSON text: left to the decoder.
    const jsonText = enc({ text: '{"a":1}', inner: { name: '{"b":2}' } });
    expect(decodedMatch('$.text.a == 1 && $.inner.name.b == 2', jsonText, RICH)).toBe(true);
    expect(proven('$.text.a != 1', jsonText, RICH)).toBe(false);
    expect(proven('$.inner.name.b != 2', jsonText, RICH)).toBe(false);
    // A nested message must read to its end.
    const badInner = Buffer.from([0xb2, 0x01, 0x02, 0x08, 0x96]);
    expect(decodedValue(RICH, badInner)).toBeUndefined();
    expect(proven('$.i32 != 1', badInner, RICH)).toBe(false);
  });

  it('does not prove a message nested deeper than protobufjs reads', () => {
    const nest = (levels: number): Buffer => {
      let body: number[] = [];
      for (let k = 0; k < levels; k++) body = [...tag(3, 2), ...varint(BigInt(body.length)), ...body];
      return Buffer.from([...tag(22, 2), ...varint(BigInt(body.length)), ...body]);
    };
    expect(decodedValue(RICH, nest(150))).toBeUndefined();
    expect(proven('$.inner', nest(150), RICH)).toBe(false);
    expect(decodedMatch('$.inner', nest(20), RICH)).toBe(true);
    expect(proven('$.inner', nest(20), RICH)).toBe(true);
  });

  it('never throws, on any bytes and any query', () => {
    const random = seeded(99);
    const schemas = [undefined, BENCH, RICH, P2];
    const paths = [...WIRE_PATHS, ...RICH_PATHS, ...BENCH_PATHS, ...P2_PATHS];
    const thrown: string[] = [];
    for (let q = 0; q < 200; q++) {
      const text = randomQuery(random, paths);
      const proof = protobufMatchProof(queryOf(text), typeOf(schemas[random(schemas.length)]));
      for (let m = 0; m < 100; m++) {
        const bytes = Buffer.from(Array.from({ length: random(24) }, () => random(256)));
        const start = random(bytes.length + 1);
        const end = start + random(bytes.length - start + 1);
        try {
          proof?.(bytes, start, end, 'binary');
        } catch (error) {
          thrown.push(`${text} on ${bytes.toString('hex')} [${start}, ${end}): ${String(error)}`);
        }
      }
    }
    expect(thrown.slice(0, 5)).toEqual([]);
  });
});
