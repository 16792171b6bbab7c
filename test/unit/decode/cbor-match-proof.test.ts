/**
 * The CBOR match proof (cbor-match-proof.ts): `true` only when the CBOR decoder (a fresh one from
 * createDecoder('cbor')) calls the message valid and the query matches its value. Checked on
 * generated raw CBOR (every head width, floats of each size, tags, indefinite lengths, duplicate
 * and non-text keys, bad UTF-8, byte order marks, JSON text in strings, deep nesting) and on
 * cbor-x's own encodings, damaged (cut, trailing bytes, a byte changed), against many queries;
 * plus the bench's messages (proven, so the proof is not vacuous), crafted cases per rule, and
 * random bytes (never throws).
 */
import { encode as cborEncode } from 'cbor-x';
import { describe, expect, it } from 'vitest';
import { cborMatchProof, inCborSubset } from '../../../src-main/core/decode/cbor-match-proof';
import type { WireFrame } from '../../../src-main/core/decode/decoded-frame';
import { createDecoder } from '../../../src-main/core/decode/decoder-registry';
import type { MatchProof } from '../../../src-main/core/decode/match-proof';
import { matchesDecodedQuery, parseDecodedQuery, type DecodedQuery } from '../../../src-main/shared/decoded-query';
import { pick, seeded } from './prefilter-harness';

type Random = (n: number) => number;

function parsed(query: string): DecodedQuery {
  const result = parseDecodedQuery(query);
  if (!result.ok) throw new Error(`${query}: ${result.error}`);
  return result.query;
}

function proofOf(query: string): MatchProof {
  const proof = cborMatchProof(parsed(query));
  if (!proof) throw new Error(`no proof for ${query}`);
  return proof;
}

/** What the search would count: the decoder's outcome is valid and the query matches its value. */
function decodesToMatch(query: DecodedQuery, bytes: Buffer, opcode: WireFrame['opcode']): boolean {
  const outcome = createDecoder('cbor').decode({ seq: 1, dir: 'in', opcode, bytes });
  return outcome !== undefined && outcome.kind !== 'invalid' && matchesDecodedQuery(query, outcome.value);
}

/** The proof's answer for the message inside a slab, with bytes around it that would read as more CBOR. */
function proves(proof: MatchProof, bytes: Buffer, opcode: WireFrame['opcode'] = 'binary'): boolean {
  const slab = Buffer.concat([Buffer.from([0x81, 0xff]), bytes, Buffer.from([0x01, 0x61, 0x61, 0xa1])]);
  return proof(slab, 2, 2 + bytes.length, opcode);
}

const hex = (text: string): Buffer => Buffer.from(text.replace(/\s+/g, ''), 'hex');
const utf8 = (text: string): Buffer => Buffer.from(text, 'utf8');

/** A head of major type `major` with argument `n`, in `width` bytes after it (-1: the shortest). */
function head(major: number, n: number, width = -1): Buffer {
  const size = width >= 0 ? width : n < 24 ? 0 : n < 0x100 ? 1 : n < 0x10000 ? 2 : n < 0x100000000 ? 4 : 8;
  if (size === 0) return Buffer.from([(major << 5) | n]);
  const out = Buffer.alloc(1 + size);
  out[0] = (major << 5) | (24 + Math.log2(size));
  if (size === 1) out[1] = n;
  else if (size === 2) out.writeUInt16BE(n, 1);
  else if (size === 4) out.writeUInt32BE(n, 1);
  else out.writeBigUInt64BE(BigInt(n), 1);
  return out;
}

const textItem = (bytes: Buffer, width = -1): Buffer => Buffer.concat([head(3, bytes.length, width), bytes]);
const mapOf = (entries: readonly (readonly [Buffer, Buffer])[]): Buffer => Buffer.concat([head(5, entries.length), ...entries.flat()]);
const arrayOf = (items: readonly Buffer[]): Buffer => Buffer.concat([head(4, items.length), ...items]);

