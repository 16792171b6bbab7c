/**
 * `[*]` clauses whose literal is not a string (any-step-probe.ts; msgpack-probe.ts
 * msgpackAnyMayHold, cbor-probe.ts cborAnyMayHold, json-path-follow.ts jsonAnyMayHold): the
 * prefilter must never pass over a message whose decoding the query matches, so a search's
 * results equal decoding every frame in order. Checked on crafted messages (duplicate keys,
 * keys that are not strings, bytes, JSON text in strings, extensions, tags) and on generated
 * adversarial ones written head by head (every MessagePack and CBOR number encoding, NaN, -0,
 * infinities, integers past 2^53, half floats, bignum and date tags, indefinite lengths, bad
 * UTF-8, byte order marks, damage) and JSON payloads wrapped in Base64 and gzip.
 */
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { anyStepProbePrefilter } from '../../../src-main/core/decode/any-step-probe';
import { createDecoder } from '../../../src-main/core/decode/decoder-registry';
import { ProtobufDecoder } from '../../../src-main/core/decode/protobuf-decoder';
import { loadProtobufSchema, type ProtobufSchema } from '../../../src-main/core/decode/protobuf-schema';
import { matchesDecodedQuery, parseDecodedQuery, type DecodedQuery } from '../../../src-main/shared/decoded-query';
import { binary, compareSearches, pick, seeded } from './prefilter-harness';
import { randomJson } from './random-json';

type Random = (n: number) => number;
type Format = 'msgpack' | 'cbor' | 'base64' | 'compressed';

function parsed(query: string): DecodedQuery {
  const result = parseDecodedQuery(query);
  if (!result.ok) throw new Error(result.error);
  return result.query;
}

/** Whether the query's prefilter passes the message over (a fresh rule: no budget skips it), read inside a larger slab. */
function passedOver(format: Format, query: string, bytes: Buffer): boolean {
  const rule = anyStepProbePrefilter(format, parsed(query), 'none');
  // No rule: every message is decoded.
  if (!rule?.lacks) return false;
  const slab = Buffer.concat([Buffer.from([0xc1, 0x7b, 0x5b]), bytes, Buffer.from([0x81, 0xa1, 0x61, 0x22, 0x5d])]);
  return bytes.length > 0 ? rule.lacks(slab, 3, 3 + bytes.length) : rule.selfContained(slab, 3, 3, 'binary');
}

function matches(format: Format, query: string, bytes: Buffer): boolean {
  const outcome = createDecoder(format).decode({ seq: 1, dir: 'in', opcode: 'binary', bytes });
  return outcome !== undefined && outcome.kind !== 'invalid' && matchesDecodedQuery(parsed(query), outcome.value);
}

/**
 * Each query over the messages as a search walks them: the matches of decoding every frame,
 * and of decoding only those the prefilter does not pass over. Returns how many it passed over.
 */
function expectExact(format: Format, queries: readonly string[], messages: readonly Buffer[]): number {
  let passed = 0;
  for (const query of queries) {
    const everyFrame: number[] = [];
    const prefiltered: number[] = [];
    for (const [seq, bytes] of messages.entries()) {
      const hit = matches(format, query, bytes);
      if (hit) everyFrame.push(seq);
      const over = passedOver(format, query, bytes);
      if (over) passed++;
      if (!over && hit) prefiltered.push(seq);
      if (over && hit) expect.fail(`${format} ${query} passed over ${bytes.toString('hex')}, which matches`);
    }
    expect(prefiltered, `${format} ${query}`).toEqual(everyFrame);
  }
  return passed;
}

const hex = (text: string): Buffer => Buffer.from(text.replace(/\s+/g, ''), 'hex');

/** Queries with `[*]` and no string literal (and a few with one, which the walk reads alike). */
const QUERIES = [
  '$[*] > 5',
  '$[*] == 5',
  '$[*] < -1',
  '$[*] >= 9007199254740992',
  '$[*] == 0',
  '$[*] == null',
  '$[*] == true',
  '$[*] == false',
  '$[*]',
  '$[*] =~ /^a/',
  '$[*] =~ /NaN|Infinity|e/',
  '$[*] != 5',
  '$[*] != null',
  "$[*] == 'a'",
  '$.d[*] > 9990',
  '$.d[*] =~ /^ABC7$/',
  '$.d[*] != 1',
  '$.d[*]',
  '$[*][*] > 5',
  '$[*][*] != 2',
  '$[*].p == 1',
  '$[*].p != 1',
  '$[*][0] < 0',
  '$[1][*] > 1',
  '$.d[*][*]',
  '$[*].length > 1',
  '$[*] > 5 && $.p != 3',
  '$.p <= 3 && $[*] == true',
];

