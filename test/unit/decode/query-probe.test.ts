/**
 * The query probe (value-probe.ts, msgpack-probe.ts, cbor-probe.ts, protobuf-probe.ts,
 * query-probe.ts): a clause's path followed in a message's bytes must lead to exactly what the
 * path selects in the value the decoder shows, for every message the decoder calls valid
 * (ABSENT: nothing; CONTAINER: one object or list; a scalar: that value, Object.is), or say
 * UNSURE; and the prefilter must never pass over a message whose decoding the query matches.
 * Checked on crafted bytes (extensions, tags, non-string keys, duplicate keys, bad UTF-8,
 * 64-bit integers, floats, truncation, 0xC1, indefinite lengths) and on generated, damaged
 * values, then through the search itself (prefilter-harness.ts).
 */
import { encode as cborEncode } from 'cbor-x';
import { pack } from 'msgpackr';
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { CborDecoder } from '../../../src-main/core/decode/cbor-decoder';
import { toJsonValue } from '../../../src-main/core/decode/json-value';
import { probeCbor } from '../../../src-main/core/decode/cbor-probe';
import type { DecodeOutcome, StreamDecoder } from '../../../src-main/core/decode/decoded-frame';
import { MsgpackDecoder } from '../../../src-main/core/decode/msgpack-decoder';
import { probeMsgpack } from '../../../src-main/core/decode/msgpack-probe';
import { loadProtobufSchema, type ProtobufSchema } from '../../../src-main/core/decode/protobuf-schema';
import { ProtobufDecoder } from '../../../src-main/core/decode/protobuf-decoder';
import { queryPrefilter } from '../../../src-main/core/decode/query-prefilter';
import { queryProbePrefilter } from '../../../src-main/core/decode/query-probe';
import { protobufProbe } from '../../../src-main/core/decode/protobuf-probe';
import { ABSENT, CONTAINER, UNSURE, probeSteps, type Probed } from '../../../src-main/core/decode/value-probe';
import { matchesDecodedQuery, parseDecodedQuery, selectPath, type DecodedQuery } from '../../../src-main/shared/decoded-query';
import { binary, compareSearches, pick, seeded, type Message } from './prefilter-harness';

type Format = 'msgpack' | 'cbor';

function parsed(query: string): DecodedQuery {
  const result = parseDecodedQuery(query);
  if (!result.ok) throw new Error(result.error);
  return result.query;
}

const decoderOf = (format: Format): StreamDecoder => (format === 'msgpack' ? new MsgpackDecoder() : new CborDecoder());
const probeOf = (format: Format) => (format === 'msgpack' ? probeMsgpack : probeCbor);

function decode(decoder: StreamDecoder, bytes: Buffer): DecodeOutcome | undefined {
  return decoder.decode({ seq: 1, dir: 'in', opcode: 'binary', bytes });
}

/** What the probe says for `path` (a query path without a test). */
function probe(format: Format, bytes: Buffer, path: string): Probed {
  const clause = parsed(path).clauses[0];
  const steps = clause ? probeSteps(clause.path) : undefined;
  if (!steps) throw new Error(`no probe for ${path}`);
  // Inside a larger buffer, as the store's slabs hold messages.
  const slab = Buffer.concat([Buffer.from([0xc1, 0xff]), bytes, Buffer.from([0x81, 0xa3, 0x73, 0x65, 0x71])]);
  return probeOf(format)(slab, 2, 2 + bytes.length, steps);
}

/** Fails when the probe's answer is not what the path selects in the decoded value (a valid message's). Returns whether it was sure. */
function expectExact(format: Format, bytes: Buffer, path: string): boolean {
  const outcome = decode(decoderOf(format), bytes);
  const found = probe(format, bytes, path);
  if (!outcome || outcome.kind === 'invalid' || found === UNSURE) return found !== UNSURE;
  const clause = parsed(path).clauses[0];
  const selected = clause ? selectPath(outcome.value, clause.path) : [];
  const label = `${format} ${bytes.toString('hex')} ${path}`;
  if (found === ABSENT) expect(selected, label).toEqual([]);
  else if (found === CONTAINER) {
    expect(selected.length, label).toBe(1);
    expect(typeof selected[0], label).toBe('object');
    expect(selected[0], label).not.toBeNull();
  } else {
    expect(selected.length, label).toBe(1);
    expect(Object.is(selected[0], found), `${label}: ${String(selected[0])} vs ${String(found)}`).toBe(true);
  }
  return true;
}

/** Fails when the prefilter would pass over a message that the query matches once decoded. */
function expectNeverPassesAMatch(format: Format, bytes: Buffer, query: string): boolean {
  const rule = queryProbePrefilter(format, parsed(query), 'none');
  if (!rule?.lacks) throw new Error(`no probe rule for ${query}`);
  const passed = bytes.length > 0 ? rule.lacks(bytes, 0, bytes.length) : rule.selfContained(bytes, 0, 0, 'binary');
  const outcome = decode(decoderOf(format), bytes);
  const matches = outcome !== undefined && outcome.kind !== 'invalid' && matchesDecodedQuery(parsed(query), outcome.value);
  if (passed) expect(matches, `${format} ${bytes.toString('hex')} ${query}`).toBe(false);
  return passed;
}

const hex = (text: string): Buffer => Buffer.from(text.replace(/\s+/g, ''), 'hex');