const KEYS = ['a', 'b', 'seq', 'event', 'list', 'price', '__proto__', 'caf\u00e9', 'length'];
/** Text values: plain, non-ASCII, JSON text a path goes on into, and some that look like it but are not. */
const STRINGS = ['', 'chat', 'e1', 'x y', 'caf\u00e9', '\u{1f600}', '[1,2]', ' {"a":1}', '{"a":"chat"}', '[0]', ' 7', '{', 'ABC1', '\ufeffchat', `\ufeff${'a'.repeat(70)}`, 'a'.repeat(70)];
/** Bytes that are not valid UTF-8 (a lone continuation, an overlong brace, a surrogate, a cut sequence). */
const BAD_UTF8 = [hex('80'), hex('c1 bb'), hex('ed a0 80'), hex('e2 82'), hex('61 ff 62'), hex('f4 90 80 80')];
const WIDTHS = [-1, -1, -1, 0, 1, 2, 4, 8];

function randomKey(random: Random): Buffer {
  switch (random(12)) {
    case 0:
      return Buffer.concat([head(0, random(3))]); // an integer key: {$map}
    case 1:
      return textItem(pick(random, BAD_UTF8));
    case 2:
      return textItem(utf8(`\ufeff${pick(random, KEYS)}`));
    case 3:
      return Buffer.concat([head(2, 1), utf8('a')]); // a byte-string key
    default:
      // Every key is under 24 bytes: any width holds its length.
      return textItem(utf8(pick(random, KEYS)), pick(random, WIDTHS));
  }
}

/** A random raw CBOR item nested at most `depth` more levels. */
function rawItem(random: Random, depth: number): Buffer {
  const kind = depth <= 0 ? random(9) : random(14);
  switch (kind) {
    case 0: {
      const n = pick(random, [0, 1, 23, 24, 255, 256, 65535, 65536, 0xffffffff, 7, 100, random(1000)]);
      const width = pick(random, WIDTHS);
      const fits = width < 0 || (width === 0 ? n < 24 : width === 8 || n < 2 ** (8 * width));
      return head(random(2), n, fits ? width : -1);
    }
    case 1: {
      const out = Buffer.alloc(3);
      out[0] = 0xf9;
      out.writeUInt16BE(pick(random, [0x3c00, 0xbc00, 0x7c00, 0xfc00, 0x7e00, 0x0001, 0x8000, 0x0000, 0x5640, random(0x10000)]), 1);
      return out;
    }
    case 2: {
      const out = Buffer.alloc(5);
      out[0] = 0xfa;
      if (random(2) === 0) out.writeFloatBE(pick(random, [0.5, -1.25, 3.14, 1e30, Number.NaN, Infinity, -0, 100000.5]), 1);
      else out.writeUInt32BE(random(0x7fffffff) * 2 + random(2), 1);
      return out;
    }
    case 3: {
      const out = Buffer.alloc(9);
      out[0] = 0xfb;
      out.writeDoubleBE(pick(random, [0.1, -0, 12.5, 1e300, Number.NaN, -Infinity, 2 ** 53 + 2, 7]), 1);
      return out;
    }
    case 4:
      // false, true, null, undefined, simple values cbor-x refuses or reads from packed values, a stray break, reserved heads.
      return pick(random, [hex('f4'), hex('f5'), hex('f6'), hex('f7'), hex('f4'), hex('f6'), hex('e0'), hex('f3'), hex('f8 14'), hex('f8 ff'), hex('ff'), hex('1c'), hex('3e'), hex('fc')]);
    case 5:
    case 6: {
      const text = random(8) === 0 ? pick(random, BAD_UTF8) : utf8(pick(random, STRINGS));
      return textItem(text, text.length < 24 ? pick(random, [-1, -1, 1, 2, 4]) : -1);
    }
    case 7:
      return Buffer.concat([head(2, 3, pick(random, [-1, 1])), hex('00 ff 61')]);
    case 8:
      // 64-bit integers (bigints in cbor-x), a tag on a scalar, an indefinite text string.
      return pick(random, [head(0, 2 ** 40), head(1, 5, 8), Buffer.concat([head(6, pick(random, [0, 1, 2, 6, 51, 55799])), head(0, 1)]), hex('7f 61 61 61 62 ff')]);
    case 9:
    case 10: {
      const entries = Array.from({ length: random(5) }, () => [randomKey(random), rawItem(random, depth - 1)] as const);
      if (random(8) === 0) return Buffer.concat([hex('bf'), ...entries.flat(), hex('ff')]);
      return mapOf(entries);
    }
    case 11:
    case 12: {
      const items = Array.from({ length: random(5) }, () => rawItem(random, depth - 1));
      if (random(8) === 0) return Buffer.concat([hex('9f'), ...items, hex('ff')]);
      return arrayOf(items);
    }
    default:
      // A tag cbor-x reads (a date, a bigint, a typed array, packed values, bundled strings) or keeps as {tag, value}.
      return Buffer.concat([head(6, pick(random, [0, 1, 2, 3, 6, 28, 29, 51, 64, 258, 55799, 0xdff9, 999])), rawItem(random, depth - 1)]);
  }
}