describe('MessagePack: a [*] clause tested on every value its path selects (msgpackAnyMayHold)', () => {
  it('reads maps and lists, and takes nothing of a scalar', () => {
    const messages = [
      hex('82 a1 64 82 a3 73 79 6d a4 41 42 43 37 a5 70 72 69 63 65 cd 27 0f a1 70 01'), // {d: {sym: 'ABC7', price: 9999}, p: 1}
      hex('81 a1 64 92 05 cb 40 c3 87 80 00 00 00 00'), // {d: [5, 9999.0]}
      hex('81 a1 64 07'), // {d: 7}
      hex('81 a1 64 80'), // {d: {}}
      hex('93 01 c0 c3'), // [1, null, true]
    ];
    expect(passedOver('msgpack', '$.d[*] > 9990', messages[0] ?? Buffer.alloc(0))).toBe(false);
    expect(passedOver('msgpack', '$.d[*] > 9990', messages[2] ?? Buffer.alloc(0))).toBe(true);
    expect(passedOver('msgpack', '$.d[*] > 9990', messages[3] ?? Buffer.alloc(0))).toBe(true);
    expect(passedOver('msgpack', '$.d[*] != 1', messages[3] ?? Buffer.alloc(0))).toBe(false);
    expect(expectExact('msgpack', QUERIES, messages)).toBeGreaterThan(0);
  });

  it('a duplicate key hides the earlier value: `!=` is unsure in such a map, the other tests read every value', () => {
    // {a: {p: 1}, a: 5}: the map keeps a: 5, where $[*].p selects nothing (so `!= 1` holds).
    const duplicate = hex('82 a1 61 81 a1 70 01 a1 61 05');
    expect(matches('msgpack', '$[*].p != 1', duplicate)).toBe(true);
    expect(passedOver('msgpack', '$[*].p != 1', duplicate)).toBe(false);
    // The same bytes but for the second key: nothing hidden, every value read, `!= 1` fails on p = 1.
    const distinct = hex('82 a1 61 81 a1 70 01 a1 62 05');
    expect(passedOver('msgpack', '$[*].p != 1', distinct)).toBe(true);
    // Keys of bad UTF-8 (0xFF, 0xFE) both read as U+FFFD: the same key to the decoder.
    const sameText = hex('82 a1 ff 81 a1 70 01 a1 fe 05');
    expect(matches('msgpack', '$[*].p != 1', sameText)).toBe(true);
    expect(passedOver('msgpack', '$[*].p != 1', sameText)).toBe(false);
    expect(expectExact('msgpack', ['$[*].p != 1', '$[*] != 5', '$[*].p > 0'], [duplicate, distinct, sameText])).toBeGreaterThan(0);
  });

  it('is unsure at a map with a key that is not a string ({$map}: one list), bytes ({$bytes, length}), extensions and 0xC1', () => {
    const cases = [
      hex('82 a1 61 01 02 cd 27 10'), // {a: 1, 2: 10000}: {$map: [['a', 1], [2, 10000]]}
      hex('81 a1 64 c4 03 61 62 63'), // {d: <bytes 'abc'>}: $.d[*] selects 'YWJj' and 3
      hex('81 a1 64 81 a1 61 d4 05 00'), // an application extension
      hex('81 a1 64 81 a1 61 c1'), // 0xC1
    ];
    for (const [query, bytes] of [
      ['$[*][1][1] > 9990', cases[0]],
      ['$.d[*] == 3', cases[1]],
      ["$.d[*] =~ /^YWJj$/", cases[1]],
      ['$.d[*] != 1', cases[2]],
      ['$.d[*] > 0', cases[3]],
    ] as const) {
      expect(passedOver('msgpack', query, bytes ?? Buffer.alloc(0)), query).toBe(false);
    }
    expect(matches('msgpack', '$[*][1][1] > 9990', cases[0] ?? Buffer.alloc(0))).toBe(true);
    expect(matches('msgpack', '$.d[*] == 3', cases[1] ?? Buffer.alloc(0))).toBe(true);
  });

  it('goes into a string only where it may hold JSON text', () => {
    const text = (s: string): Buffer => Buffer.concat([hex('81 a1 64'), Buffer.from([0xa0 | Buffer.byteLength(s)]), Buffer.from(s)]);
    const json = text('[1, 99999]');
    expect(matches('msgpack', '$.d[*] > 9990', json)).toBe(true);
    expect(passedOver('msgpack', '$.d[*] > 9990', json)).toBe(false);
    expect(passedOver('msgpack', '$.d[*] > 9990', text('99999'))).toBe(true);
    expect(expectExact('msgpack', ['$.d[*] > 9990', '$.d[*] != 1', '$.d[*]'], [json, text('99999'), text(' {"a":1}'), text('')])).toBeGreaterThan(0);
  });
});

describe('CBOR: a [*] clause tested on every value its path selects (cborAnyMayHold)', () => {
  it('reads maps, lists and every number form; unsure at tags, indefinite lengths and keys that are not text', () => {
    const messages = [
      hex('a1 61 64 a2 63 73 79 6d 64 41 42 43 37 65 70 72 69 63 65 19 27 0f'), // {d: {sym: 'ABC7', price: 9999}}
      hex('a1 61 64 84 f9 7e 00 f9 80 00 fa 46 1c 3c 00 fb 7f f0 00 00 00 00 00 00'), // {d: [NaN, -0, 9999 (single), Infinity]}
      hex('a1 61 64 82 1b 00 20 00 00 00 00 00 01 3b 00 20 00 00 00 00 00 00'), // {d: [2^53 + 1, -(2^53) - 1]}
      hex('a1 61 64 81 c2 42 27 10'), // {d: [bignum 10000]}
      hex('a1 61 64 9f 19 27 10 ff'), // {d: [_ 10000]}
      hex('a2 61 61 01 02 19 27 10'), // {a: 1, 2: 10000}
      hex('a1 61 64 81 f7'), // {d: [undefined]}
    ];
    expect(passedOver('cbor', '$.d[*] > 9990', messages[0] ?? Buffer.alloc(0))).toBe(false);
    expect(passedOver('cbor', '$.d[*] =~ /^ABC8$/', messages[0] ?? Buffer.alloc(0))).toBe(true);
    expect(passedOver('cbor', '$.d[*] > 9990', messages[3] ?? Buffer.alloc(0))).toBe(false);
    expect(passedOver('cbor', '$.d[*] > 9990', messages[4] ?? Buffer.alloc(0))).toBe(false);
    expect(passedOver('cbor', '$[*][1][1] > 9990', messages[5] ?? Buffer.alloc(0))).toBe(false);
    expect(passedOver('cbor', '$.d[*] == null', messages[6] ?? Buffer.alloc(0))).toBe(false);
    const more = ['$.d[*] > 9990', '$.d[*] == 0', '$.d[*] =~ /NaN|Infinity/', '$.d[*] > 9007199254740992', '$.d[*] =~ /9007199254740993/', '$.d[*] == null', '$[*][1][1] > 9990', '$.d[*] != 0'];
    expect(expectExact('cbor', [...QUERIES, ...more], messages)).toBeGreaterThan(0);
  });

  it('a duplicate key hides the earlier value: `!=` is unsure in such a map', () => {
    const duplicate = hex('a2 61 61 a1 61 70 01 61 61 05'); // {a: {p: 1}, a: 5}
    expect(matches('cbor', '$[*].p != 1', duplicate)).toBe(true);
    expect(passedOver('cbor', '$[*].p != 1', duplicate)).toBe(false);
    expect(passedOver('cbor', '$[*].p != 1', hex('a2 61 61 a1 61 70 01 61 62 05'))).toBe(true);
    const sameText = hex('a2 61 ff a1 61 70 01 61 fe 05'); // keys 0xFF and 0xFE: both U+FFFD
    expect(matches('cbor', '$[*].p != 1', sameText)).toBe(true);
    expect(passedOver('cbor', '$[*].p != 1', sameText)).toBe(false);
  });
});