describe('MessagePack bytes followed to the value the decoder shows (msgpack-probe.ts)', () => {
  it('finds top-level and nested keys, indexes, and every scalar kind as json-value.ts shows it', () => {
    const bytes = pack({ event: 'chat', seq: 70_000, neg: -129, f: 1.5, ok: true, none: null, data: { price: 12, list: [1, 'caf\u00e9', { deep: '\u{1f600}' }] } });
    expect(probe('msgpack', bytes, '$.event')).toBe('chat');
    expect(probe('msgpack', bytes, '$.seq')).toBe(70_000);
    expect(probe('msgpack', bytes, '$.neg')).toBe(-129);
    expect(probe('msgpack', bytes, '$.f')).toBe(1.5);
    expect(probe('msgpack', bytes, '$.ok')).toBe(true);
    expect(probe('msgpack', bytes, '$.none')).toBe(null);
    expect(probe('msgpack', bytes, '$.data.price')).toBe(12);
    expect(probe('msgpack', bytes, '$.data.list[1]')).toBe('caf\u00e9');
    expect(probe('msgpack', bytes, "$.data.list[2]['deep']")).toBe('\u{1f600}');
    expect(probe('msgpack', bytes, '$.data')).toBe(CONTAINER);
    expect(probe('msgpack', bytes, '$.data.list')).toBe(CONTAINER);
    for (const path of ['$.event', '$.seq', '$.neg', '$.f', '$.ok', '$.none', '$.data.price', '$.data.list[1]', "$.data.list[2]['deep']"]) expect(expectExact('msgpack', bytes, path), path).toBe(true);
  });

  it('says absent for a missing key, an index past the end, a key into a list or a scalar, an index into a map', () => {
    const bytes = pack({ a: [1, 2], s: 'text', n: 3 });
    for (const path of ['$.x', '$.a[2]', '$.a.x', '$.s.x', '$.n.x', '$[0]', '$.a[0].x', '$.s[0]']) {
      expect(probe('msgpack', bytes, path), path).toBe(ABSENT);
      expect(expectExact('msgpack', bytes, path), path).toBe(true);
    }
    expect(probe('msgpack', pack([5, 6]), '$[1]')).toBe(6);
    expect(probe('msgpack', pack([5, 6]), '$.a')).toBe(ABSENT);
    expect(probe('msgpack', pack(7), '$')).toBe(7);
  });

  it('takes the last of duplicate keys, as a Map does', () => {
    const duplicate = hex('83 a1 61 01 a1 62 02 a1 61 03'); // {a: 1, b: 2, a: 3}
    expect(probe('msgpack', duplicate, '$.a')).toBe(3);
    expect(expectExact('msgpack', duplicate, '$.a')).toBe(true);
  });

  it('says absent for any name in a map with a key that is not a string ({$map: …})', () => {
    const mixed = hex('82 a1 61 01 02 03'); // {a: 1, 2: 3}
    expect(probe('msgpack', mixed, '$.a')).toBe(ABSENT);
    expect(expectExact('msgpack', mixed, '$.a')).toBe(true);
    const binaryKey = hex('81 c4 01 61 01'); // {<bytes 'a'>: 1}
    expect(probe('msgpack', binaryKey, '$.a')).toBe(ABSENT);
    expect(expectExact('msgpack', binaryKey, '$.a')).toBe(true);
  });

  it('is unsure at extensions (records 0x72, dates, application types), 0xC1 and past the end', () => {
    const cases: [string, Buffer][] = [
      ['a date before the key', pack({ t: new Date(Date.UTC(2020, 0, 1)), a: 1 })],
      ['a date at the end', pack({ a: new Date(Date.UTC(2020, 0, 1)) })],
      ['fixext 1 of type 0x72 (a msgpackr record definition)', hex('82 a1 62 d4 72 00 a1 61 01')],
      ['application extension type 5', hex('82 a1 62 d5 05 00 01 a1 61 01')],
      ['0xC1 before the key', hex('82 a1 62 c1 a1 61 01')],
      ['a map cut short', hex('82 a1 62 01 a1')],
      ['a string past the end', hex('81 a1 61 a5 61')],
    ];
    for (const [label, bytes] of cases) {
      expect(probe('msgpack', bytes, '$.a'), label).toBe(UNSURE);
    }
  });

  it('is unsure at a key or a string value whose bytes are not UTF-8, and compares valid non-ASCII keys as text', () => {
    // Decoders each have their own reading of bad UTF-8 (replacement characters, or not), so the decoder reads these.
    expect(probe('msgpack', hex('81 a2 c1 a1 01'), '$.a')).toBe(UNSURE);
    expect(probe('msgpack', hex('81 a1 61 a2 c3 28'), '$.a')).toBe(UNSURE);
    expect(probe('msgpack', hex('81 a1 61 a3 ed a0 80'), '$.a')).toBe(UNSURE);
    const accented = pack({ caf\u00e9: 1, 'cafe\u0301': 2 });
    expect(probe('msgpack', accented, "$['caf\u00e9']")).toBe(1);
    expect(probe('msgpack', accented, "$['cafe\u0301']")).toBe(2);
    expect(probe('msgpack', accented, '$.cafe')).toBe(ABSENT);
  });

  it('is unsure at a key or a string value starting with a byte order mark (the JavaScript string readers drop it past 64 bytes, the native ones keep it)', () => {
    // A CBOR message the decoder read as {s: 'aaa…'} without cbor-extract: the probe said the
    // value was '\ufeffaaa…' and the prefilter passed over a match.
    const long = '\ufeff' + 'a'.repeat(70);
    for (const format of ['msgpack', 'cbor'] as const) {
      const encode = format === 'msgpack' ? pack : cborEncode;
      expect(probe(format, encode({ s: long }), '$.s'), `${format} value`).toBe(UNSURE);
      expect(probe(format, encode({ s: '\ufeffa' }), '$.s'), `${format} short value`).toBe(UNSURE);
      expect(probe(format, encode({ [long]: 1 }), `$['${'a'.repeat(70)}']`), `${format} key`).toBe(UNSURE);
      expect(probe(format, encode({ [long]: 1 }), `$['${long}']`), `${format} key with the mark`).toBe(UNSURE);
      expect(probe(format, encode({ s: 'a\ufeff' }), '$.s'), `${format} mark inside`).toBe('a\ufeff');
    }
  });

  it('reads 64-bit integers as their digits, floats that are not finite as text, float 32 exactly', () => {
    expect(probe('msgpack', hex('81 a1 61 cf 00 00 00 00 00 00 00 05'), '$.a')).toBe('5');
    expect(probe('msgpack', hex('81 a1 61 d3 ff ff ff ff ff ff ff fe'), '$.a')).toBe('-2');
    expect(probe('msgpack', hex('81 a1 61 cb 7f f8 00 00 00 00 00 00'), '$.a')).toBe('NaN');
    expect(probe('msgpack', hex('81 a1 61 cb ff f0 00 00 00 00 00 00'), '$.a')).toBe('-Infinity');
    expect(probe('msgpack', hex('81 a1 61 ca 3d cc cc cd'), '$.a')).toBe(Math.fround(0.1));
    for (const bytes of ['81 a1 61 cf 00 00 00 00 00 00 00 05', '81 a1 61 d3 ff ff ff ff ff ff ff fe', '81 a1 61 cb 7f f8 00 00 00 00 00 00', '81 a1 61 ca 3d cc cc cd', '81 a1 61 d0 80', '81 a1 61 d1 80 00', '81 a1 61 d2 80 00 00 00', '81 a1 61 cd ff ff', '81 a1 61 ce ff ff ff ff']) {
      expect(expectExact('msgpack', hex(bytes), '$.a'), bytes).toBe(true);
    }
  });

  it('asks no key of bytes but says unsure for `length` ({$bytes, length})', () => {
    const bytes = pack({ b: Buffer.from('chat') });
    expect(probe('msgpack', bytes, '$.b')).toBe(CONTAINER);
    expect(probe('msgpack', bytes, '$.b.length')).toBe(UNSURE);
    expect(probe('msgpack', bytes, '$.b.other')).toBe(ABSENT);
    expect(expectExact('msgpack', bytes, '$.b.other')).toBe(true);
  });

  it('follows the key __proto__ as an own key', () => {
    const proto = Buffer.concat([hex('81 a9'), Buffer.from('__proto__'), hex('07')]);
    expect(probe('msgpack', proto, "$['__proto__']")).toBe(7);
    expect(expectExact('msgpack', proto, "$['__proto__']")).toBe(true);
  });
});