/** Random JS values for cbor-x's encoder (its own choices: float widths, Maps, Dates, Buffers, big integers). */
function jsValue(random: Random, depth: number): unknown {
  const kind = depth <= 0 ? random(6) : random(9);
  switch (kind) {
    case 0:
      return pick(random, [0, 1, -1, 24, -25, 70_000, -70_000, 2 ** 32, 2 ** 53 - 1, -(2 ** 31), 5_000_000_000, random(10_000)]);
    case 1:
      return pick(random, [0.5, 1.1, -3.25, 1e-7, 123456.789, Number.NaN, Infinity, -0]);
    case 2:
      return pick(random, STRINGS);
    case 3:
      return [true, false, null, undefined][random(4)];
    case 4:
      return pick(random, [Buffer.from('chat'), new Date(0), 12n ** 30n, new Uint16Array([1, 2])]);
    case 5:
      return pick(random, STRINGS);
    case 6:
    case 7: {
      const out: Record<string, unknown> = {};
      // An own property, `__proto__` too (assignment would set the prototype).
      for (let i = random(5); i > 0; i--) Object.defineProperty(out, pick(random, KEYS), { value: jsValue(random, depth - 1), enumerable: true, writable: true, configurable: true });
      return random(6) === 0 ? new Map<unknown, unknown>([[1, 'one'], ['a', jsValue(random, depth - 1)]]) : out;
    }
    default:
      return Array.from({ length: random(5) }, () => jsValue(random, depth - 1));
  }
}

/** The message as sent, or damaged: cut, with bytes after it, a byte changed, or nested deep. */
function damaged(random: Random, bytes: Buffer): Buffer {
  switch (random(10)) {
    case 0:
      return bytes.subarray(0, random(bytes.length));
    case 1:
      return Buffer.concat([bytes, pick(random, [hex('00'), hex('f6'), hex('ff'), hex('a0'), bytes])]);
    case 2: {
      const copy = Buffer.from(bytes);
      if (copy.length > 0) copy[random(copy.length)] = random(256);
      return copy;
    }
    case 3: {
      // Nested 60 to 69 levels (json-value.ts cuts past 64; the proof takes at most 64).
      const levels = 60 + random(10);
      const wraps = Array.from({ length: levels }, () => (random(2) === 0 ? hex('81') : Buffer.concat([hex('a1'), textItem(utf8('a'))])));
      return Buffer.concat([...wraps, bytes]);
    }
    default:
      return bytes;
  }
}

const PATHS = ['$', '$.a', '$.b', '$.seq', '$.event', '$.list', '$.price', "$['__proto__']", "$['caf\u00e9']", '$.a.a', '$.a[0]', '$[0]', '$[1]', '$[0].a', '$.a.b', '$.list[2]', '$.a.length', '$.b.length', '$.a[0].a', '$[0][0]', '$.a.a.a.a'];
const LITERALS = [`'\ufeff${'a'.repeat(70)}'`, `'${'a'.repeat(70)}'`, "'chat'", "'e1'", "''", "'caf\u00e9'", "'\ufeffchat'", '0', '1', '-1', '7', '0.5', '-3.25', '70000', '1.1', 'true', 'false', 'null', "'NaN'", "'Infinity'", '24', '255'];
const OPERATORS = ['==', '!=', '<', '<=', '>', '>='];
const REGEXES = ['/^\ufeff/', '/^c/', '/a/i', '/^$/', '/\\d/', '/^-?\\d+$/', '/\u00e9/u', '/N/'];