describe('compressed and Base64 payloads: a [*] clause under $.payload tested in the JSON (jsonAnyMayHold)', () => {
  const wrap = (format: 'base64' | 'compressed', text: string): Buffer => (format === 'base64' ? Buffer.from(Buffer.from(text).toString('base64')) : zlib.gzipSync(text));

  it.each(['base64', 'compressed'] as const)('%s: reads the payload JSON; a payload that is not JSON selects nothing', (format) => {
    const texts = ['{"data":{"sym":"ABC7","price":9999}}', '{"data":{"sym":"ABC7","price":5}}', '{"data":[1,{"a":2}]}', '{"data":"[99999]"}', 'data 99999', '\ufeff{"data":{"p":99999}}', '{"data":{"p":1},"data":{"p":99999}}', '{"data":{"p":99999},"data":{"p":1}}', '{"data":{"p":"\\u0039"}}'];
    const messages = texts.map((text) => wrap(format, text));
    expect(passedOver(format, '$.payload.data[*] > 9990', messages[0] ?? Buffer.alloc(0))).toBe(false);
    expect(passedOver(format, '$.payload.data[*] > 9990', messages[1] ?? Buffer.alloc(0))).toBe(true);
    expect(passedOver(format, '$.payload.data[*] > 9990', messages[3] ?? Buffer.alloc(0))).toBe(false);
    expect(passedOver(format, '$.payload.data[*] > 9990', messages[4] ?? Buffer.alloc(0))).toBe(true);
    // Not UTF-8, so bytes ({$bytes, length}) whatever JSON they start with: `$.payload[*]` selects the length, `!=` holds where nothing is selected.
    const notText = Buffer.concat([Buffer.from('{"data":{"a":1}}'), Buffer.from([0xff])]);
    messages.push(format === 'base64' ? Buffer.from(notText.toString('base64')) : zlib.gzipSync(notText));
    expect(matches(format, '$.payload[*] > 1', messages.at(-1) ?? Buffer.alloc(0))).toBe(true);
    expect(matches(format, '$.payload.data[*] != 1', messages.at(-1) ?? Buffer.alloc(0))).toBe(true);
    const queries = ['$.payload.data[*] > 9990', '$.payload.data[*] =~ /^ABC7$/', '$.payload.data[*]', '$.payload.data[*] == 2', '$.payload.data[*].a > 1', '$.payload.data[*] =~ /9/', '$.payload[0][*] > 1', '$.payload[*] > 1', '$.payload.data[*] != 1'];
    expect(expectExact(format, queries, messages)).toBeGreaterThan(0);
  });

  it('has no rule for `!=`, `$.payload[*]` (bytes show {$bytes, length}) or `$.payload.length…`', () => {
    for (const query of ['$.payload.data[*] != 1', '$.payload[*] > 1', '$.payload.length[*] > 1']) expect(anyStepProbePrefilter('base64', parsed(query), 'none'), query).toBeUndefined();
    expect(anyStepProbePrefilter('protobuf', parsed('$.data[*] > 1'), 'none')).toBeUndefined();
    expect(anyStepProbePrefilter('msgpack', parsed('$.data.price > 1'), 'none')).toBeUndefined();
  });
});