describe('CBOR bytes followed to the value the decoder shows (cbor-probe.ts)', () => {
  it('finds keys, indexes and every scalar kind as json-value.ts shows it', () => {
    const bytes = cborEncode({ event: 'chat', seq: 70_000, big: 5_000_000_000, neg: -129, f: 1.5, ok: false, none: null, data: { price: 12, list: [1, 'caf\u00e9'] } });
    expect(probe('cbor', bytes, '$.event')).toBe('chat');
    expect(probe('cbor', bytes, '$.seq')).toBe(70_000);
    expect(probe('cbor', bytes, '$.neg')).toBe(-129);
    expect(probe('cbor', bytes, '$.f')).toBe(1.5);
    expect(probe('cbor', bytes, '$.ok')).toBe(false);
    expect(probe('cbor', bytes, '$.none')).toBe(null);
    expect(probe('cbor', bytes, '$.data.list[1]')).toBe('caf\u00e9');
    expect(probe('cbor', bytes, '$.data')).toBe(CONTAINER);
    for (const path of ['$.event', '$.seq', '$.big', '$.neg', '$.f', '$.ok', '$.none', '$.data.price', '$.data.list[1]', '$.x', '$.data.list[5]', '$[0]']) expect(expectExact('cbor', bytes, path), path).toBe(true);
  });

  it('reads every head size, 64-bit integers as digits, undefined as null, half floats through cbor-x', () => {
    const cases: [string, Probed][] = [
      ['a1 61 61 17', 23],
      ['a1 61 61 18 ff', 255],
      ['a1 61 61 19 ff ff', 65_535],
      ['a1 61 61 1a ff ff ff ff', 4_294_967_295],
      ['a1 61 61 1b 00 00 00 00 00 00 00 05', '5'],
      ['a1 61 61 3b 00 00 00 00 00 00 00 05', '-6'],
      ['a1 61 61 3a ff ff ff ff', -4_294_967_296],
      ['a1 61 61 38 ff', -256],
      ['a1 61 61 f7', null],
      ['a1 61 61 f9 3c 00', 1],
      ['a1 61 61 f9 7e 00', 'NaN'],
      ['a1 61 61 fa 3d cc cc cd', Math.fround(0.1)],
      ['a1 61 61 fb 7f f0 00 00 00 00 00 00', 'Infinity'],
    ];
    for (const [bytes, want] of cases) {
      expect(probe('cbor', hex(bytes), '$.a'), bytes).toBe(want);
      expect(expectExact('cbor', hex(bytes), '$.a'), bytes).toBe(true);
    }
  });

  it('is unsure at tags, indefinite lengths, other simple values, reserved heads and past the end', () => {
    const cases: [string, Buffer][] = [
      ['a date (tag 1) before the key', hex('a2 61 74 c1 1a 5e 0b e1 00 61 61 01')],
      ['a tag at the value', hex('a1 61 61 d8 20 61 78')],
      ['an indefinite-length map', hex('bf 61 61 01 ff')],
      ['an indefinite-length string before the key', hex('a2 61 62 7f 61 78 ff 61 61 01')],
      ['the simple value 16', hex('a2 61 62 f0 61 61 01')],
      ['a simple value in the next byte', hex('a2 61 62 f8 14 61 61 01')],
      ['a reserved head', hex('a2 61 62 1c 61 61 01')],
      ['a map cut short', hex('a2 61 62 01 61')],
      ['a string length in 8 bytes', hex('a2 61 62 7b 00 00 00 00 00 00 00 01 78 61 61 01')],
    ];
    for (const [label, bytes] of cases) expect(probe('cbor', bytes, '$.a'), label).toBe(UNSURE);
  });

  it('takes the last duplicate key, and says absent in a map with a key that is not text', () => {
    expect(probe('cbor', hex('a2 61 61 01 61 61 02'), '$.a')).toBe(2);
    expect(expectExact('cbor', hex('a2 61 61 01 61 61 02'), '$.a')).toBe(true);
    expect(probe('cbor', hex('a2 61 61 01 02 03'), '$.a')).toBe(ABSENT);
    expect(expectExact('cbor', hex('a2 61 61 01 02 03'), '$.a')).toBe(true);
    expect(probe('cbor', hex('a1 41 61 01'), '$.a')).toBe(ABSENT);
    expect(probe('cbor', hex('a1 62 c3 28 01'), '$.a')).toBe(UNSURE);
    expect(probe('cbor', hex('a1 61 61 62 c3 28'), '$.a')).toBe(UNSURE);
  });

  it('says unsure for `length` of a byte string, absent for other keys', () => {
    const bytes = cborEncode({ b: Buffer.from('chat') });
    expect(probe('cbor', bytes, '$.b')).toBe(CONTAINER);
    expect(probe('cbor', bytes, '$.b.length')).toBe(UNSURE);
    expect(probe('cbor', bytes, '$.b.x')).toBe(ABSENT);
  });
});

describe('a path step into a string: unsure where it may hold JSON text the query goes on into (value-probe.ts pastString)', () => {
  const bytesOf = (format: Format, value: unknown): Buffer => (format === 'msgpack' ? pack(value) : Buffer.from(cborEncode(value)));
  const PATHS = ['$.note.price', '$.note[0]', '$.note.a', '$.note[0][0]', '$.note.note.price'];

  it.each(['msgpack', 'cbor'] as const)('%s: unsure at `{` or `[` after JSON whitespace, absent at any other ASCII start', (format) => {
    const cases: [string, Probed][] = [
      ['{"price":120}', UNSURE],
      [' [1,2]', UNSURE],
      ['[[0]]', UNSURE],
      ['{}', UNSURE],
      ['{"a":"\\u0041"}', UNSURE],
      ['{"a":1', UNSURE],
      ['\t\r\n {"price":99}', UNSURE],
      ['[', UNSURE],
      [`{"pad":"${'p'.repeat(70_000)}"}`, UNSURE],
      ['"x"', ABSENT],
      ['7', ABSENT],
      ['x{"a":2}', ABSENT],
      ['  ', ABSENT],
      ['', ABSENT],
      ['\f{"a":1}', ABSENT],
      // Not ASCII: a decoder may drop a byte order mark or read bad UTF-8 as a brace, so the decoder reads it.
      ['\u00a0{"a":1}', UNSURE],
      ['\ufeff[1]', UNSURE],
    ];
    for (const [text, want] of cases) {
      const bytes = bytesOf(format, { note: text, seq: 1 });
      for (const path of PATHS) {
        expect(probe(format, bytes, path), `${JSON.stringify(text).slice(0, 40)} ${path}`).toBe(want);
        expectExact(format, bytes, path);
      }
      // The string itself is still what the path to it selects (unsure with a byte order mark first, which a string reader may drop).
      if (text.length < 100) expect(probe(format, bytes, '$.note'), text).toBe(text.startsWith('\ufeff') ? UNSURE : text);
    }
    // Inside a list, and in a list inside the text.
    expect(probe(format, bytesOf(format, ['[1,2]']), '$[0][1]')).toBe(UNSURE);
    expect(probe(format, bytesOf(format, ['12']), '$[0][1]')).toBe(ABSENT);
  });

  it.each(['msgpack', 'cbor'] as const)('%s: what the decoder shows and the query finds there, for every answer that is sure', (format) => {
    const queries: [unknown, string, boolean][] = [
      [{ note: '{"price":120}' }, '$.note.price > 100', true],
      [{ s: '[1,2]' }, '$.s[0] == 1', true],
      [{ note: '{"a":"\\u0041"}' }, "$.note.a == 'A'", true],
      [{ note: '{"a":1' }, '$.note.a != 1', true],
      [{ note: '"x"' }, '$.note.a != 1', true],
      [{ note: '"x"' }, '$.note.a == 1', false],
      [{ note: 'plain' }, '$.note.price > 100', false],
    ];
    for (const [value, query, matches] of queries) {
      const bytes = bytesOf(format, value);
      const outcome = decode(decoderOf(format), bytes);
      expect(outcome !== undefined && outcome.kind !== 'invalid' && matchesDecodedQuery(parsed(query), outcome.value), query).toBe(matches);
      if (matches) expect(expectNeverPassesAMatch(format, bytes, query), query).toBe(false);
      else expect(expectNeverPassesAMatch(format, bytes, query), query).toBe(true);
    }
  });

  it('MessagePack: str 8, 16 and 32 heads are read alike; bin is {$bytes, length}, never text; a string past the end is unsure', () => {
    const text = Buffer.from('{"a":1}');
    const heads = [hex(`a${text.length.toString(16)}`), hex(`d9 ${text.length.toString(16).padStart(2, '0')}`), hex(`da 00 ${text.length.toString(16).padStart(2, '0')}`), hex(`db 00 00 00 ${text.length.toString(16).padStart(2, '0')}`)];
    for (const head of heads) {
      const bytes = Buffer.concat([hex('81 a4'), Buffer.from('note'), head, text]);
      expect(probe('msgpack', bytes, '$.note.a'), head.toString('hex')).toBe(UNSURE);
      expect(expectNeverPassesAMatch('msgpack', bytes, '$.note.a == 1')).toBe(false);
    }
    const bin = Buffer.concat([hex('81 a4'), Buffer.from('note'), hex(`c4 ${text.length.toString(16).padStart(2, '0')}`), text]);
    for (const path of ['$.note.a', '$.note[0]']) {
      expect(probe('msgpack', bin, path), path).toBe(ABSENT);
      expect(expectExact('msgpack', bin, path), path).toBe(true);
    }
    expect(probe('msgpack', Buffer.concat([hex('81 a4'), Buffer.from('note'), hex('a8'), text]), '$.note.a')).toBe(UNSURE);
    // Bad UTF-8 first (an overlong C1 BB reads as `{` in a lenient reader): the decoder reads it.
    expect(probe('msgpack', Buffer.concat([hex('81 a4'), Buffer.from('note'), hex('a8 c1 bb'), Buffer.from('"a":1}')]), '$.note.a')).toBe(UNSURE);
  });

  it('CBOR: text strings with 1-, 2- and 4-byte lengths are read alike; an indefinite one is unsure; a byte string is never text', () => {
    const text = Buffer.from('[7]');
    for (const head of [hex('63'), hex('78 03'), hex('79 00 03'), hex('7a 00 00 00 03')]) {
      const bytes = Buffer.concat([hex('a1 64'), Buffer.from('note'), head, text]);
      expect(probe('cbor', bytes, '$.note[0]'), head.toString('hex')).toBe(UNSURE);
      expect(expectNeverPassesAMatch('cbor', bytes, '$.note[0] == 7')).toBe(false);
    }
    // (_ "[" "7]"): cbor-x joins the chunks.
    const indefinite = Buffer.concat([hex('a1 64'), Buffer.from('note'), hex('7f 61 5b 62 37 5d ff')]);
    expect(probe('cbor', indefinite, '$.note[0]')).toBe(UNSURE);
    expect(expectNeverPassesAMatch('cbor', indefinite, '$.note[0] == 7')).toBe(false);
    const byteString = Buffer.concat([hex('a1 64'), Buffer.from('note'), hex('43'), text]);
    for (const path of ['$.note[0]', '$.note.a']) {
      expect(probe('cbor', byteString, path), path).toBe(ABSENT);
      expect(expectExact('cbor', byteString, path), path).toBe(true);
    }
    expect(probe('cbor', Buffer.concat([hex('a1 64'), Buffer.from('note'), hex('65'), text]), '$.note[0]')).toBe(UNSURE);
  });
});

