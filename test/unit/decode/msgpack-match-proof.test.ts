/**
 * The MessagePack match proof (msgpack-match-proof.ts) against the decoder itself: whenever the
 * proof says a message matches, decoding it alone (msgpack-decoder.ts) gives a valid value the
 * query matches. Messages are written byte by byte here (every head width, extensions, 0xC1,
 * keys that are not strings, duplicate keys, bad UTF-8, byte order marks, strings holding JSON
 * text, deep nesting), then cut, extended or changed; queries use every operator.
 */
import { pack } from 'msgpackr';
import { describe, expect, it } from 'vitest';
import { createDecoder } from '../../../src-main/core/decode/decoder-registry';
import { msgpackMatchProof } from '../../../src-main/core/decode/msgpack-match-proof';
import { matchesDecodedQuery, parseDecodedQuery, type DecodedQuery } from '../../../src-main/shared/decoded-query';
import { pick, seeded } from './prefilter-harness';

type Random = (n: number) => number;

function queryOf(text: string): DecodedQuery {
  const parsed = parseDecodedQuery(text);
  if (!parsed.ok) throw new Error(`${text}: ${parsed.error}`);
  return parsed.query;
}

const decoder = createDecoder('msgpack');

/** What the search decides for the message when it decodes it: valid and matched. */
function decodedMatch(query: DecodedQuery, bytes: Buffer, opcode = 'binary'): boolean {
  const outcome = decoder.decode({ seq: 0, dir: 'in', opcode, bytes, at: 0 } as Parameters<typeof decoder.decode>[0]);
  return outcome !== undefined && outcome.kind !== 'invalid' && matchesDecodedQuery(query, outcome.value);
}

/** The proof's answer for a message placed inside a larger slab (as the store's slabs hold it). */
function proven(query: DecodedQuery, bytes: Buffer, opcode = 'binary'): boolean {
  const proof = msgpackMatchProof(query);
  if (!proof) return false;
  const slab = Buffer.concat([Buffer.from([0x91, 0xc1]), bytes, Buffer.from([0xc1, 0x00])]);
  return proof(slab, 2, 2 + bytes.length, opcode);
}

// ---- a hand-written MessagePack writer: every width, not only the shortest --------------------

const u8 = (...xs: number[]): Buffer => Buffer.from(xs);
function be(value: number, size: number, signed = false): Buffer {
  const out = Buffer.alloc(size);
  if (size === 8) {
    if (signed) out.writeBigInt64BE(BigInt(value));
    else out.writeBigUInt64BE(BigInt(value));
  } else if (signed) out.writeIntBE(value, 0, size);
  else out.writeUIntBE(value, 0, size);
  return out;
}

function intBytes(random: Random, value: number): Buffer {
  const choices: Buffer[] = [];
  if (value >= 0 && value < 0x80) choices.push(u8(value));
  if (value >= -32 && value < 0) choices.push(u8(value + 0x100));
  if (value >= 0 && value <= 0xff) choices.push(Buffer.concat([u8(0xcc), be(value, 1)]));
  if (value >= 0 && value <= 0xffff) choices.push(Buffer.concat([u8(0xcd), be(value, 2)]));
  if (value >= 0 && value <= 0xffffffff) choices.push(Buffer.concat([u8(0xce), be(value, 4)]));
  if (value >= 0) choices.push(Buffer.concat([u8(0xcf), be(value, 8)]));
  if (value >= -128 && value <= 127) choices.push(Buffer.concat([u8(0xd0), be(value, 1, true)]));
  if (value >= -32768 && value <= 32767) choices.push(Buffer.concat([u8(0xd1), be(value, 2, true)]));
  if (value >= -(2 ** 31) && value < 2 ** 31) choices.push(Buffer.concat([u8(0xd2), be(value, 4, true)]));
  choices.push(Buffer.concat([u8(0xd3), be(value, 8, true)]));
  return pick(random, choices);
}

function floatBytes(random: Random, value: number): Buffer {
  if (random(2) === 0) {
    const out = Buffer.alloc(5);
    out[0] = 0xca;
    out.writeFloatBE(value, 1);
    return out;
  }
  const out = Buffer.alloc(9);
  out[0] = 0xcb;
  out.writeDoubleBE(value, 1);
  return out;
}