/** MessagePack written head by head: every number encoding, extensions, bytes, duplicate and odd keys. */
function msgpackValue(random: Random, depth: number): Buffer {
  const b = (...bytes: number[]): Buffer => Buffer.from(bytes);
  const sized = (head: number, size: number, write: (buffer: Buffer) => void): Buffer => {
    const out = Buffer.alloc(1 + size);
    out[0] = head;
    write(out);
    return out;
  };
  const kind = random(depth > 2 ? 10 : 13);
  switch (kind) {
    case 0:
      return b(random(2) === 0 ? random(128) : 0xe0 + random(32));
    case 1: {
      const value = pick(random, [0, 5, 9990, 9991, 65_535, 2 ** 31, 2 ** 32 - 1]);
      return pick(random, [sized(0xcc, 1, (o) => (o[1] = value & 0xff)), sized(0xcd, 2, (o) => o.writeUInt16BE(value & 0xffff, 1)), sized(0xce, 4, (o) => o.writeUInt32BE(value >>> 0, 1))]);
    }
    case 2: {
      const value = pick(random, [-1, -6, -9991, 127, -32_768, -(2 ** 31)]);
      return pick(random, [sized(0xd0, 1, (o) => o.writeInt8(Math.max(-128, Math.min(127, value)), 1)), sized(0xd1, 2, (o) => o.writeInt16BE(Math.max(-32_768, Math.min(32_767, value)), 1)), sized(0xd2, 4, (o) => o.writeInt32BE(value, 1))]);
    }
    case 3: {
      const big = pick(random, [0n, 9991n, 2n ** 53n + 1n, 2n ** 63n - 1n, 2n ** 64n - 1n]);
      return random(2) === 0 ? sized(0xcf, 8, (o) => o.writeBigUInt64BE(big, 1)) : sized(0xd3, 8, (o) => o.writeBigInt64BE(BigInt.asIntN(64, -big), 1));
    }
    case 4: {
      const value = pick(random, [NaN, -0, 0, Infinity, -Infinity, 9991.5, 5, 1e300, 3.4e38, 1.1]);
      return random(2) === 0 ? sized(0xca, 4, (o) => o.writeFloatBE(value, 1)) : sized(0xcb, 8, (o) => o.writeDoubleBE(value, 1));
    }
    case 5:
      return b(pick(random, [0xc0, 0xc2, 0xc3]));
    case 6: {
      const text = pick(random, [Buffer.from('a'), Buffer.from('ABC7'), Buffer.from('9999'), Buffer.from('[1, 99999]'), Buffer.from(' {"p":1}'), Buffer.from('\ufeffabc'), b(0xc3, 0x28), Buffer.from('caf\u00e9'), Buffer.alloc(0), Buffer.from('NaN')]);
      return random(3) === 0 ? Buffer.concat([b(0xd9, text.length), text]) : Buffer.concat([b(0xa0 | text.length), text]);
    }
    case 7:
      return Buffer.concat([b(0xc4, 2), b(random(256), random(256))]);
    case 8:
      return pick(random, [b(0xd4, 5, 0), b(0xd4, 0x72, 0), b(0xd6, 0xff, 0, 0, 0, 1), b(0xc1)]);
    case 9:
      return b(random(10));
    case 10:
    case 11: {
      const count = random(4);
      const items = Array.from({ length: count }, () => msgpackValue(random, depth + 1));
      return Buffer.concat([random(4) === 0 ? b(0xdc, 0, count) : b(0x90 | count), ...items]);
    }
    default: {
      const count = random(4);
      const entries = Array.from({ length: count }, () => Buffer.concat([msgpackKey(random), msgpackValue(random, depth + 1)]));
      return Buffer.concat([random(4) === 0 ? b(0xde, 0, count) : b(0x80 | count), ...entries]);
    }
  }
}

function msgpackKey(random: Random): Buffer {
  const key = random(12);
  if (key === 0) return Buffer.from([0x02]);
  if (key === 1) return Buffer.from([0xc4, 1, 0x64]);
  const text = Buffer.from(pick(random, ['d', 'd', 'p', 'a', '', '__proto__', 'caf\u00e9', '\ufeffd', 'length']));
  return Buffer.concat([Buffer.from([0xa0 | text.length]), text]);
}

/** CBOR written head by head: every integer width, half, single and double floats, tags, indefinite lengths, simple values. */
function cborValue(random: Random, depth: number): Buffer {
  const b = (...bytes: number[]): Buffer => Buffer.from(bytes);
  const head = (major: number, value: number): Buffer => {
    const m = major << 5;
    if (value < 24 && random(3) !== 0) return b(m | value);
    if (value < 256 && random(2) === 0) return b(m | 24, value);
    if (value < 65_536 && random(2) === 0) return b(m | 25, value >> 8, value & 0xff);
    const out = Buffer.alloc(5);
    out[0] = m | 26;
    out.writeUInt32BE(value >>> 0, 1);
    return out;
  };
  const kind = random(depth > 2 ? 10 : 13);
  switch (kind) {
    case 0:
      return head(0, pick(random, [0, 1, 5, 9990, 9991, 65_535, 2 ** 32 - 1]));
    case 1:
      return head(1, pick(random, [0, 5, 9990]));
    case 2: {
      const big = pick(random, [0n, 9991n, 2n ** 53n, 2n ** 53n + 1n, 2n ** 64n - 1n]);
      const out = Buffer.alloc(9);
      out[0] = random(2) === 0 ? 0x1b : 0x3b;
      out.writeBigUInt64BE(big, 1);
      return out;
    }
    case 3: {
      const which = random(3);
      if (which === 0) return b(0xf9, ...pick(random, [[0x7e, 0x00], [0x80, 0x00], [0x7c, 0x00], [0x70, 0xe2], [0x3c, 0x00], [0x00, 0x01]]));
      const value = pick(random, [NaN, -0, Infinity, 9991.5, 5, 1e300, 1.1]);
      const out = Buffer.alloc(which === 1 ? 5 : 9);
      out[0] = which === 1 ? 0xfa : 0xfb;
      if (which === 1) out.writeFloatBE(value, 1);
      else out.writeDoubleBE(value, 1);
      return out;
    }
    case 4:
      return b(pick(random, [0xf4, 0xf5, 0xf6, 0xf7, 0xe5, 0xf8]), ...(random(2) === 0 ? [] : [0x20]));
    case 5: {
      const text = pick(random, [Buffer.from('a'), Buffer.from('ABC7'), Buffer.from('[1, 99999]'), Buffer.from(' {"p":1}'), Buffer.from('\ufeffabc'), b(0xc3, 0x28), Buffer.from('9999'), Buffer.alloc(0)]);
      return random(5) === 0 ? Buffer.concat([b(0x7f), head(3, text.length), text, b(0xff)]) : Buffer.concat([head(3, text.length), text]);
    }
    case 6:
      return Buffer.concat([head(2, 2), b(random(256), random(256))]);
    case 7:
      return pick(random, [b(0xc2, 0x42, 0x27, 0x10), b(0xc3, 0x41, 0x05), b(0xc1, 0x1a, 0x65, 0x00, 0x00, 0x00), b(0xd8, 0x40, 0x42, 0x01, 0x02)]);
    case 8:
    case 9:
      return head(0, random(12));
    case 10:
    case 11: {
      const count = random(4);
      const items = Array.from({ length: count }, () => cborValue(random, depth + 1));
      return random(5) === 0 ? Buffer.concat([b(0x9f), ...items, b(0xff)]) : Buffer.concat([head(4, count), ...items]);
    }
    default: {
      const count = random(4);
      const entries = Array.from({ length: count }, () => Buffer.concat([cborKey(random), cborValue(random, depth + 1)]));
      return random(6) === 0 ? Buffer.concat([b(0xbf), ...entries, b(0xff)]) : Buffer.concat([head(5, count), ...entries]);
    }
  }
}