describe('which paths a probe follows (value-probe.ts probeSteps)', () => {
  it('none under [*], a $ name, or deeper than 32 steps', () => {
    const steps = (path: string) => probeSteps(parsed(path).clauses[0]?.path ?? []);
    expect(steps('$.a[*]')).toBeUndefined();
    expect(steps('$.b.$bytes')).toBeUndefined();
    expect(steps(`$${'.a'.repeat(33)}`)).toBeUndefined();
    expect(steps(`$${'.a'.repeat(32)}`)).toHaveLength(32);
    expect(steps("$['it\\'s'][0]")).toEqual([{ kind: 'key', name: "it's", utf8: Buffer.from("it's") }, { kind: 'index', index: 0 }]);
  });
});

describe('the probe prefilter (query-probe.ts)', () => {
  const QUERIES = [
    '$.seq > 5',
    '$.seq >= 5 && $.seq < 9',
    '$.seq != 3',
    '$.missing != 3',
    '$.missing',
    '$.event',
    '$.event =~ /^ch/',
    "$.event == 'chat'",
    "$.event != 'chat'",
    '$.b == null',
    '$.b != null',
    '$.a[0] == 1',
    '$.a[0].event',
    '$ != 1',
    '$ == 1',
    "$.event >= 'c'",
    '$.seq == true',
    '$.a[*] == 1 && $.seq > 5',
  ];

  it('passes over a message only when no clause can hold there: absent keys, !=, existence, orders of text and numbers', () => {
    const bytesOf = (format: Format, value: unknown) => (format === 'msgpack' ? pack(value) : Buffer.from(cborEncode(value)));
    for (const format of ['msgpack', 'cbor'] as const) {
      const values = [{ seq: 7, event: 'chat', b: null, a: [1] }, { seq: 3, event: 'other', b: false, a: [{ event: 0 }] }, { event: '' }, {}, 1, 'chat', [1, 2], null, false];
      let passed = 0;
      for (const value of values) for (const query of QUERIES) if (expectNeverPassesAMatch(format, bytesOf(format, value), query)) passed++;
      // It does pass over most: here the messages a clause fails.
      expect(passed, format).toBeGreaterThan(80);
    }
  });

  it('a message the query needs an absent key in: `!=` holds, comparisons and a path alone do not', () => {
    const bytes = pack({ seq: 7 });
    const passes = (query: string) => queryProbePrefilter('msgpack', parsed(query), 'none')?.lacks?.(bytes, 0, bytes.length);
    expect(passes('$.missing != 3')).toBe(false);
    expect(passes('$.missing == 3')).toBe(true);
    expect(passes('$.missing')).toBe(true);
    expect(passes('$.missing =~ /x/')).toBe(true);
    expect(passes('$.seq != 7')).toBe(true);
    expect(passes('$.seq')).toBe(false);
    expect(passes('$.seq > 6 && $.missing')).toBe(true);
    expect(passes('$.seq > 6 && $.seq < 7')).toBe(true);
    expect(passes('$.seq > 6 && $.seq <= 7')).toBe(false);
  });

  it('is what queryPrefilter gives without a string rule, for MessagePack, CBOR and Protocol Buffers only', () => {
    const ruleFor = (protocol: Parameters<typeof queryPrefilter>[0], query: string) => queryPrefilter(protocol, parsed(query), { protobuf: 'none' });
    expect(ruleFor('msgpack', '$.seq > 5')?.kind).toBe('self-contained');
    expect(ruleFor('cbor', '$.seq > 5')?.kind).toBe('self-contained');
    expect(ruleFor('protobuf', '$.seq > 5')?.kind).toBe('self-contained');
    expect(ruleFor('msgpack', "$.event == 'chat'")?.needles.map(String)).toEqual(['chat', '\\u']);
    // A [*] clause without a string literal: any-step-probe.ts.
    expect(ruleFor('msgpack', '$.a[*] > 5')?.kind).toBe('self-contained');
    expect(ruleFor('msgpack', '$.b.$bytes')).toBeUndefined();
    // Not a probe for a JSON protocol (query-keys.ts may give a key rule there).
    expect(ruleFor('socketio', '$.seq > 5')?.kind).not.toBe('self-contained');
    expect(queryPrefilter('protobuf', parsed('$.seq > 5'), { protobuf: 'rules' })).toBeUndefined();
  });

  it('Protocol Buffers: a name that is no key of any message rules every message out; without a schema a possible key rules nothing out', () => {
    const schema = eventSchema();
    const type = schema.messageType;
    if (!type) throw new Error('no type');
    // Two messages: one with field 1 as text 'hi' (Event's event), one with field 1 as the varint 1.
    const withEvent = Buffer.from([0x0a, 0x02, 0x68, 0x69]);
    const withVarint = Buffer.from([0x08, 0x01]);
    const everyMessage = (query: string, protobuf: 'none' | typeof type) => {
      const rule = queryProbePrefilter('protobuf', parsed(query), protobuf);
      if (rule === undefined) return 'decode';
      const passed = [Buffer.alloc(0), withEvent, withVarint].map((bytes) => (bytes.length === 0 ? rule.selfContained(bytes, 0, 0, 'binary') : rule.lacks?.(bytes, 0, bytes.length) === true));
      return passed.every(Boolean) ? 'pass over' : passed.join(' ');
    };
    expect(everyMessage('$.seq > 5', 'none')).toBe('pass over');
    expect(everyMessage("$['2'] > 5", 'none')).toBe('decode');
    expect(everyMessage("$['02'] > 5", 'none')).toBe('pass over');
    expect(everyMessage("$['536870912'] > 5", 'none')).toBe('pass over');
    expect(everyMessage('$[0] > 5', 'none')).toBe('pass over');
    expect(everyMessage('$.seq != 5', 'none')).toBe('decode');
    expect(everyMessage('$ != 5', 'none')).toBe('decode');
    expect(everyMessage('$ == 5', 'none')).toBe('pass over');
    expect(everyMessage('$.price > 5', type)).toBe('pass over');
    // A string field is read from the bytes: only the message that has it is decoded (field 1 as a varint is skipped, as protobufjs skips it).
    expect(everyMessage('$.event', type)).toBe('true false true');
    expect(everyMessage("$.event != 'hi'", type)).toBe('false true false');
    expect(everyMessage("$['__proto__'] > 1", type)).toBe('decode');
  });
});