/** A head with a length (str, bin, array, map): the fix form when it fits and `fix` is given, else 8, 16 or 32 bits. */
function sizedHead(random: Random, count: number, fix: number | undefined, fixMax: number, heads: readonly (number | undefined)[]): Buffer {
  const choices: Buffer[] = [];
  if (fix !== undefined && count <= fixMax) choices.push(u8(fix + count));
  const [h8, h16, h32] = heads;
  if (h8 !== undefined && count <= 0xff) choices.push(Buffer.concat([u8(h8), be(count, 1)]));
  if (h16 !== undefined && count <= 0xffff) choices.push(Buffer.concat([u8(h16), be(count, 2)]));
  if (h32 !== undefined) choices.push(Buffer.concat([u8(h32), be(count, 4)]));
  return pick(random, choices);
}

const strBytes = (random: Random, utf8: Buffer): Buffer => Buffer.concat([sizedHead(random, utf8.length, 0xa0, 31, [0xd9, 0xda, 0xdb]), utf8]);
const binBytes = (random: Random, data: Buffer): Buffer => Buffer.concat([sizedHead(random, data.length, undefined, 0, [0xc4, 0xc5, 0xc6]), data]);
const arrayHead = (random: Random, count: number): Buffer => sizedHead(random, count, 0x90, 15, [undefined, 0xdc, 0xdd]);
const mapHead = (random: Random, count: number): Buffer => sizedHead(random, count, 0x80, 15, [undefined, 0xde, 0xdf]);

const BOM = u8(0xef, 0xbb, 0xbf);
/** Keys few enough that paths meet them, and duplicates happen; some not plain UTF-8. */
const KEYS = ['a', 'b', 'a', 'b', 'length', '__proto__', 'caf\u00e9', '\ufffd', 'x'.repeat(70)];
const keyBytes = (random: Random): Buffer => {
  const r = random(24);
  if (r >= 20) return Buffer.from(r < 23 ? 'a' : 'b');
  if (r === 0) return u8(0xff); // reads as U+FFFD
  if (r === 1) return u8(0x63, 0x61, 0x66, 0xe9); // Latin-1 'café'
  if (r === 2) return Buffer.concat([BOM, Buffer.from('a')]);
  if (r === 3) return Buffer.concat([BOM, Buffer.from('x'.repeat(70))]);
  return Buffer.from(pick(random, KEYS), 'utf8');
};

const TEXTS = ['', 'r1', 'a', '5', 'NaN', '\ufffda', 'caf\u00e9', '\u{1f600}', '\ufffd', '{"a":1}', ' [1,2]', '{}', '[', 'x'.repeat(70), '{"b":' + '1'.repeat(70) + '}'];
const textBytes = (random: Random): Buffer => {
  const r = random(16);
  if (r === 0) return u8(0xff, 0x61);
  if (r === 1) return u8(0xc1, 0xbb); // an overlong '{'
  if (r === 2) return Buffer.concat([BOM, Buffer.from('r1')]);
  if (r === 3) return u8(0xed, 0xa0, 0x80); // a surrogate
  if (r === 4) return Buffer.from('{"a":1}');
  return Buffer.from(pick(random, TEXTS), 'utf8');
};

const INTS = [0, 1, 5, 10, 127, 128, -1, -32, -33, 255, 256, 65535, 65536, -129, 2 ** 31, 2 ** 32, 2 ** 53 - 1, -(2 ** 40)];
const FLOATS = [0, -0, 1.5, 0.1, -2.25, 5, NaN, Infinity, -Infinity, 3.4e38, 1e300];

/** A random map of up to 3 entries (`depth` more levels under it). */
function randomMap(random: Random, depth: number): Buffer {
  const count = random(4);
  const entries: Buffer[] = [mapHead(random, count)];
  for (let i = 0; i < count; i++) {
    // Keys: mostly strings; some integers, nil, bytes or a list (the decoder shows {$map}).
    const r = random(40);
    entries.push(r === 0 ? intBytes(random, 1) : r === 1 ? u8(0xc0) : r === 2 ? binBytes(random, Buffer.from('a')) : r === 3 ? u8(0x91, 0x01) : strBytes(random, keyBytes(random)));
    entries.push(randomValue(random, depth - 1));
  }
  return Buffer.concat(entries);
}