function cborKey(random: Random): Buffer {
  const key = random(12);
  if (key === 0) return Buffer.from([0x02]);
  if (key === 1) return Buffer.from([0x41, 0x64]);
  const text = Buffer.from(pick(random, ['d', 'd', 'p', 'a', '', '__proto__', 'caf\u00e9', '\ufeffd', 'length']));
  return Buffer.concat([Buffer.from([0x60 | text.length]), text]);
}

function damaged(random: Random, bytes: Buffer): Buffer {
  if (random(5) !== 0 || bytes.length < 2) return bytes;
  if (random(2) === 0) return bytes.subarray(0, random(bytes.length));
  const copy = Buffer.from(bytes);
  copy[random(copy.length)] = random(256);
  return copy;
}

describe('generated adversarial messages: a search equals decoding every frame in order', () => {
  const ROUNDS = Number(process.env.PROBE_FUZZ_ROUNDS ?? 400);

  it.each(['msgpack', 'cbor'] as const)('%s', (format) => {
    const random = seeded(format === 'msgpack' ? 141 : 142);
    const messages: Buffer[] = [Buffer.alloc(0)];
    for (let i = 0; i < ROUNDS; i++) {
      // A map at the top most of the time, with a `d` holding a container: the paths meet values.
      const top = format === 'msgpack' ? msgpackValue(random, 0) : cborValue(random, 0);
      const inner = format === 'msgpack' ? msgpackValue(random, 1) : cborValue(random, 1);
      const wrapped = random(3) === 0 ? top : Buffer.concat([Buffer.from([format === 'msgpack' ? 0x82 : 0xa2]), format === 'msgpack' ? msgpackKey(random) : cborKey(random), inner, Buffer.from([format === 'msgpack' ? 0xa1 : 0x61, 0x64]), top]);
      messages.push(damaged(random, wrapped));
    }
    const passed = expectExact(format, QUERIES, messages);
    // Not vacuous: most messages are read and many passed over.
    expect(passed).toBeGreaterThan(messages.length * QUERIES.length * 0.2);
  });

  it.each(['base64', 'compressed'] as const)('%s JSON payloads', (format) => {
    const random = seeded(format === 'base64' ? 143 : 144);
    const messages: Buffer[] = [];
    for (let i = 0; i < ROUNDS / 2; i++) {
      const inner = randomJson(random, 3);
      const text = random(4) === 0 ? inner : `{"a":${randomJson(random, 2)},"price":${randomJson(random, 1)}, "list" : ${inner}}`;
      const withMark = random(10) === 0 ? `\ufeff${text}` : text;
      const bytes = format === 'base64' ? Buffer.from(Buffer.from(withMark).toString('base64')) : zlib.gzipSync(withMark);
      messages.push(random(8) === 0 ? Buffer.from(bytes.subarray(0, bytes.length - 1)) : bytes);
    }
    const queries = ['$.payload.list[*] > 5', '$.payload.list[*] == 0', '$.payload.a[*] =~ /^r/', '$.payload.list[*]', '$.payload.list[*][*] < 0', '$.payload.list[*].price >= 999', '$.payload.a[*].list == true', '$.payload.list[*] == null', '$.payload[0][*] > 1', '$.payload.list[1][*] > 0', '$.payload.list[*] > 5 && $.payload.price != 1'];
    const passed = expectExact(format, queries, messages);
    expect(passed).toBeGreaterThan(messages.length * queries.length * 0.2);
  });
});

describe('through the search (query-probe.ts calling anyStepProbePrefilter): forward twice and backward, equal to decoding every frame in order', () => {
  it.each(['msgpack', 'cbor', 'base64', 'compressed'] as const)('%s', (format) => {
    const random = seeded(150 + format.length);
    const messages = [];
    for (let i = 0; i < 300; i++) {
      let bytes: Buffer;
      if (format === 'msgpack' || format === 'cbor') {
        const top = format === 'msgpack' ? msgpackValue(random, 0) : cborValue(random, 0);
        bytes = damaged(random, Buffer.concat([Buffer.from(format === 'msgpack' ? [0x81, 0xa1, 0x64] : [0xa1, 0x61, 0x64]), top]));
      } else {
        const text = `{"data":${randomJson(random, 3)}}`;
        bytes = format === 'base64' ? Buffer.from(Buffer.from(text).toString('base64')) : zlib.gzipSync(text);
      }
      messages.push(binary(random(4) === 0 ? 'out' : 'in', bytes));
    }
    messages.push(binary('in', Buffer.alloc(0)));
    const queries = format === 'msgpack' || format === 'cbor' ? ['$.d[*] > 5', '$.d[*] =~ /^a/', '$.d[*] == true', '$.d[*]', '$.d[*] != 5', '$.d[*][*] < 0', '$[*][*] == null'] : ['$.payload.data[*] > 5', '$.payload.data[*] =~ /^r/', '$.payload.data[*] == null', '$.payload.data[*]', '$.payload.data[*][*] < 0'];
    for (const { label, expected, got } of compareSearches(messages, format, 'ws://h/', () => createDecoder(format), queries.map((query) => ({ query })))) {
      expect(got, `${format} ${label}`).toEqual(expected);
    }
  });
});