function randomClause(random: Random): string {
  const path = pick(random, PATHS);
  switch (random(8)) {
    case 0:
      return path;
    case 1:
      return `${path} =~ ${pick(random, REGEXES)}`;
    default:
      return `${path} ${pick(random, OPERATORS)} ${pick(random, LITERALS)}`;
  }
}

function randomQuery(random: Random): string {
  const clauses = [randomClause(random)];
  while (random(4) === 0) clauses.push(randomClause(random));
  return clauses.join(' && ');
}

describe('cborMatchProof: true only when the decoder gives a valid value the query matches', () => {
  it('over thousands of generated, damaged messages and many queries', () => {
    const random = seeded(0xcb07);
    const queries = Array.from({ length: 400 }, () => randomQuery(random));
    const proofs = queries.map((q) => ({ text: q, query: parsed(q), proof: cborMatchProof(parsed(q)) }));
    let proven = 0;
    let matched = 0;
    for (let m = 0; m < 6000; m++) {
      const original = m % 2 === 0 ? rawItem(random, 3) : Buffer.from(cborEncode(jsValue(random, 3)));
      const bytes = damaged(random, original);
      const opcode = pick(random, ['binary', 'binary', 'text', 'ping'] as const);
      for (let q = 0; q < 12; q++) {
        const { text, query, proof } = pick(random, proofs);
        const match = decodesToMatch(query, bytes, opcode);
        if (match) matched++;
        if (!proof || !proves(proof, bytes, opcode)) continue;
        proven++;
        expect(match, `${text} on ${opcode} ${bytes.toString('hex')}`).toBe(true);
      }
    }
    // Not vacuous: most matches are proven (2,828 of 4,603 with this seed).
    expect(proven).toBeGreaterThan(2000);
    expect(proven).toBeGreaterThan(matched / 2);
  });

  it('proves the bench messages ({event, seq, data: {sym, price}} by cbor-x) for queries most of them match', () => {
    const record = (i: number) => ({ event: i % 97 === 7 ? 'chat' : `e${i % 97}`, seq: i, data: { sym: `ABC${i % 89}`, price: (i * 7) % 10_000 } });
    const queries = ['$.seq >= 0', "$.event != 'x'", '$.data.price > 10', '$.data', "$.data.sym =~ /^ABC/", '$.missing != 1', "$.seq >= 0 && $.event != 'chat'", "$.event == 'chat'", '$.seq', '$.data.price <= 9999.5'];
    for (const text of queries) {
      const query = parsed(text);
      const proof = proofOf(text);
      let proven = 0;
      let matched = 0;
      for (let i = 0; i < 3000; i += 7) {
        const bytes = Buffer.from(cborEncode(record(i)));
        const match = decodesToMatch(query, bytes, 'binary');
        const sure = proves(proof, bytes);
        if (sure) expect(match, `${text} ${i}`).toBe(true);
        // Every match of these is proven (the messages are all in the subset).
        expect(sure, `${text} ${i}`).toBe(match);
        if (sure) proven++;
        if (match) matched++;
      }
      expect(proven, text).toBe(matched);
      expect(proven, text).toBeGreaterThan(0);
    }
  });

  it('gives no proof for a query with a clause it never proves', () => {
    for (const text of ['$[*].a', '$.a[*] == 1', "$.seq > 0 && $['$bytes']", '$.$map', `$${'.a'.repeat(33)}`]) expect(cborMatchProof(parsed(text)), text).toBeUndefined();
    expect(cborMatchProof(parsed('$.seq > 0 && $.a'))).toBeTypeOf('function');
  });
});