/** A random value nested at most `depth` more levels. */
function randomValue(random: Random, depth: number): Buffer {
  const kind = random(depth <= 0 ? 9 : 14);
  switch (kind) {
    case 0:
    case 1:
      return intBytes(random, pick(random, INTS));
    case 2:
      return floatBytes(random, pick(random, FLOATS));
    case 3:
      return u8(pick(random, [0xc0, 0xc2, 0xc3]));
    case 4:
    case 5:
      return strBytes(random, textBytes(random));
    case 6:
      return binBytes(random, Buffer.alloc(random(3), 7));
    case 7: {
      // Extensions: fixext 1/4, ext 8, a timestamp (type -1), msgpackr's record type 0x72; rarely 0xC1.
      const r = random(6);
      if (r === 0) return u8(0xd4, 5, 9);
      if (r === 1) return u8(0xd6, 0xff, 0, 0, 0, 1);
      if (r === 2) return u8(0xc7, 2, 7, 1, 2);
      if (r === 3) return u8(0xd4, 0x72, 0x40);
      if (r === 4) return u8(0xc1);
      return u8(0xd5, 3, 1, 2);
    }
    case 8:
      return strBytes(random, Buffer.from(pick(random, KEYS), 'utf8'));
    case 9:
    case 10:
    case 11:
      return randomMap(random, depth);
    default: {
      const count = random(4);
      return Buffer.concat([arrayHead(random, count), ...Array.from({ length: count }, () => randomValue(random, depth - 1))]);
    }
  }
}

/** A message: mostly whole values, some cut, extended, changed, nested deep, or empty. */
function randomMessage(random: Random): Buffer {
  const value = random(3) === 0 ? randomValue(random, 3) : randomMap(random, 3);
  const r = random(14);
  if (r === 0) return value.subarray(0, random(value.length));
  if (r === 1) return Buffer.concat([value, randomValue(random, 1)]);
  if (r === 2) return Buffer.concat([value, u8(random(256))]);
  if (r === 3) {
    const changed = Buffer.from(value);
    changed[random(changed.length)] = random(256);
    return changed;
  }
  if (r === 4) {
    const levels = pick(random, [62, 63, 64, 65, 66, 70, 200]);
    return Buffer.concat([Buffer.alloc(levels, 0x91), value]);
  }
  if (r === 5) return Buffer.alloc(0);
  return value;
}

// != twice: it holds where the path selects nothing, so a wrong ABSENT shows there.
const OPS = ['==', '!=', '!=', '<', '<=', '>', '>='];
const LITERALS = ['0', '1', '5', '-1', '1.5', '128', '65536', '4294967296', "'4294967296'", "'r1'", "'a'", "'b'", "''", "'5'", "'1'", "'NaN'", "'-Infinity'", "'caf\u00e9'", "'\ufffd'", "'\ufffda'", `'${'x'.repeat(70)}'`, 'true', 'false', 'null'];
const REGEXES = ['/^r/', '/./', '/5/', '/^$/', '/^\\d+$/', '/\ufffd/', '/x{70}/'];

/** Paths of 0 to 3 steps, mostly the keys `a` and `b` the messages use most (so clauses meet values). */
function randomPath(random: Random): string {
  let path = '$';
  const steps = pick(random, [0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3]);
  for (let i = 0; i < steps; i++) {
    const r = random(20);
    path += r < 5 ? `[${random(3)}]` : r < 11 ? '.a' : r < 14 ? '.b' : r < 15 ? '.length' : `['${pick(random, [...KEYS, '\ufeffa'])}']`;
  }
  return path;
}

function randomClause(random: Random): string {
  const path = randomPath(random);
  const r = random(OPS.length + 2);
  if (r === OPS.length) return path;
  if (r === OPS.length + 1) return `${path} =~ ${pick(random, REGEXES)}`;
  return `${path} ${OPS[r] ?? '=='} ${pick(random, LITERALS)}`;
}