/**
 * Strings that hold JSON text, or only look like it, for query paths that go on into them
 * (shared/json-text-value.ts): objects and arrays after JSON whitespace, an escape, JSON text in
 * JSON text; broken JSON, JSON scalars, text with a brace later, a no-break space or a byte order
 * mark before the brace, whitespace alone, nothing.
 */
const JSON_TEXTS = ['{"price":120}', ' [1,2]', '[[0]]', '{}', '{"a":"\\u0041"}', '{"a":1', '"x"', '7', '\t\r\n {"price":99,"a":1}', '{"note":"{\\"price\\":101}"}', '[', 'x{"a":2}', ' ', '', '\u00a0{"a":1}', '\ufeff[1]', `{"price":${'9'.repeat(40)},"pad":"${'p'.repeat(300)}"}`];

/** Queries whose paths go on into a string (the message value's `note`, `s`, `seq`, `b`). */
const INTO_TEXT_QUERIES = ['$.note.price > 100', '$.s[0] == 1', '$.note.a != 1', "$.note.a == 'A'", '$.s[0][0] == 0', '$.note.note.price > 100', '$.seq.price < 100', '$.b[0] != 2', '$.note.price'];

const PROTO = `syntax = "proto3";
message Data { string sym = 1; double price = 2; }
message Event { string event = 1; uint32 seq = 2; Data data = 3; }`;

function eventSchema(): ProtobufSchema {
  const loaded = loadProtobufSchema({ protoText: PROTO, name: 'event.proto' }, 'Event');
  if ('problem' in loaded) throw new Error(loaded.problem);
  return loaded.schema;
}

describe('generated and damaged messages', () => {
  const ROUNDS = Number(process.env.PROBE_FUZZ_ROUNDS ?? 300);
  const WORDS = ['chat', 'seq', 'a', 'caf\u00e9', '', '\u{1f600}', '__proto__'];
  /** Paths that go on into strings, which may hold JSON text (JSON_TEXTS). */
  const INTO_TEXT = ['$.note.price', '$.s[0]', '$.note.a', '$.s[0][0]', '$.note.note.price', '$.seq.price', '$.b[0]', '$.event.a', '$.a[0].a', '$[0].a'];
  const PATHS = ['$.seq', '$.event', '$.a[0]', '$.a[1].seq', '$.b', '$.b.length', '$[0]', '$[1].a', '$', '$.data.price', "$['caf\u00e9']", "$['__proto__']", '$.x', ...INTO_TEXT];

  function value(random: (n: number) => number, depth = 0): unknown {
    switch (random(depth > 2 ? 7 : 12)) {
      case 0:
        return random(2) === 0 ? pick(random, WORDS) : pick(random, JSON_TEXTS);
      case 1:
        return random(300) - 150;
      case 2:
        return pick(random, [70_000, -70_000, 5_000_000_000, -5_000_000_000, 2 ** 64 - 1, 0.5, -0, NaN, Infinity, 2n ** 63n - 1n, -(2n ** 63n)]);
      case 3:
        return Buffer.from(pick(random, WORDS));
      case 4:
        // undefined as well (pick refuses it)
        return [null, true, false, undefined, new Date(Date.UTC(2020, 0, 1))][random(5)];
      case 5:
        return random(100);
      case 6:
        return { seq: random(10), event: pick(random, WORDS) };
      case 7:
        return [value(random, depth + 1), value(random, depth + 1)];
      case 8:
        return new Map<unknown, unknown>([[pick(random, WORDS), value(random, depth + 1)], [random(3) === 0 ? 1 : 'seq', value(random, depth + 1)]]);
      case 9:
        return { note: pick(random, JSON_TEXTS), s: pick(random, JSON_TEXTS), seq: random(10) };
      default:
        return { seq: value(random, depth + 1), a: [value(random, depth + 1), value(random, depth + 1)], b: value(random, depth + 1), [pick(random, WORDS)]: value(random, depth + 1), data: { price: random(10) } };
    }
  }

  function damaged(random: (n: number) => number, bytes: Buffer): Buffer {
    if (random(4) !== 0 || bytes.length < 2) return bytes;
    if (random(2) === 0) return bytes.subarray(0, random(bytes.length));
    const copy = Buffer.from(bytes);
    for (let k = random(3); k >= 0; k--) copy[random(copy.length)] = random(256);
    return copy;
  }

  it.each(['msgpack', 'cbor'] as const)('%s: every sure answer is exact, and most are sure', (format) => {
    const random = seeded(format === 'msgpack' ? 31 : 32);
    let sure = 0;
    let asked = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const v = value(random);
      let bytes: Buffer;
      try {
        bytes = damaged(random, format === 'msgpack' ? pack(v) : Buffer.from(cborEncode(v)));
      } catch {
        continue;
      }
      for (const path of PATHS) {
        asked++;
        if (expectExact(format, bytes, path)) sure++;
      }
    }
    expect(sure / asked).toBeGreaterThan(0.6);
  });

  it.each(['msgpack', 'cbor'] as const)('%s: the prefilter never passes over a message the query matches', (format) => {
    const random = seeded(format === 'msgpack' ? 41 : 42);
    const queries = ['$.seq > 3', '$.seq != 2', '$.b', '$.a[0] == null', "$.event =~ /a/ && $.seq < 50", '$.x != 1', "$ >= 'c'", '$.data.price <= 4', ...INTO_TEXT_QUERIES];
    for (let round = 0; round < ROUNDS; round++) {
      let bytes: Buffer;
      try {
        bytes = damaged(random, format === 'msgpack' ? pack(value(random)) : Buffer.from(cborEncode(value(random))));
      } catch {
        continue;
      }
      for (const query of queries) expectNeverPassesAMatch(format, bytes, query);
    }
  });

  it('a search through the engine counts what decoding every frame in order counts', () => {
    const random = seeded(51);
    const queries = ['$.seq > 3', '$.seq != 2', '$.b', "$.event =~ /a/ && $.seq < 50", '$.x != 1', '$.data.price <= 4', ...INTO_TEXT_QUERIES, '$.note[*] == 120'];
    for (const format of ['msgpack', 'cbor'] as const) {
      const messages: Message[] = [];
      for (let i = 0; i < 200; i++) {
        try {
          messages.push(binary(random(5) === 0 ? 'out' : 'in', damaged(random, format === 'msgpack' ? pack(value(random)) : Buffer.from(cborEncode(value(random))))));
        } catch {
          // a value the encoder refuses
        }
      }
      messages.push({ dir: 'in', opcode: 'ping', bytes: pack({ seq: 9 }) }, binary('in', Buffer.alloc(0)));
      for (const { label, expected, got } of compareSearches(messages, format, 'ws://h/', () => decoderOf(format), queries.map((query) => ({ query })))) {
        expect(got, `${format} ${label}`).toEqual(expected);
      }
    }
  });

  it('Protocol Buffers, with and without a schema: searches count what decoding in order counts, an empty message included', () => {
    const messages: Message[] = [binary('in', Buffer.alloc(0)), binary('in', Buffer.from([0x10, 0x07])), binary('in', Buffer.from([0x0a, 0x02, 0x68, 0x69, 0x10, 0x09])), binary('in', Buffer.from([0x0a, 0x09]))];
    // Field 1 (Event's event) as JSON text, or text that only looks like it.
    for (const json of JSON_TEXTS) messages.push(binary('in', Buffer.from([0x0a, ...Buffer.from([Buffer.byteLength(json)].flatMap((n) => (n < 0x80 ? [n] : [(n & 0x7f) | 0x80, n >> 7]))), ...Buffer.from(json), 0x10, 0x03])));
    const queries = ['$.seq > 5', '$.seq != 5', "$['2'] > 5", '$ != 1', '$.price', '$.event', '$.event.price > 100', '$.event[0] == 1', '$.event.a != 1', '$.event[*] == 120', "$['1'].price > 100", "$['1'][0] == 1", "$['1'].a != 1"];
    const schemaChoice = { schema: { name: 'event.proto', proto: PROTO }, type: 'Event' };
    for (const { label, expected, got } of compareSearches(messages, 'protobuf', 'ws://h/', () => new ProtobufDecoder(), queries.map((query) => ({ query })))) {
      expect(got, `no schema ${label}`).toEqual(expected);
    }
    const schema = eventSchema();
    for (const { label, expected, got } of compareSearches(messages, 'protobuf', 'ws://h/', () => new ProtobufDecoder(schema), queries.map((query) => ({ query })), undefined, schemaChoice)) {
      expect(got, `schema ${label}`).toEqual(expected);
    }
  });
});