describe('cborMatchProof: each rule', () => {
  const chat = mapOf([[textItem(utf8('event')), textItem(utf8('chat'))]]);

  it('proves a plain map, only for data frames', () => {
    const proof = proofOf("$.event == 'chat'");
    expect(proves(proof, chat, 'binary')).toBe(true);
    expect(proves(proof, chat, 'text')).toBe(true);
    expect(proves(proof, chat, 'ping')).toBe(false);
    expect(decodesToMatch(parsed("$.event == 'chat'"), chat, 'ping')).toBe(false);
  });

  it('does not prove an empty message, a cut one, or one with bytes after its item', () => {
    const proof = proofOf('$.event != 1');
    expect(proves(proof, Buffer.alloc(0))).toBe(false);
    for (let cut = 0; cut < chat.length; cut++) expect(proves(proof, chat.subarray(0, cut)), `cut at ${cut}`).toBe(false);
    for (const after of [hex('00'), hex('f6'), chat]) {
      const bytes = Buffer.concat([chat, after]);
      expect(proves(proof, bytes)).toBe(false);
      expect(decodesToMatch(parsed('$.event != 1'), bytes, 'binary')).toBe(false);
    }
  });

  it('does not prove through tags, indefinite lengths, 64-bit integers or simple values cbor-x does not read as false, true, null', () => {
    const proof = proofOf('$.a != 99');
    const valueCases: Record<string, Buffer> = {
      'a tag (date)': Buffer.concat([head(6, 1), head(0, 5)]),
      'a tag on a map': Buffer.concat([head(6, 55799), mapOf([])]),
      'an indefinite array': hex('9f 01 ff'),
      'an indefinite text string': hex('7f 61 61 ff'),
      'a 64-bit integer': head(0, 5, 8),
      'a simple value in a byte': hex('f8 14'),
      'a simple value cbor-x takes from packed values': hex('e0'),
      'a reserved head': hex('1c'),
      'a break': hex('ff'),
    };
    for (const [label, value] of Object.entries(valueCases)) {
      expect(proves(proof, mapOf([[textItem(utf8('a')), value]])), label).toBe(false);
      expect(proves(proof, mapOf([[textItem(utf8('b')), value]])), `${label} off the path`).toBe(false);
    }
    expect(proves(proof, hex('bf 61 61 01 ff')), 'an indefinite map').toBe(false);
    for (const scalar of [hex('f4'), hex('f5'), hex('f6'), hex('f7'), head(0, 0xffffffff), head(1, 0xffffffff), head(0, 3, 4), hex('f9 3c 00'), hex('fa 3f c0 00 00'), hex('fb 3f f8 00 00 00 00 00 00')]) {
      const bytes = mapOf([[textItem(utf8('a')), scalar]]);
      expect(proves(proof, bytes), scalar.toString('hex')).toBe(true);
      expect(decodesToMatch(parsed('$.a != 99'), bytes, 'binary'), scalar.toString('hex')).toBe(true);
    }
  });

  it('reads integers of each head width, positive and negative', () => {
    for (const n of [0, 1, 23, 24, 255, 256, 65535, 65536, 0xffffffff]) {
      for (const width of [-1, 1, 2, 4]) {
        if (width > 0 && n >= 2 ** (8 * width)) continue;
        for (const [major, value] of [[0, n], [1, -1 - n]] as const) {
          const bytes = mapOf([[textItem(utf8('a')), head(major, n, width)]]);
          const label = `${value} in ${width}`;
          expect(proves(proofOf(`$.a == ${value}`), bytes), label).toBe(true);
          expect(proves(proofOf(`$.a != ${value}`), bytes), label).toBe(false);
          expect(decodesToMatch(parsed(`$.a == ${value}`), bytes, 'binary'), label).toBe(true);
        }
      }
    }
  });

  it('reads floats of each width, as the decoder shows them (NaN and the infinities as text)', () => {
    const cases: [string, string][] = [
      ['f9 3e 00', '$.a == 1.5'],
      ['f9 00 01', '$.a == 5.960464477539063e-8'],
      ['f9 80 00', '$.a == 0'],
      ['f9 7c 00', "$.a == 'Infinity'"],
      ['f9 7e 00', "$.a == 'NaN'"],
      ['fa c0 50 00 00', '$.a == -3.25'],
      ['fa 7f 80 00 00', "$.a == 'Infinity'"],
      ['fb 40 29 00 00 00 00 00 00', '$.a == 12.5'],
      ['fb ff f0 00 00 00 00 00 00', "$.a == '-Infinity'"],
    ];
    for (const [value, query] of cases) {
      const bytes = mapOf([[textItem(utf8('a')), hex(value)]]);
      expect(proves(proofOf(query), bytes), `${value} ${query}`).toBe(true);
      expect(decodesToMatch(parsed(query), bytes, 'binary'), `${value} ${query}`).toBe(true);
    }
  });

  it('reads every half-precision float as cbor-x does', () => {
    for (let bits = 0; bits < 0x10000; bits++) {
      const bytes = mapOf([[textItem(utf8('a')), Buffer.from([0xf9, bits >> 8, bits & 0xff])]]);
      const outcome = createDecoder('cbor').decode({ seq: 1, dir: 'in', opcode: 'binary', bytes });
      const shown = outcome?.kind === 'decoded' && typeof outcome.value === 'object' && outcome.value !== null && !Array.isArray(outcome.value) ? outcome.value.a : undefined;
      const literal = typeof shown === 'number' ? String(shown) : `'${String(shown)}'`;
      expect(proves(proofOf(`$.a == ${literal}`), bytes), `${bits.toString(16)} ${literal}`).toBe(true);
      if (typeof shown === 'number' && shown !== 0) expect(proves(proofOf(`$.a != ${literal}`), bytes), bits.toString(16)).toBe(false);
    }
  });

  it('takes the last of duplicate keys, compares keys as bytes, and does not prove a map with a key that is not text', () => {
    const twice = mapOf([
      [textItem(utf8('a')), head(0, 1)],
      [textItem(utf8('a')), head(0, 2)],
    ]);
    expect(proves(proofOf('$.a == 2'), twice)).toBe(true);
    expect(proves(proofOf('$.a == 1'), twice)).toBe(false);
    const proto = mapOf([[textItem(utf8('__proto__')), head(0, 3)]]);
    expect(proves(proofOf("$['__proto__'] == 3"), proto)).toBe(true);
    expect(decodesToMatch(parsed("$['__proto__'] == 3"), proto, 'binary')).toBe(true);
    // A key in 2 length bytes is the same key.
    expect(proves(proofOf('$.a == 1'), mapOf([[textItem(utf8('a'), 2), head(0, 1)]]))).toBe(true);
    const intKey = mapOf([
      [head(0, 1), head(0, 1)],
      [textItem(utf8('a')), head(0, 1)],
    ]);
    expect(proves(proofOf('$.a != 1'), intKey)).toBe(false);
    expect(proves(proofOf('$.b != 1'), mapOf([[textItem(utf8('a')), intKey]]))).toBe(false);
  });

  it('does not prove a message holding bad UTF-8 or a string starting with a byte order mark, anywhere', () => {
    const proof = proofOf('$.a != 1');
    for (const bad of BAD_UTF8) {
      expect(proves(proof, mapOf([[textItem(utf8('b')), textItem(bad)]])), bad.toString('hex')).toBe(false);
      expect(proves(proof, mapOf([[textItem(bad), head(0, 1)]])), `key ${bad.toString('hex')}`).toBe(false);
    }
    // cbor-x's TextDecoder drops it from a string over 64 bytes (its native reader keeps it).
    const marked = `\ufeff${'a'.repeat(70)}`;
    for (const query of ['$.a =~ /^\ufeff/', `$.a == '${marked}'`, "$.a != 'x'"]) {
      expect(proves(proofOf(query), mapOf([[textItem(utf8('a')), textItem(utf8(marked))]])), query).toBe(false);
      expect(proves(proofOf(query), mapOf([[textItem(utf8('a')), textItem(utf8('\ufeffchat'))]])), query).toBe(false);
    }
    expect(proves(proofOf(`$['${marked}'] == 1`), mapOf([[textItem(utf8(marked)), head(0, 1)]]))).toBe(false);
    expect(proves(proof, mapOf([[textItem(utf8(marked)), head(0, 1)]]))).toBe(false);
    // A literal with a lone surrogate (U+FFFD once written as UTF-8) equals no text read from valid UTF-8.
    const replacement = mapOf([[textItem(utf8('a')), textItem(utf8('\ufffd'))]]);
    expect(proves(proofOf("$.a == '\ud800'"), replacement)).toBe(false);
    expect(proves(proofOf("$.a != '\ud800'"), replacement)).toBe(true);
    expect(decodesToMatch(parsed("$.a != '\ud800'"), replacement, 'binary')).toBe(true);
    // Valid non-ASCII text is read.
    const cafe = mapOf([[textItem(utf8('caf\u00e9')), textItem(utf8('\u{1f600}'))]]);
    expect(proves(proofOf("$['caf\u00e9'] == '\u{1f600}'"), cafe)).toBe(true);
  });

  it('does not prove a path that goes on into a string that may hold JSON text; another string holds nothing', () => {
    const held = mapOf([[textItem(utf8('a')), textItem(utf8('{"b":1}'))]]);
    expect(decodesToMatch(parsed('$.a.b == 1'), held, 'binary')).toBe(true);
    expect(proves(proofOf('$.a.b == 1'), held)).toBe(false);
    expect(proves(proofOf('$.a.b != 1'), held)).toBe(false);
    const plain = mapOf([[textItem(utf8('a')), textItem(utf8('chat'))]]);
    expect(proves(proofOf('$.a.b != 1'), plain)).toBe(true);
    expect(proves(proofOf('$.a[0] != 1'), plain)).toBe(true);
    expect(decodesToMatch(parsed('$.a[0] != 1'), plain, 'binary')).toBe(true);
  });

  it('reads byte strings as {$bytes, length}: an object, with a length not proven', () => {
    const bytes = mapOf([[textItem(utf8('a')), Buffer.concat([head(2, 2), hex('00 01')])]]);
    expect(proves(proofOf('$.a'), bytes)).toBe(true);
    expect(proves(proofOf('$.a != 2'), bytes)).toBe(true);
    expect(proves(proofOf('$.a == 2'), bytes)).toBe(false);
    for (const query of ['$.a.length == 2', '$.a.length != 3', '$.a.length']) {
      expect(decodesToMatch(parsed(query), bytes, 'binary'), query).toBe(true);
      expect(proves(proofOf(query), bytes), query).toBe(false);
    }
    expect(proves(proofOf('$.a.x != 2'), bytes)).toBe(true);
  });

  it('proves nesting up to 64 levels, not deeper; a nest deep enough to overflow cbor-x is not proven', () => {
    const nested = (levels: number): Buffer => Buffer.concat([...Array.from({ length: levels }, () => hex('81')), head(0, 1)]);
    const proof = proofOf('$ != 5');
    expect(proves(proof, nested(64))).toBe(true);
    expect(decodesToMatch(parsed('$ != 5'), nested(64), 'binary')).toBe(true);
    expect(proves(proof, nested(65))).toBe(false);
    // cbor-x reads nesting by recursion: this deep, it runs out of stack and the message is invalid.
    expect(decodesToMatch(parsed('$ != 5'), nested(100_000), 'binary')).toBe(false);
    expect(proves(proof, nested(100_000))).toBe(false);
    expect(inCborSubset(nested(64), 0, 65)).toBe(true);
  });
});

describe('cborMatchProof never throws', () => {
  it('on random bytes and random slices of a slab, for random queries', () => {
    const random = seeded(0xf00d);
    const proofs = Array.from({ length: 50 }, () => cborMatchProof(parsed(randomQuery(random)))).filter((p): p is MatchProof => p !== undefined);
    const slab = Buffer.alloc(4096);
    for (let k = 0; k < slab.length; k++) slab[k] = random(4) === 0 ? pick(random, [0x18, 0x19, 0x1a, 0x1b, 0x5a, 0x7a, 0x9a, 0xba, 0xff, 0xa1, 0x61]) : random(256);
    for (let n = 0; n < 20_000; n++) {
      const start = random(slab.length);
      const end = start + random(Math.min(64, slab.length - start + 1));
      const proof = pick(random, proofs);
      expect(() => proof(slab, start, end, 'binary')).not.toThrow();
    }
  });
});