const randomQuery = (random: Random): string => Array.from({ length: random(3) === 0 ? 2 : 1 }, () => randomClause(random)).join(' && ');

/** The bench's record (bench/payload-streams.ts). */
const record = (i: number) => ({ event: i % 97 === 7 ? 'chat' : `e${i % 97}`, seq: i, data: { sym: `ABC${i % 89}`, price: (i * 7) % 10_000 } });

describe('msgpackMatchProof', () => {
  it('proves only messages the decoder reads as valid and the query matches (generated)', () => {
    const random = seeded(14);
    let proofs = 0;
    let matches = 0;
    const wrong: string[] = [];
    // Pools of queries, each asked of many messages (each message decoded once).
    for (let pool = 0; pool < 60; pool++) {
      const queries = Array.from({ length: 40 }, () => {
        const text = randomQuery(random);
        const query = queryOf(text);
        return { text, query, proof: msgpackMatchProof(query) };
      });
      for (let m = 0; m < 100; m++) {
        const bytes = randomMessage(random);
        const opcode = random(10) === 0 ? pick(random, ['text', 'ping', 'close']) : 'binary';
        const outcome = decoder.decode({ seq: 0, dir: 'in', opcode, bytes, at: 0 } as Parameters<typeof decoder.decode>[0]);
        const slab = Buffer.concat([Buffer.from([0x91, 0xc1]), bytes, Buffer.from([0xc1, 0x00])]);
        for (const { text, query, proof } of queries) {
          const truth = outcome !== undefined && outcome.kind !== 'invalid' && matchesDecodedQuery(query, outcome.value);
          if (truth) matches++;
          if (!proof?.(slab, 2, 2 + bytes.length, opcode)) continue;
          proofs++;
          if (!truth) wrong.push(`${text} on ${bytes.toString('hex')} (${opcode})`);
        }
      }
    }
    if (process.env.PROOF_STATS) console.log({ proofs, matches });
    expect(wrong.slice(0, 5)).toEqual([]);
    // Not vacuous: a good share of the matches is proven.
    expect(proofs).toBeGreaterThan(matches / 4);
  });

  it('proves the bench messages a dense query matches, and only those', () => {
    const queries = ['$.seq >= 0', "$.event != 'x'", '$.data.price > 10', '$.data.sym =~ /^ABC1/', "$.event == 'chat'", '$.data', "$.seq >= 0 && $.data.sym != 'ABC3'", '$.missing != 1', '$.data.price < 5000 && $.seq <= 700'];
    for (const text of queries) {
      const query = queryOf(text);
      for (let i = 0; i < 1000; i++) {
        const bytes = pack(record(i));
        expect(proven(query, bytes), `${text} on record ${i}`).toBe(decodedMatch(query, bytes));
      }
    }
  });

  it('proves 64-bit integers as their digits, floats as the decoder shows them, bytes as an object', () => {
    const big = Buffer.concat([u8(0x81, 0xa1, 0x6e, 0xcf), be(5, 8)]);
    expect(proven(queryOf("$.n == '5'"), big)).toBe(true);
    expect(proven(queryOf('$.n == 5'), big)).toBe(false);
    const nan = Buffer.concat([u8(0x81, 0xa1, 0x6e), floatBytes(() => 1, NaN)]);
    expect(proven(queryOf("$.n == 'NaN'"), nan)).toBe(true);
    const float32 = Buffer.concat([u8(0x81, 0xa1, 0x6e), floatBytes(() => 0, 0.1)]);
    expect(decodedMatch(queryOf('$.n < 0.1'), float32)).toBe(false);
    expect(proven(queryOf('$.n > 0.1'), float32)).toBe(decodedMatch(queryOf('$.n > 0.1'), float32));
    const bytes = Buffer.concat([u8(0x81, 0xa1, 0x62, 0xc4, 0x02, 0x01, 0x02)]);
    expect(proven(queryOf('$.b'), bytes)).toBe(true);
    expect(proven(queryOf('$.b != 1'), bytes)).toBe(true);
    expect(proven(queryOf('$.b.length == 2'), bytes)).toBe(false);
    expect(proven(queryOf('$.b.length != 2'), bytes)).toBe(false);
    expect(proven(queryOf('$.b[0] != 1'), bytes)).toBe(true);
    expect(decodedMatch(queryOf('$.b.length == 2'), bytes)).toBe(true);
  });

  it('takes the last of duplicate keys, and a map with a key that is not a string as having no names', () => {
    const twice = pack(new Map([['a', 1]]));
    const dup = Buffer.concat([u8(0x82), twice.subarray(1), twice.subarray(1, 3), u8(0x02)]);
    expect(decodedMatch(queryOf('$.a == 2'), dup)).toBe(true);
    expect(proven(queryOf('$.a == 2'), dup)).toBe(true);
    expect(proven(queryOf('$.a == 1'), dup)).toBe(false);
    const mixed = u8(0x82, 0xa1, 0x61, 0x01, 0x01, 0x02);
    expect(proven(queryOf('$.a != 1'), mixed)).toBe(true);
    expect(proven(queryOf('$.a == 1'), mixed)).toBe(false);
  });

  it('reads an index inside its list only', () => {
    const nested = u8(0x92, 0x91, 0x01, 0x05);
    expect(proven(queryOf('$[0][1] != 5'), nested)).toBe(true);
    expect(proven(queryOf('$[0][1] == 5'), nested)).toBe(false);
    expect(proven(queryOf('$[1] == 5'), nested)).toBe(true);
    expect(proven(queryOf('$[0][0] == 1 && $[2] != 1'), nested)).toBe(true);
  });

  it('does not prove past a string that may hold JSON text, and proves past one that does not', () => {
    const json = Buffer.concat([u8(0x81, 0xa1, 0x61), strBytes(() => 0, Buffer.from('{"b":1}'))]);
    expect(decodedMatch(queryOf('$.a.b == 1'), json)).toBe(true);
    expect(proven(queryOf('$.a.b != 1'), json)).toBe(false);
    const plain = Buffer.concat([u8(0x81, 0xa1, 0x61), strBytes(() => 0, Buffer.from('b1'))]);
    expect(proven(queryOf('$.a.b != 1'), plain)).toBe(true);
  });

  it('does not prove a key or string that is not plain UTF-8 or starts with a byte order mark', () => {
    const badKey = u8(0x81, 0xa1, 0xff, 0x01);
    expect(proven(queryOf("$['\ufffd'] != 1"), badKey)).toBe(false);
    expect(proven(queryOf('$.a != 1'), badKey)).toBe(false);
    const bomKey = Buffer.concat([u8(0x81, 0xa4), BOM, Buffer.from('a'), u8(0x01)]);
    expect(proven(queryOf('$.a != 1'), bomKey)).toBe(false);
    const badText = u8(0x81, 0xa1, 0x61, 0xa2, 0xff, 0x61);
    expect(proven(queryOf('$.a =~ /a/'), badText)).toBe(false);
    expect(proven(queryOf("$.a != 'x'"), badText)).toBe(false);
    const bomText = Buffer.concat([u8(0x81, 0xa1, 0x61, 0xa5), BOM, Buffer.from('r1')]);
    expect(proven(queryOf("$.a != 'r1'"), bomText)).toBe(false);
    expect(msgpackMatchProof(queryOf("$['\ufeffa'] != 1"))).toBeUndefined();
    const cafe = Buffer.concat([u8(0x81, 0xa1, 0x61), strBytes(() => 0, Buffer.from('caf\u00e9'))]);
    expect(proven(queryOf("$.a == 'caf\u00e9'"), cafe)).toBe(true);
  });

  it('does not prove extensions, 0xC1, cut or extended messages, deep nesting, empty messages or control frames', () => {
    const query = queryOf('$');
    expect(proven(query, u8(0x91, 0x01))).toBe(true);
    expect(proven(query, u8(0x91, 0x01), 'text')).toBe(true);
    expect(proven(query, u8(0x91, 0x01), 'ping')).toBe(false);
    expect(proven(query, u8(0x91, 0x01, 0x01))).toBe(false);
    expect(proven(query, u8(0x92, 0x01))).toBe(false);
    expect(proven(query, u8(0x91, 0xd4, 0x05, 0x09))).toBe(false);
    expect(proven(query, u8(0x91, 0xd6, 0xff, 0, 0, 0, 1))).toBe(false);
    expect(proven(query, u8(0x91, 0xc1))).toBe(false);
    expect(proven(query, Buffer.alloc(0))).toBe(false);
    expect(proven(query, Buffer.concat([Buffer.alloc(64, 0x91), u8(0x01)]))).toBe(true);
    expect(proven(query, Buffer.concat([Buffer.alloc(65, 0x91), u8(0x01)]))).toBe(false);
    // Deep enough to overflow msgpackr's stack: the decoder calls it not valid.
    const deep = Buffer.concat([Buffer.alloc(200_000, 0x91), u8(0x01)]);
    expect(decodedMatch(query, deep)).toBe(false);
    expect(proven(query, deep)).toBe(false);
    // The same under a map's key, which the clause's key scan steps over.
    const keyed = queryOf('$.a != 1');
    const under = (levels: number): Buffer => Buffer.concat([u8(0x81, 0xa1, 0x62), Buffer.alloc(levels, 0x91), u8(0x01)]);
    expect(proven(keyed, under(63))).toBe(true);
    expect(proven(keyed, under(64))).toBe(false);
    expect(decodedMatch(keyed, under(200_000))).toBe(false);
    expect(proven(keyed, under(200_000))).toBe(false);
    const maps = (levels: number): Buffer => Buffer.concat([u8(0x81, 0xa1, 0x62), Buffer.alloc(3 * levels, Buffer.from([0x81, 0xa1, 0x61])), u8(0x01)]);
    expect(proven(keyed, maps(63))).toBe(true);
    expect(decodedMatch(keyed, maps(100_000))).toBe(false);
    expect(proven(keyed, maps(100_000))).toBe(false);
    // A map that ends at the message's end inside a list cut short: the list is not whole.
    const cut = u8(0x93, 0x01, 0x81, 0xa1, 0x61, 0x01);
    expect(decodedMatch(queryOf('$[1].a == 1'), cut)).toBe(false);
    expect(proven(queryOf('$[1].a == 1'), cut)).toBe(false);
    expect(proven(queryOf('$[1].a == 1'), u8(0x92, 0x01, 0x81, 0xa1, 0x61, 0x01))).toBe(true);
    expect(proven(keyed, u8(0x81, 0xa1, 0x62, 0x01))).toBe(true);
    expect(proven(keyed, u8(0x81, 0xa1, 0x62, 0x01, 0x01))).toBe(false);
    expect(proven(keyed, u8(0x81, 0xa1, 0x62, 0x91))).toBe(false);
    expect(proven(keyed, u8(0x81, 0xa1, 0x62, 0xd4, 0x05, 0x09))).toBe(false);
  });

  it('is undefined for a query it can never prove', () => {
    expect(msgpackMatchProof(queryOf('$.a[*] == 1'))).toBeUndefined();
    expect(msgpackMatchProof(queryOf("$.seq >= 0 && $['$bytes']"))).toBeUndefined();
    expect(msgpackMatchProof(queryOf('$.seq >= 0'))).toBeDefined();
  });

  it('never throws, on any bytes, bounds or opcode', () => {
    const random = seeded(99);
    const proofs = ['$', '$.a', "$.a.b != 'x'", '$[0][1] > 1', '$.length =~ /1/'].map((text) => msgpackMatchProof(queryOf(text)));
    const thrown: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      const slab = random(2) === 0 ? randomMessage(random) : Buffer.from(Array.from({ length: random(40) }, () => random(256)));
      const start = random(slab.length + 2) - 1;
      const end = start + random(slab.length + 3) - 1;
      for (const proof of proofs) {
        try {
          proof?.(slab, start, end, pick(random, ['binary', 'text', 'ping']));
        } catch (error) {
          thrown.push(`${slab.toString('hex')} [${start}, ${end}): ${String(error)}`);
        }
      }
    }
    expect(thrown.slice(0, 5)).toEqual([]);
  });
});