describe('Protocol Buffers with a schema: singular fields read from the bytes as protobufjs decodes them (protobuf-probe.ts)', () => {
  const SCHEMA3 = `syntax = "proto3";
enum Kind { none = 0; chat = 1; }
message Inner { uint32 n = 1; string s = 2; Inner deeper = 3; }
message All {
  double d = 1; float f = 2; int32 i = 3; uint32 u = 4; sint32 z = 5; fixed32 x = 6; sfixed32 y = 7; bool b = 8; string s = 9;
  Inner inner = 10; optional uint32 opt = 11; oneof choice { uint32 one = 12; string two = 13; }
  repeated uint32 many = 14; map<string, uint32> labels = 15; Kind kind = 16; int64 big = 17; bytes blob = 18;
}`;
  const SCHEMA2 = `syntax = "proto2";
message All2 { optional uint32 u = 4; optional string s = 9; optional bool b = 8; optional double d = 1; optional string dflt = 19 [default = "[1]"]; }`;

  function schemaOf(proto: string, type: string): ProtobufSchema {
    const loaded = loadProtobufSchema({ protoText: proto, name: 'all.proto' }, type);
    if ('problem' in loaded) throw new Error(loaded.problem);
    return loaded.schema;
  }
  const all = schemaOf(SCHEMA3, 'All');
  const all2 = schemaOf(SCHEMA2, 'All2');

  const varint = (n: number): number[] => {
    const out: number[] = [];
    let v = n;
    while (v >= 0x80) {
      out.push((v % 0x80) | 0x80);
      v = Math.floor(v / 0x80);
    }
    out.push(v);
    return out;
  };
  const tag = (id: number, wire: number): number[] => varint(id * 8 + wire);
  const lengthDelimited = (id: number, body: readonly number[]): number[] => [...tag(id, 2), ...varint(body.length), ...body];

  /** A random field of the schema's numbers 1–19, sometimes with another wire type than its own, sometimes a default value. */
  function field(random: (n: number) => number, depth: number): number[] {
    const id = random(19) + 1;
    const wire = pick(random, [0, 0, 1, 2, 2, 5]);
    switch (wire) {
      case 0:
        return [...tag(id, 0), ...varint(pick(random, [0, 1, 2, 127, 128, 300, 2 ** 31, 2 ** 32 - 1, 2 ** 40]))];
      case 1: {
        const b = Buffer.alloc(8);
        b.writeDoubleLE(pick(random, [0, -0, 1.5, NaN, Infinity, -2]));
        return [...tag(id, 1), ...b];
      }
      case 5: {
        const b = Buffer.alloc(4);
        if (random(2) === 0) b.writeFloatLE(pick(random, [0, -0, 0.1, NaN]));
        else b.writeInt32LE(pick(random, [0, -1, 7]));
        return [...tag(id, 5), ...b];
      }
      default: {
        const body = depth < 2 && random(3) === 0 ? message(random, depth + 1) : [...Buffer.from(random(2) === 0 ? pick(random, ['', 'chat', 'caf\u00e9', '\u0001', 'x']) : pick(random, JSON_TEXTS))];
        if (random(8) === 0) body.push(0xc3);
        return lengthDelimited(id, body);
      }
    }
  }

  function message(random: (n: number) => number, depth = 0): number[] {
    const out: number[] = [];
    for (let k = random(5); k >= 0; k--) out.push(...field(random, depth));
    return out;
  }

  function damaged(random: (n: number) => number, bytes: number[]): Buffer {
    const copy = Buffer.from(bytes);
    if (random(5) !== 0 || copy.length < 2) return copy;
    if (random(2) === 0) return copy.subarray(0, random(copy.length));
    copy[random(copy.length)] = random(256);
    return copy;
  }

  /** Paths past a field: into a string's JSON text, past an enum, 64-bit, bytes or number field, a oneof's string. */
  const PAST_FIELDS = ['$.dflt[0]', '$.s.price', '$.s[0]', '$.s.a', '$.s[0][0]', '$.s.note.price', '$.inner.s.a', '$.inner.deeper.s[1]', '$.two.x', '$.kind.x', '$.big.x', '$.blob.length', '$.blob.x', '$.blob[0]', '$.d.x', '$.u[0]', '$.b.x'];
  const PATHS = ['$.d', '$.f', '$.i', '$.u', '$.z', '$.x', '$.y', '$.b', '$.s', '$.inner', '$.inner.n', '$.inner.s', '$.inner.deeper.n', '$.opt', '$.one', '$.many', '$.kind', '$.big', '$.blob', '$.labels', '$.nothing', '$.inner.nothing', '$.s.x', '$[0]', '$.dflt', ...PAST_FIELDS];

  /** Fails when a sure answer is not what the path selects in the decoded value; returns whether it was sure. */
  function expectExactProtobuf(schema: ProtobufSchema, bytes: Buffer, path: string): boolean {
    const type = schema.messageType;
    const clause = parsed(path).clauses[0];
    const steps = clause ? probeSteps(clause.path) : undefined;
    if (!type || !clause || !steps) throw new Error(`no probe for ${path}`);
    const probe = protobufProbe(steps, type);
    const slab = Buffer.concat([Buffer.from([0x08]), bytes, Buffer.from([0x20, 0x05])]);
    const found = 'constant' in probe ? probe.constant : probe.read(slab, 1, 1 + bytes.length);
    const outcome = new ProtobufDecoder(schema).decode({ seq: 1, dir: 'in', opcode: 'binary', bytes });
    if (!outcome || outcome.kind === 'invalid' || found === UNSURE) return found !== UNSURE;
    const selected = selectPath(outcome.value, clause.path);
    const label = `${schema.typeName} ${bytes.toString('hex')} ${path}: ${JSON.stringify(outcome.value)}`;
    if (found === ABSENT) expect(selected, label).toEqual([]);
    else if (found === CONTAINER) {
      expect(selected.length, label).toBe(1);
      expect(typeof selected[0], label).toBe('object');
    } else {
      expect(selected.length, label).toBe(1);
      expect(Object.is(selected[0], found), `${label}: ${String(found)}`).toBe(true);
    }
    return true;
  }

  it('reads each type, the last occurrence, merged messages, and a default that deletes an implicit field', () => {
    const bytes = Buffer.from([...tag(4, 0), ...varint(7), ...tag(4, 0), ...varint(9), ...lengthDelimited(10, [...tag(1, 0), 5]), ...lengthDelimited(10, [...tag(2, 2), 1, 0x61]), ...tag(8, 0), 1, ...tag(3, 0), 0]);
    const read = (path: string, schema = all) => {
      const steps = probeSteps(parsed(path).clauses[0]?.path ?? []);
      const probe = steps && schema.messageType ? protobufProbe(steps, schema.messageType) : undefined;
      return probe && 'read' in probe ? probe.read(bytes, 0, bytes.length) : probe?.constant;
    };
    expect(read('$.u')).toBe(9);
    expect(read('$.inner.n')).toBe(5);
    expect(read('$.inner.s')).toBe('a');
    expect(read('$.b')).toBe(true);
    // int32 3 written as 0: a proto3 field without presence is not there.
    expect(read('$.i')).toBe(ABSENT);
    for (const path of ['$.u', '$.inner.n', '$.inner.s', '$.b', '$.i', '$.inner']) expect(expectExactProtobuf(all, bytes, path), path).toBe(true);
    const zero = Buffer.from([...tag(4, 0), ...varint(7), ...tag(4, 0), 0]);
    expect(expectExactProtobuf(all, zero, '$.u')).toBe(true);
    expect(protobufProbe(probeSteps(parsed('$.u').clauses[0]?.path ?? []) ?? [], all.messageType ?? undefined)).toHaveProperty('read');
    const proto2 = Buffer.from([...tag(4, 0), 0]);
    expect(expectExactProtobuf(all2, proto2, '$.u')).toBe(true);
  });

  it('reads numbers as protobufjs does: int32 signed, sint32 zigzag, the low 32 bits of a longer varint, -0 and NaN kept', () => {
    const f32 = (n: number) => {
      const b = Buffer.alloc(4);
      b.writeFloatLE(n);
      return [...b];
    };
    const f64 = (n: number) => {
      const b = Buffer.alloc(8);
      b.writeDoubleLE(n);
      return [...b];
    };
    const cases: [string, number[], Probed][] = [
      ['$.i', [...tag(3, 0), ...varint(2 ** 31)], -(2 ** 31)],
      ['$.i', [...tag(3, 0), ...varint(2 ** 32 - 1)], -1],
      ['$.u', [...tag(4, 0), ...varint(2 ** 32 + 5)], 5],
      ['$.z', [...tag(5, 0), 3], -2],
      ['$.z', [...tag(5, 0), 4], 2],
      ['$.x', [...tag(6, 5), 0xff, 0xff, 0xff, 0xff], 2 ** 32 - 1],
      ['$.y', [...tag(7, 5), 0xff, 0xff, 0xff, 0xff], -1],
      ['$.f', [...tag(2, 5), ...f32(0.1)], Math.fround(0.1)],
      ['$.d', [...tag(1, 1), ...f64(-0)], -0],
      ['$.d', [...tag(1, 1), ...f64(NaN)], 'NaN'],
      ['$.d', [...tag(1, 1), ...f64(0)], ABSENT],
      ['$.b', [...tag(8, 0), 0x80, 0x01], true],
      ['$.s', lengthDelimited(9, [...Buffer.from('caf\u00e9')]), 'caf\u00e9'],
      ['$.s', lengthDelimited(9, []), ABSENT],
    ];
    for (const [path, bytes, want] of cases) {
      const steps = probeSteps(parsed(path).clauses[0]?.path ?? []) ?? [];
      const probe = protobufProbe(steps, all.messageType);
      const got = 'read' in probe ? probe.read(Buffer.from(bytes), 0, bytes.length) : probe.constant;
      expect(Object.is(got, want), `${path} ${Buffer.from(bytes).toString('hex')}: ${String(got)}`).toBe(true);
      expect(expectExactProtobuf(all, Buffer.from(bytes), path), path).toBe(true);
    }
  });

  it('is unsure at repeated, map, oneof, enum, 64-bit and bytes fields, groups and bad UTF-8; a field with another wire type is skipped', () => {
    const probeOn = (path: string, bytes: number[]) => {
      const probe = protobufProbe(probeSteps(parsed(path).clauses[0]?.path ?? []) ?? [], all.messageType);
      return 'read' in probe ? probe.read(Buffer.from(bytes), 0, bytes.length) : probe.constant;
    };
    for (const path of ['$.many', '$.labels', '$.one', '$.kind', '$.big', '$.blob']) expect(probeOn(path, []), path).toBe(UNSURE);
    expect(probeOn('$.u', [...tag(14, 0), 1, ...tag(4, 0), 7])).toBe(UNSURE);
    expect(probeOn('$.u', [...tag(19, 3), ...tag(19, 4), ...tag(4, 0), 7])).toBe(UNSURE);
    expect(probeOn('$.s', lengthDelimited(9, [0xc3, 0x28]))).toBe(UNSURE);
    expect(probeOn('$.u', [...tag(4, 2), 1, 7, ...tag(4, 0), 8])).toBe(8);
    expect(probeOn('$.u', [...tag(4, 0), 8, ...tag(4, 2), 1, 7])).toBe(8);
    expect(probeOn('$.nothing', [])).toBe(ABSENT);
    expect(probeOn('$.s.x', [])).toBe(ABSENT);
    expect(probeOn('$.opt', [...tag(11, 0), 0])).toBe(0);
  });

  it('goes on past a string field as far as its last value: unsure where it may hold JSON text, absent otherwise; past enums, numbers and bytes from the schema', () => {
    const probeOn = (path: string, bytes: number[], schema = all) => {
      const probe = protobufProbe(probeSteps(parsed(path).clauses[0]?.path ?? []) ?? [], schema.messageType);
      return 'read' in probe ? probe.read(Buffer.from(bytes), 0, bytes.length) : probe.constant;
    };
    const text = (id: number, value: string) => lengthDelimited(id, [...Buffer.from(value)]);
    const cases: [string, number[], Probed][] = [
      ['$.s.price', text(9, '{"price":120}'), UNSURE],
      ['$.s[0]', text(9, ' \n[1,2]'), UNSURE],
      ['$.s.price', text(9, 'chat'), ABSENT],
      ['$.s.price', text(9, '7'), ABSENT],
      ['$.s.price', text(9, ''), ABSENT],
      ['$.s.price', [], ABSENT],
      // The last occurrence is the value.
      ['$.s.price', [...text(9, '{}'), ...text(9, 'x')], ABSENT],
      ['$.s.price', [...text(9, 'x'), ...text(9, '[1]')], UNSURE],
      // Another wire type for field 9 is an unknown field, skipped.
      ['$.s.price', [...text(9, '{}'), ...tag(9, 0), 1], UNSURE],
      ['$.inner.s.a', lengthDelimited(10, text(2, '{"a":1}')), UNSURE],
      ['$.inner.s.a', lengthDelimited(10, text(2, 'a')), ABSENT],
      ['$.s.price', text(9, '\u00a0{}'), UNSURE],
    ];
    for (const [path, bytes, want] of cases) {
      expect(probeOn(path, bytes), `${path} ${Buffer.from(bytes).toString('hex')}`).toBe(want);
      expect(expectExactProtobuf(all, Buffer.from(bytes), path), path).toBe(want !== UNSURE);
    }
    expect(protobufProbe(probeSteps(parsed('$.s.x').clauses[0]?.path ?? []) ?? [], all.messageType)).toHaveProperty('read');
    // A proto2 default is not shown for a field the message lacks (toObject without defaults).
    expect(probeOn('$.dflt[0]', [], all2)).toBe(ABSENT);
    expect(expectExactProtobuf(all2, Buffer.alloc(0), '$.dflt[0]')).toBe(true);
    expect(probeOn('$.dflt[0]', text(19, '[1]'), all2)).toBe(UNSURE);
    // Enum names, 64-bit digits, numbers: nothing under them; bytes are {$bytes, length}.
    for (const path of ['$.kind.x', '$.big.x', '$.d.x', '$.u[0]', '$.blob.x', '$.blob[0]']) expect(probeOn(path, []), path).toBe(ABSENT);
    const blob = lengthDelimited(18, [0x7b, 0x7d]);
    expect(probeOn('$.blob.length', blob)).toBe(UNSURE);
    const decodedBlob = new ProtobufDecoder(all).decode({ seq: 1, dir: 'in', opcode: 'binary', bytes: Buffer.from(blob) });
    expect(decodedBlob?.kind === 'invalid' ? undefined : selectPath(decodedBlob?.value, parsed('$.blob.length').clauses[0]?.path ?? [])).toEqual([2]);
  });

  it('a name inside google.protobuf.Any is unsure: toObject shows the message it packs, with @type, instead of type_url and value', () => {
    const proto = `syntax = "proto3";
package google.protobuf;
message Any { string type_url = 1; bytes value = 2; }
message Inner { uint32 n = 1; }
message E { Any any = 1; uint32 seq = 2; }`;
    const schema = schemaOf(proto, 'google.protobuf.E');
    const any = (url: string, body: number[]) => lengthDelimited(1, [...lengthDelimited(1, [...Buffer.from(url)]), ...lengthDelimited(2, body)]);
    const messages = [
      binary('in', any('type.googleapis.com/google.protobuf.Inner', [0x08, 0x07])),
      binary('in', any('type.googleapis.com/other.Unknown', [0x08, 0x07])),
      binary('in', [...any('x/google.protobuf.Inner', [0x08, 0x02]), 0x10, 0x05]),
      binary('in', Buffer.alloc(0)),
    ];
    for (const path of ['$.any.type_url', '$.any.n', '$.any.value']) {
      expect(protobufProbe(probeSteps(parsed(path).clauses[0]?.path ?? []) ?? [], schema.messageType), path).toEqual({ constant: UNSURE });
    }
    const queries = ["$.any.type_url != 'type.googleapis.com/google.protobuf.Inner'", '$.any.n == 7', '$.any.type_url', '$.any.value.length > 1', "$.any['@type'] =~ /Inner/", '$.seq > 1'];
    const choice = { schema: { name: 'any.proto', proto }, type: 'google.protobuf.E' };
    for (const { label, expected, got } of compareSearches(messages, 'protobuf', 'ws://h/', () => new ProtobufDecoder(schema), queries.map((query) => ({ query })), undefined, choice)) {
      expect(got, label).toEqual(expected);
    }
  });

  it('past an enum whose schema names a value as JSON text (a descriptor may): unsure', () => {
    const root = protobuf.Root.fromJSON({ nested: { K: { values: { plain: 0, '{"a":1}': 1 } }, M: { fields: { k: { type: 'K', id: 1 } } }, P: { fields: { k: { type: 'Q', id: 1 } } }, Q: { values: { plain: 0 } } } });
    const steps = probeSteps(parsed('$.k.a').clauses[0]?.path ?? []) ?? [];
    expect(protobufProbe(steps, root.lookupType('M'))).toEqual({ constant: UNSURE });
    expect(protobufProbe(steps, root.lookupType('P'))).toEqual({ constant: ABSENT });
    // What the schema decoder shows (protobuf-schema.ts): the name, which the path goes on into.
    const type = root.lookupType('M');
    const shown = toJsonValue(type.toObject(type.decode(Buffer.from([0x08, 0x01])), { longs: String, enums: String, json: true }));
    expect(selectPath(shown, parsed('$.k.a').clauses[0]?.path ?? [])).toEqual([1]);
  });

  it.each([
    ['proto3', all],
    ['proto2', all2],
  ] as const)('%s: every sure answer on generated, damaged messages is exact, and most are sure', (_name, schema) => {
    const random = seeded(schema === all ? 61 : 62);
    let sure = 0;
    let asked = 0;
    for (let round = 0; round < Number(process.env.PROBE_FUZZ_ROUNDS ?? 300); round++) {
      const bytes = damaged(random, message(random));
      for (const path of PATHS) {
        asked++;
        if (expectExactProtobuf(schema, bytes, path)) sure++;
      }
    }
    expect(sure / asked).toBeGreaterThan(0.5);
  });

  it('a search through the engine counts what decoding every frame in order counts', () => {
    const random = seeded(63);
    const messages = Array.from({ length: 300 }, () => binary('in', damaged(random, message(random))));
    const queries = ['$.u > 100', '$.u != 7', '$.inner.n', "$.s =~ /a/ && $.b", '$.d < 1', '$.inner != 1', '$.s.price > 100', '$.s[0] == 1', '$.s.a != 1', '$.s[*] == 120', '$.inner.s.price', '$.s.note.price > 100', '$.blob.length > 2', '$.kind.x != 1'];
    const choice = { schema: { name: 'all.proto', proto: SCHEMA3 }, type: 'All' };
    for (const { label, expected, got } of compareSearches(messages, 'protobuf', 'ws://h/', () => new ProtobufDecoder(all), queries.map((query) => ({ query })), undefined, choice)) {
      expect(got, label).toEqual(expected);
    }
  });
});