describe('Protocol Buffers with a schema: `$.data[*]` reads each field of the type it reaches (protobufAnyFields)', () => {
  const PROTO = `syntax = "proto3";
message Inner { uint32 n = 1; string s = 2; }
message Flat {
  double d = 1; float f = 2; int32 i = 3; uint32 u = 4; sint32 z = 5; fixed32 x = 6; sfixed32 y = 7; bool b = 8; string s = 9;
  Inner inner = 10; optional uint32 opt = 11;
}
message Other { uint32 n = 1; repeated uint32 many = 2; }
message Choice { uint32 n = 1; oneof pick { uint32 a = 2; string b = 3; } }
message Top { Flat data = 1; uint32 seq = 2; Other other = 3; Choice choice = 4; Inner inner = 5; }`;
  function schemaOf(type: string): ProtobufSchema {
    const loaded = loadProtobufSchema({ protoText: PROTO, name: 'any.proto' }, type);
    if ('problem' in loaded) throw new Error(loaded.problem);
    return loaded.schema;
  }
  const top = schemaOf('Top');
  const flat = schemaOf('Flat');

  function ruleOf(schema: ProtobufSchema, query: string) {
    const type = schema.messageType;
    if (!type) throw new Error('no message type');
    return anyStepProbePrefilter('protobuf', parsed(query), type);
  }

  const varint = (n: bigint): number[] => {
    const out: number[] = [];
    let v = BigInt.asUintN(64, n);
    while (v >= 0x80n) {
      out.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    out.push(Number(v));
    return out;
  };
  const tag = (id: number, wire: number): number[] => varint(BigInt(id * 8 + wire));
  const lengthDelimited = (id: number, body: readonly number[]): number[] => [...tag(id, 2), ...varint(BigInt(body.length)), ...body];

  /** A random field of Flat's numbers (1–12), often with its own wire type, sometimes another; numbers at the edges. */
  function flatField(random: Random): number[] {
    const id = random(12) + 1;
    const own = [1, 5, 0, 0, 0, 5, 5, 0, 2, 2, 0, 0][id - 1] ?? 0;
    const wire = random(4) === 0 ? pick(random, [0, 1, 2, 5]) : own;
    switch (wire) {
      case 0:
        return [...tag(id, 0), ...varint(pick(random, [0n, 1n, 2n, 9991n, 2n ** 31n, 2n ** 32n - 1n, 2n ** 40n, 2n ** 53n + 1n, -1n, -9991n, 2n ** 64n - 1n]))];
      case 1: {
        const b = Buffer.alloc(8);
        b.writeDoubleLE(pick(random, [0, -0, 9991.5, NaN, Infinity, -Infinity, 5, 2 ** 60]));
        return [...tag(id, 1), ...b];
      }
      case 5: {
        const b = Buffer.alloc(4);
        if (random(2) === 0) b.writeFloatLE(pick(random, [0, -0, 9991.5, NaN, Infinity, 0.1]));
        else b.writeInt32LE(pick(random, [0, -1, 9991, -(2 ** 31)]));
        return [...tag(id, 5), ...b];
      }
      default: {
        const body = id === 10 && random(2) === 0 ? [...tag(1, 0), ...varint(BigInt(random(20_000))), ...lengthDelimited(2, [...Buffer.from('s')])] : [...pick(random, [Buffer.from(''), Buffer.from('chat'), Buffer.from('ABC7'), Buffer.from('[1,99999]'), Buffer.from('caf\u00e9'), Buffer.from([0xc3, 0x28]), Buffer.from('9999')])];
        return lengthDelimited(id, body);
      }
    }
  }

  function flatMessage(random: Random): number[] {
    const out: number[] = [];
    for (let k = random(6); k > 0; k--) out.push(...flatField(random));
    return out;
  }

  function topMessage(random: Random): number[] {
    const out: number[] = [];
    for (let k = random(4); k >= 0; k--) {
      const which = random(8);
      if (which < 4) out.push(...lengthDelimited(1, flatMessage(random)));
      else if (which === 4) out.push(...tag(2, 0), ...varint(BigInt(random(100))));
      else if (which === 5) out.push(...lengthDelimited(3, [...tag(2, 0), 5]));
      else if (which === 6) out.push(...lengthDelimited(4, [...tag(2, 0), 7]));
      else out.push(...tag(9, 0), 1);
    }
    return out;
  }

  function damaged(random: Random, bytes: number[]): Buffer {
    const copy = Buffer.from(bytes);
    if (random(6) !== 0 || copy.length < 2) return copy;
    if (random(2) === 0) return copy.subarray(0, random(copy.length));
    copy[random(copy.length)] = random(256);
    return copy;
  }

  /** Fails when the rule passes over a message the query matches once decoded; returns how many it passed over. */
  function expectNeverPassesAMatch(schema: ProtobufSchema, queries: readonly string[], messages: readonly Buffer[]): number {
    let passed = 0;
    for (const query of queries) {
      for (const bytes of messages) {
        const rule = ruleOf(schema, query);
        if (!rule?.lacks) throw new Error(`no [*] rule for ${query}`);
        const slab = Buffer.concat([Buffer.from([0x08]), bytes, Buffer.from([0x20, 0x05])]);
        const over = bytes.length > 0 ? rule.lacks(slab, 1, 1 + bytes.length) : rule.selfContained(slab, 1, 1, 'binary');
        const outcome = new ProtobufDecoder(schema).decode({ seq: 1, dir: 'in', opcode: 'binary', bytes });
        const hit = outcome !== undefined && outcome.kind !== 'invalid' && matchesDecodedQuery(parsed(query), outcome.value);
        if (over && hit) expect.fail(`${query} passed over ${bytes.toString('hex')}, which decodes to ${JSON.stringify(outcome)}`);
        if (over) passed++;
      }
    }
    return passed;
  }

  const QUERIES_TOP = ['$.data[*] > 9990', '$.data[*] == 0', '$.data[*] < 0', '$.data[*] =~ /^ABC7$/', '$.data[*] =~ /NaN|Infinity|e/', '$.data[*] == true', '$.data[*] == false', '$.data[*]', '$.data[*] != 0', '$.data[*] == null', '$.data[*] > 4294967290', '$.data[*] == -1', '$.data[*] > 5 && $.seq < 50', '$.inner[*] > 9990'];

  it('reads the fields a message has, as toObject writes them: defaults of implicit fields dropped, the last occurrence, -0 and NaN kept', () => {
    const bytes = (...fields: number[][]): Buffer => Buffer.from(lengthDelimited(1, fields.flat()));
    const double = (n: number): number[] => {
      const b = Buffer.alloc(8);
      b.writeDoubleLE(n);
      return [...tag(1, 1), ...b];
    };
    const messages = [bytes(double(9999)), bytes(double(0)), bytes(double(5), double(9999)), bytes(double(9999), double(5)), bytes(double(-0)), bytes(double(NaN)), bytes([...tag(5, 0), ...varint(19_983n)]), bytes([...tag(4, 0), ...varint(2n ** 32n + 9991n)]), bytes([...tag(11, 0), 0]), bytes([...tag(3, 0), ...varint(-1n)]), Buffer.alloc(0)];
    expect(ruleOf(top, '$.data[*] > 9990')?.lacks?.(messages[0] ?? Buffer.alloc(0), 0, messages[0]?.length ?? 0)).toBe(false);
    expect(ruleOf(top, '$.data[*] > 9990')?.lacks?.(messages[3] ?? Buffer.alloc(0), 0, messages[3]?.length ?? 0)).toBe(true);
    expect(expectNeverPassesAMatch(top, QUERIES_TOP, messages)).toBeGreaterThan(0);
  });

  it('no rule where a field of the type is repeated, a map, a oneof member, or not read (enums, 64-bit, bytes), nor for [*] before the end', () => {
    // Other has a repeated field, Choice a oneof; a step after [*], an index before it.
    for (const query of ['$.other[*] > 1', '$.choice[*] > 1', '$.data[*].n > 1', '$.data[0][*] > 1']) expect(ruleOf(top, query), query).toBeUndefined();
    // Top's own fields are singular messages and a number: read.
    expect(ruleOf(top, '$[*] > 1')).toBeDefined();
    expect(ruleOf(top, '$.data.inner[*] > 1')).toBeDefined();
    expect(ruleOf(flat, '$[*] > 1')).toBeDefined();
  });

  it('generated and damaged messages: never passes over a match', () => {
    const random = seeded(161);
    const rounds = Number(process.env.PROBE_FUZZ_ROUNDS ?? 400);
    const tops = Array.from({ length: rounds }, () => damaged(random, topMessage(random)));
    const flats = Array.from({ length: rounds }, () => damaged(random, flatMessage(random)));
    expect(expectNeverPassesAMatch(top, QUERIES_TOP, tops)).toBeGreaterThan(tops.length * QUERIES_TOP.length * 0.2);
    const QUERIES_FLAT = ['$[*] > 9990', '$[*] == 0', '$[*] =~ /^c/', '$[*]', '$[*] != 1', '$[*] == true', '$[*] < -1', '$.inner[*] > 9990'];
    expect(expectNeverPassesAMatch(flat, QUERIES_FLAT, flats)).toBeGreaterThan(flats.length * QUERIES_FLAT.length * 0.1);
  });

  it('through the search: forward twice and backward, equal to decoding every frame in order', () => {
    const random = seeded(162);
    const messages = Array.from({ length: 300 }, () => binary('in', damaged(random, topMessage(random))));
    messages.push(binary('in', Buffer.alloc(0)));
    const choice = { schema: { name: 'any.proto', proto: PROTO }, type: 'Top' };
    for (const { label, expected, got } of compareSearches(messages, 'protobuf', 'ws://h/', () => new ProtobufDecoder(top), ['$.data[*] > 9990', '$.data[*] =~ /^ABC7$/', '$.data[*] == 0', '$.data[*]', '$.data[*] != 0'].map((query) => ({ query })), undefined, choice)) {
      expect(got, label).toEqual(expected);
    }
  });
});

describe("Protocol Buffers without a schema: `$[*]` and `$['N'][*]` read as protobuf-wire.ts reads the fields (protobuf-wire-probe.ts)", () => {
  const varint = (n: bigint, pad = 0): number[] => {
    const out: number[] = [];
    let v = BigInt.asUintN(64, n);
    while (v >= 0x80n) {
      out.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    out.push(Number(v));
    // Overlong: the same value in more bytes (zero groups after it).
    for (let k = 0; k < pad && out.length < 10; k++) {
      out[out.length - 1] = (out[out.length - 1] ?? 0) | 0x80;
      out.push(0);
    }
    return out;
  };
  const tag = (id: number, wire: number, pad = 0): number[] => varint(BigInt(id * 8 + wire), pad);
  const lengthDelimited = (id: number, body: readonly number[]): number[] => [...tag(id, 2), ...varint(BigInt(body.length)), ...body];

  function field(random: Random, depth: number): number[] {
    const id = pick(random, [1, 2, 3, 3, 4, 536_870_911]);
    switch (random(depth > 1 ? 5 : 7)) {
      case 0:
        return [...tag(id, 0, random(4) === 0 ? random(3) : 0), ...varint(pick(random, [0n, 5n, 9991n, 2n ** 48n, 2n ** 49n + 1n, 2n ** 53n + 1n, 2n ** 56n, -1n, -9991n, 2n ** 64n - 1n]), random(5) === 0 ? random(4) : 0)];
      case 1: {
        const b = Buffer.alloc(8);
        b.writeDoubleLE(pick(random, [0, -0, 9991.5, NaN, Infinity, 5]));
        return [...tag(id, 1), ...b];
      }
      case 2: {
        const b = Buffer.alloc(4);
        b.writeFloatLE(pick(random, [0, 9991.5, NaN]));
        return [...tag(id, 5), ...b];
      }
      case 3:
      case 4:
        return lengthDelimited(id, [...pick(random, [Buffer.from(''), Buffer.from('ABC7'), Buffer.from('9999'), Buffer.from('[1,99999]'), Buffer.from(' {"a":1}'), Buffer.from('caf\u00e9'), Buffer.from([0xc3, 0x28]), Buffer.from([0x01, 0x02, 0x03]), Buffer.from([0x96, 0x01]), Buffer.from('a\u0001'), Buffer.from('\tok\r\n'), Buffer.from([0x7f])])]);
      case 5:
        return [...tag(id, 3), ...message(random, depth + 1), ...tag(id, 4)];
      default:
        return lengthDelimited(id, message(random, depth + 1));
    }
  }

  function message(random: Random, depth = 0): number[] {
    const out: number[] = [];
    for (let k = random(5); k > 0; k--) out.push(...field(random, depth));
    return out;
  }

  function damaged(random: Random, bytes: number[]): Buffer {
    const copy = Buffer.from(bytes);
    if (random(6) !== 0 || copy.length < 2) return copy;
    if (random(2) === 0) return copy.subarray(0, random(copy.length));
    copy[random(copy.length)] = random(256);
    return copy;
  }

  const QUERIES_WIRE = ["$['3'][*] > 9990", "$['3'][*] =~ /^ABC7$/", "$['3'][*] == 0", "$['3'][*] < 0", "$['3'][*]", "$['3'][*] != 5", "$['3'][*] == ''", "$['3'][*] > 9007199254740992", "$['3'][*] =~ /^-?9/", '$[*] > 9990', "$[*] == ''", '$[*] =~ /^A/', '$[*] != 1', '$[*]', "$['536870911'][*] == 5", "$['3'][*] > 5 && $['2'] != 1"];

  function expectNeverPassesAMatch(queries: readonly string[], messages: readonly Buffer[]): number {
    let passed = 0;
    for (const query of queries) {
      for (const bytes of messages) {
        const rule = anyStepProbePrefilter('protobuf', parsed(query), 'none');
        if (!rule?.lacks) throw new Error(`no [*] rule for ${query}`);
        const slab = Buffer.concat([Buffer.from([0x1a, 0x7f]), bytes, Buffer.from([0x1a, 0x05])]);
        const over = bytes.length > 0 ? rule.lacks(slab, 2, 2 + bytes.length) : rule.selfContained(slab, 2, 2, 'binary');
        const outcome = new ProtobufDecoder().decode({ seq: 1, dir: 'in', opcode: 'binary', bytes });
        const hit = outcome !== undefined && outcome.kind !== 'invalid' && matchesDecodedQuery(parsed(query), outcome.value);
        if (over && hit) expect.fail(`${query} passed over ${bytes.toString('hex')}, which decodes to ${JSON.stringify(outcome)}`);
        if (over) passed++;
      }
    }
    return passed;
  }

  it('reads numbers as varintNumber shows them, a repeated field as its values, a nested message as its fields', () => {
    const m = (...fields: number[][]): Buffer => Buffer.from(fields.flat());
    const nested = m(lengthDelimited(3, [...lengthDelimited(1, [...Buffer.from('ABC7')]), ...tag(2, 1), ...Buffer.from([0, 0, 0, 0, 0, 0x88, 0xc3, 0x40])]));
    const messages = [
      nested,
      m(lengthDelimited(3, [...tag(1, 0), ...varint(9999n)])),
      m(lengthDelimited(3, [...tag(1, 0), ...varint(9999n), ...tag(1, 0), ...varint(1n)])), // a list: one container
      m(tag(3, 0), varint(9999n), tag(3, 0), varint(1n)), // field 3 twice: its values
      m(tag(3, 0), varint(-1n)), // 10 bytes: -1
      m(tag(3, 0), varint(2n ** 49n + 1n)), // 8 bytes, positive
      m(lengthDelimited(3, [...Buffer.from('[1,99999]')])),
      Buffer.alloc(0),
    ];
    const rule = (query: string, bytes: Buffer): boolean | undefined => anyStepProbePrefilter('protobuf', parsed(query), 'none')?.lacks?.(bytes, 0, bytes.length);
    expect(rule("$['3'][*] =~ /^ABC7$/", nested)).toBe(false);
    expect(rule("$['3'][*] > 9990", nested)).toBe(true);
    expect(rule("$['3'][*] > 9990", messages[1] ?? Buffer.alloc(0))).toBe(false);
    expect(rule("$['3'][*] > 9990", messages[2] ?? Buffer.alloc(0))).toBe(true);
    expect(rule("$['3'][*] > 9990", messages[3] ?? Buffer.alloc(0))).toBe(false);
    expect(rule("$['3'][*] > 9990", messages[6] ?? Buffer.alloc(0))).toBe(false);
    expect(expectNeverPassesAMatch([...QUERIES_WIRE, '$[*] == -1', '$[*] == 562949953421313'], messages)).toBeGreaterThan(0);
  });

  it('generated and damaged messages: never passes over a match', () => {
    const random = seeded(171);
    const rounds = Number(process.env.PROBE_FUZZ_ROUNDS ?? 400);
    const messages = Array.from({ length: rounds }, () => damaged(random, random(2) === 0 ? lengthDelimited(3, message(random, 1)) : message(random)));
    expect(expectNeverPassesAMatch(QUERIES_WIRE, messages)).toBeGreaterThan(messages.length * QUERIES_WIRE.length * 0.2);
  });

  it('through the search: forward twice and backward, equal to decoding every frame in order', () => {
    const random = seeded(172);
    const messages = Array.from({ length: 300 }, () => binary('in', damaged(random, random(2) === 0 ? lengthDelimited(3, message(random, 1)) : message(random))));
    messages.push(binary('in', Buffer.alloc(0)));
    for (const { label, expected, got } of compareSearches(messages, 'protobuf', 'ws://h/', () => new ProtobufDecoder(), ["$['3'][*] > 9990", "$['3'][*] =~ /^ABC7$/", '$[*] != 1', "$['3'][*]"].map((query) => ({ query })))) {
      expect(got, label).toEqual(expected);
    }
  });
});
