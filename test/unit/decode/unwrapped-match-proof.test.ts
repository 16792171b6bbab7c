/**
 * The match proof for compressed and Base64 payloads (unwrapped-match-proof.ts): `true` only
 * where a fresh decoder of that choice gives an outcome that is not invalid and whose value the
 * query matches (match-proof.ts). Checked on generated payloads (JSON with duplicate keys,
 * escapes, every form of number, byte-order marks, non-ASCII, whitespace, deep nesting; JSON
 * broken in the middle or at the end; text; bytes) wrapped every way the decoders read (gzip,
 * zlib, raw deflate, brotli; Base64 plain, URL-safe, unpadded, with line ends, of gzip and of
 * zlib) and broken wrappers, against many queries; on the bench's messages, which it must prove
 * (not vacuous); and on random bytes, where it must not throw.
 */
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { DecodeOutcome } from '../../../src-main/core/decode/decoded-frame';
import { createDecoder } from '../../../src-main/core/decode/decoder-registry';
import { PayloadInflater } from '../../../src-main/core/decode/payload-inflater';
import { unwrappedMatchProof } from '../../../src-main/core/decode/unwrapped-match-proof';
import { PayloadUnwrapper } from '../../../src-main/core/decode/unwrapped-payload';
import { matchesDecodedQuery, parseDecodedQuery, type DecodedQuery } from '../../../src-main/shared/decoded-query';
import { damaged, pick, seeded } from './prefilter-harness';
import { pathText, randomJson, randomSteps } from './random-json';

type Random = (n: number) => number;
type Protocol = 'compressed' | 'base64';

interface Wrapped {
  protocol: Protocol;
  how: string;
  opcode: string;
  bytes: Buffer;
}

function parsed(query: string): DecodedQuery {
  const result = parseDecodedQuery(query);
  if (!result.ok) throw new Error(`${query}: ${result.error}`);
  return result.query;
}

/** The decoder's outcome for the message alone, with a fresh decoder. */
function decodedAlone(message: Wrapped): DecodeOutcome | undefined {
  return createDecoder(message.protocol).decode({ seq: 1, dir: 'in', opcode: message.opcode as 'text', bytes: Buffer.from(message.bytes) });
}

/** What the decoder says of the query for the message: true when it matches. */
function decoderMatches(message: Wrapped, query: DecodedQuery): boolean {
  const outcome = decodedAlone(message);
  return outcome !== undefined && outcome.kind !== 'invalid' && matchesDecodedQuery(query, outcome.value);
}

/** The proof's answer for the message read from the middle of a slab, with other bytes around it. */
function proofSays(proof: ReturnType<typeof unwrappedMatchProof>, message: Wrapped, before = '{"seq":1}', after = '{"seq":2}\r\n'): boolean {
  if (!proof) return false;
  const head = Buffer.from(before, 'latin1');
  const slab = Buffer.concat([head, message.bytes, Buffer.from(after, 'latin1')]);
  return proof(slab, head.length, head.length + message.bytes.length, message.opcode);
}

// ---- payloads ----

/** Strings and numbers with escapes and forms the hand-written generator leaves out. */
const ESCAPED_STRINGS = ['"\\n"', '"r\\u0031"', '"\\u0072\\u0031"', '"x\\"y"', '"\\\\"', '"\\/"', '"\\ud800"', '"caf\\u00e9"', '"[1,2]"', '"\\u005b1]"', '" [0]"', '"{\\"a\\":1}"', '"\\x"', '"\\u12"'];
const ESCAPED_KEYS = ['"\\u0061"', '"\\u0061t"', '"r\\u006fom"', '"\\u005f_proto__"', '"a\\n"', '"\\"a"'];

function escapedJson(random: Random): string {
  let text = randomJson(random, 1 + random(4));
  // Some strings become escaped ones, some keys escaped spellings of KEYS.
  text = text.replace(/"([^"]*)"(\s*:)?/g, (whole, _inner: string, colon: string | undefined) => {
    if (random(6) !== 0) return whole;
    return colon !== undefined ? `${pick(random, ESCAPED_KEYS)}${colon}` : pick(random, ESCAPED_STRINGS);
  });
  return text;
}

/** A record like the bench's, with noise: duplicate keys, whitespace, numbers in many forms. */
function recordJson(random: Random): string {
  const seq = pick(random, ['0', '7', '-0', '1.0', '1e2', '999', '12345678901234567890', '1e400', '-1', '"7"', 'null', '[7]']);
  const event = pick(random, ['"chat"', '"e7"', '"x"', '"ch\\u0061t"', '"caf\u00e9"', '1', 'true']);
  const parts = [`"event":${event}`, `"seq":${seq}`, `"data":{"sym":"ABC${random(90)}","price":${random(10_000)}}`];
  if (random(4) === 0) parts.push(`"seq":${pick(random, ['5', '"five"', 'false'])}`);
  if (random(4) === 0) parts.unshift(`"event":"first"`);
  const space = random(3) === 0 ? ' ' : '';
  return `{${parts.join(`,${space}`)}}`;
}

function deepJson(random: Random): string {
  const depth = pick(random, [30, 63, 64, 65, 66, 100, 1100]);
  return `${'{"a":'.repeat(depth)}${pick(random, ['1', '[1]', '{}', '"r1"'])}${'}'.repeat(depth)}`;
}

/** The bytes a damaged payload gets inserted or written over one (prefilter-harness.ts damaged). */
const BROKEN_BYTES = [0x22, 0x5c, 0x2c, 0x3a, 0x7b, 0x7d, 0x5b, 0x5d, 0x30, 0x2d, 0x0b, 0x00, 0x80, 0xc3, 0xed, 0xff, 0x61];

function randomPayload(random: Random): Buffer {
  const kind = random(10);
  let text: string;
  if (kind <= 2) text = recordJson(random);
  else if (kind <= 5) text = escapedJson(random);
  else if (kind === 6) text = deepJson(random);
  else if (kind === 7) text = pick(random, ['hello', '7', '"r1"', 'true', '', ' ', '{not json', '[1,2', 'caf\u00e9', '\u000b{"a":1}', '\u00a0{"a":1}']);
  else if (kind === 8) return Buffer.from(Array.from({ length: random(40) }, () => random(256)));
  else text = randomJson(random, 3);
  let bytes: Buffer = Buffer.from(text, 'utf8');
  if (random(10) === 0) bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), random(4) === 0 ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0), bytes]);
  if (random(8) === 0) bytes = Buffer.concat([Buffer.from(pick(random, [' ', '\n\t', '\r\n ']), 'latin1'), bytes, Buffer.from(pick(random, ['', ' ', '\n']), 'latin1')]);
  if (random(5) === 0) bytes = damaged(random, bytes, BROKEN_BYTES);
  return bytes;
}

// ---- wrappers ----

const COMPRESSORS: Record<string, (bytes: Buffer, random: Random) => Buffer> = {
  gzip: (bytes, random) => zlib.gzipSync(bytes, { level: random(10) }),
  deflate: (bytes, random) => zlib.deflateSync(bytes, { level: random(10) }),
  'deflate-raw': (bytes, random) => zlib.deflateRawSync(bytes, { level: random(10) }),
  brotli: (bytes, random) => zlib.brotliCompressSync(bytes, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: random(12) } }),
};

function base64Text(bytes: Buffer, random: Random): string {
  let text = bytes.toString(random(4) === 0 ? 'base64url' : 'base64');
  if (random(4) === 0) text = text.replace(/=+$/, '');
  if (random(6) === 0) text += pick(random, ['\n', '\r\n']);
  return text;
}

/** A wrapper broken: bytes dropped at the end or one changed. */
function brokenWrapper(random: Random, bytes: Buffer): Buffer {
  if (random(2) === 0) return bytes.subarray(0, Math.max(0, bytes.length - 1 - random(6)));
  const copy = Buffer.from(bytes);
  const at = random(copy.length);
  if (copy.length > 0) copy[at] = (copy[at] ?? 0) ^ (1 << random(8));
  return copy;
}

function randomWrapped(random: Random, payload: Buffer): Wrapped {
  const opcode = pick(random, ['binary', 'binary', 'text', 'text', 'ping']);
  const choice = random(7);
  let message: Wrapped;
  if (choice < 4) {
    const how = Object.keys(COMPRESSORS)[choice] ?? 'gzip';
    message = { protocol: 'compressed', how, opcode, bytes: COMPRESSORS[how]?.(payload, random) ?? payload };
  } else {
    const inner = choice === 4 ? payload : choice === 5 ? zlib.gzipSync(payload) : zlib.deflateSync(payload);
    message = { protocol: 'base64', how: ['base64', 'base64+gzip', 'base64+deflate'][choice - 4] ?? '', opcode, bytes: Buffer.from(base64Text(inner, random), 'latin1') };
  }
  if (random(8) === 0) message.bytes = brokenWrapper(random, message.bytes);
  // Now and then the other decoder is chosen for it (compressed bytes read as Base64, and back).
  if (random(20) === 0) message.protocol = message.protocol === 'compressed' ? 'base64' : 'compressed';
  return message;
}

// ---- queries ----

const LITERALS = ["'r1'", "'x y'", "'caf\u00e9'", "'chat'", "'e7'", "'['", "'[1,2]'", "'Infinity'", "'-Infinity'", "'12345678901234567890'", "'gzip'", "'deflate'", "'JSON'", "'7'", '0', '-0', '1', '7', '-7', '100', '999', '3.5', '1e400', '12345678901234567890', '1700000000000', 'true', 'false', 'null'];
const REGEXES = ['/r/', '/^1/', '/./', '/Inf/', '/^$/', '/\u00e9/', '/^c/i', '/7$/'];
const OPERATORS = ['==', '!=', '<', '<=', '>', '>=', '=~', ''];
const TOP_PATHS = ['$.size', '$.inflatedSize', '$.compression', '$.as', '$.notInflated', '$', '$[0]', '$.other', '$.compression.x', '$.size[0]'];

function randomClause(random: Random): string {
  let path: string;
  const kind = random(10);
  if (kind === 0) path = pick(random, TOP_PATHS);
  else if (kind <= 2) path = `$.payload${pick(random, ['.seq', '.event', '.data', '.data.price', '.data.sym', '[0]', '', '.seq[0]', '.event.x'])}`;
  else path = `$.payload${pathText(randomSteps(random, 3))}`;
  const op = pick(random, OPERATORS);
  if (op === '') return path;
  if (op === '=~') return `${path} =~ ${pick(random, REGEXES)}`;
  return `${path} ${op} ${pick(random, LITERALS)}`;
}

function randomQuery(random: Random): string {
  return Array.from({ length: 1 + (random(3) === 0 ? 1 + random(2) : 0) }, () => randomClause(random)).join(' && ');
}

/** Queries the typical messages match, each a different reading. */
const DENSE_QUERIES = [
  '$.payload.seq >= 0',
  "$.payload.event != 'x'",
  '$.payload.data.price >= 0 && $.payload.data.sym =~ /^ABC/',
  '$.payload.data',
  '$.payload',
  "$.as == 'JSON' && $.size > 0",
  '$.payload.missing != 1',
  "$.payload.event =~ /^(e|chat)/ && $.payload.seq < 1000000",
];

const record = (i: number) => ({ event: i % 97 === 7 ? 'chat' : `e${i % 97}`, seq: i, data: { sym: `ABC${i % 89}`, price: (i * 7) % 10_000 } });

function typicalMessages(): Wrapped[] {
  const out: Wrapped[] = [];
  for (let i = 0; i < 200; i++) {
    const json = Buffer.from(JSON.stringify(record(i)), 'utf8');
    out.push({ protocol: 'compressed', how: 'gzip', opcode: 'binary', bytes: zlib.gzipSync(json) });
    out.push({ protocol: 'compressed', how: 'deflate', opcode: 'binary', bytes: zlib.deflateSync(json) });
    out.push({ protocol: 'compressed', how: 'deflate-raw', opcode: 'binary', bytes: zlib.deflateRawSync(json) });
    out.push({ protocol: 'compressed', how: 'brotli', opcode: 'binary', bytes: zlib.brotliCompressSync(json) });
    out.push({ protocol: 'base64', how: 'base64', opcode: 'text', bytes: Buffer.from(json.toString('base64'), 'latin1') });
    out.push({ protocol: 'base64', how: 'base64+gzip', opcode: 'text', bytes: Buffer.from(zlib.gzipSync(json).toString('base64'), 'latin1') });
  }
  return out;
}

describe('the match proof for compressed and Base64 payloads (unwrapped-match-proof.ts)', () => {
  // The second inflater's scratch buffer is smaller than many payloads: the fast inflater is then
  // unsure (the decoder's public functions read them), which must not be taken for a refusal.
  it.each([
    ['the shared inflater', undefined, 14],
    ['an inflater with a 40-byte scratch buffer', new PayloadUnwrapper(new PayloadInflater(undefined, 40)), 15],
  ])('proves only what the decoder matches, through %s: 3,000 generated payloads, every wrapping, 60 queries each', (_name, inflater, seed) => {
    const random = seeded(seed);
    const proofs = new Map<string, { compressed: ReturnType<typeof unwrappedMatchProof>; base64: ReturnType<typeof unwrappedMatchProof> }>();
    const proofOf = (text: string, protocol: Protocol) => {
      let known = proofs.get(text);
      if (!known) {
        const query = parsed(text);
        known = { compressed: unwrappedMatchProof('compressed', query, inflater), base64: unwrappedMatchProof('base64', query, inflater) };
        proofs.set(text, known);
      }
      return known[protocol];
    };
    const queries = Array.from({ length: 400 }, () => randomQuery(random));
    let proven = 0;
    let matched = 0;
    const provenBy = new Map<string, number>();
    for (let n = 0; n < 3000; n++) {
      const message = randomWrapped(random, randomPayload(random));
      const outcome = decodedAlone(message);
      for (let q = 0; q < 60; q++) {
        const text = pick(random, queries);
        const query = parsed(text);
        const matches = outcome !== undefined && outcome.kind !== 'invalid' && matchesDecodedQuery(query, outcome.value);
        if (matches) matched++;
        if (!proofSays(proofOf(text, message.protocol), message)) continue;
        proven++;
        provenBy.set(message.how, (provenBy.get(message.how) ?? 0) + 1);
        expect(matches, `${text} on ${message.how} ${message.opcode} ${JSON.stringify(message.bytes.toString('latin1'))} → ${JSON.stringify(outcome)}`).toBe(true);
      }
    }
    // Not vacuous: a good share of the matches is proven, in every wrapping (with the small
    // scratch buffer, only payloads that fit it).
    expect(proven).toBeGreaterThan(matched / (inflater ? 20 : 5));
    for (const how of ['gzip', 'deflate', 'deflate-raw', 'brotli', 'base64', 'base64+gzip', 'base64+deflate']) expect(provenBy.get(how) ?? 0, how).toBeGreaterThan(inflater ? 20 : 100);
  });

  it("proves the bench's messages in every wrapping for queries they all match, and exactly `$.payload.event == 'chat'`", () => {
    const messages = typicalMessages();
    for (const text of DENSE_QUERIES) {
      for (const protocol of ['compressed', 'base64'] as const) {
        const proof = unwrappedMatchProof(protocol, parsed(text));
        expect(proof, text).toBeDefined();
        for (const message of messages.filter((m) => m.protocol === protocol)) {
          expect(decoderMatches(message, parsed(text)), `${text} ${message.how}`).toBe(true);
          expect(proofSays(proof, message), `${text} ${message.how}`).toBe(true);
        }
      }
    }
    const chat = parsed("$.payload.event == 'chat' && $.payload.seq >= 0");
    for (const message of messages) expect(proofSays(unwrappedMatchProof(message.protocol, chat), message), message.how).toBe(decoderMatches(message, chat));
  });

  it('reads the top-level keys as each decoder writes them', () => {
    const json = Buffer.from('{"a":1}');
    const gzip: Wrapped = { protocol: 'compressed', how: 'gzip', opcode: 'binary', bytes: zlib.gzipSync(json) };
    const plain: Wrapped = { protocol: 'base64', how: 'base64', opcode: 'text', bytes: Buffer.from(json.toString('base64')) };
    const inflated: Wrapped = { protocol: 'base64', how: 'base64+deflate', opcode: 'text', bytes: Buffer.from(zlib.deflateSync(json).toString('base64')) };
    const cases: [Wrapped, string, boolean][] = [
      [gzip, "$.compression == 'gzip'", true],
      [gzip, `$.size == ${gzip.bytes.length}`, true],
      [gzip, '$.inflatedSize == 7', true],
      [gzip, '$.notInflated', false],
      [gzip, '$.notInflated != 1', true],
      [plain, '$.compression', false],
      [plain, '$.compression != 1 && $.inflatedSize != 1', true],
      [plain, '$.size == 7', true],
      [inflated, "$.compression == 'deflate' && $.inflatedSize == 7", true],
      [inflated, `$.size == ${zlib.deflateSync(json).length}`, true],
      [plain, '$', true],
      [plain, '$[0] != 1 && $.other != 1', true],
    ];
    for (const [message, text, expected] of cases) {
      expect(decoderMatches(message, parsed(text)), text).toBe(expected);
      expect(proofSays(unwrappedMatchProof(message.protocol, parsed(text)), message), text).toBe(expected);
    }
  });

  it('reads a byte-order mark as TextDecoder does: one dropped, a second or a look-alike not', () => {
    const marks = [[], [0xef, 0xbb, 0xbf], [0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf], [0xef, 0xbb, 0xbe], [0xef, 0xbb], [0xef], [0xbb, 0xbf], [0xef, 0xbb, 0x20], [0x20, 0xef, 0xbb, 0xbf]];
    const query = parsed('$.payload.a == 1');
    for (const mark of marks) {
      const payload = Buffer.concat([Buffer.from(mark), Buffer.from('{"a":1}')]);
      const messages: Wrapped[] = [
        { protocol: 'compressed', how: 'gzip', opcode: 'binary', bytes: zlib.gzipSync(payload) },
        { protocol: 'compressed', how: 'brotli', opcode: 'binary', bytes: zlib.brotliCompressSync(payload) },
        { protocol: 'base64', how: 'base64', opcode: 'text', bytes: Buffer.from(payload.toString('base64')) },
      ];
      for (const message of messages) {
        const label = `${Buffer.from(mark).toString('hex')} ${message.how}`;
        expect(proofSays(unwrappedMatchProof(message.protocol, query), message), label).toBe(mark.length === 0 || (mark.length === 3 && mark[2] === 0xbf));
        expect(decoderMatches(message, query), label).toBe(mark.length === 0 || (mark.length === 3 && mark[2] === 0xbf));
      }
    }
  });

  it('gives no proof for clauses it cannot read or that no message it reads meets', () => {
    for (const text of ['$.payload[*] == 1', '$.payload.$bytes', "$.as == 'text'", "$.as == 'bytes'", '$.notInflated', "$.compression == 'x'", `$.payload${'.a'.repeat(40)} != 1`]) {
      expect(unwrappedMatchProof('compressed', parsed(text)), text).toBeUndefined();
      expect(unwrappedMatchProof('base64', parsed(text)), text).toBeUndefined();
    }
  });

  it('never throws on random bytes and broken messages, whatever the slab holds around them', () => {
    const random = seeded(99);
    const inflater = new PayloadUnwrapper();
    const queries = Array.from({ length: 16 }, () => parsed(randomQuery(random)));
    const proofs = queries.flatMap((query) => [unwrappedMatchProof('compressed', query, inflater), unwrappedMatchProof('base64', query, inflater)]).filter((p) => p !== undefined);
    expect(proofs.length).toBeGreaterThan(8);
    for (let n = 0; n < 2000; n++) {
      const bytes =
        random(2) === 0 ? Buffer.from(Array.from({ length: random(300) }, () => random(256))) : brokenWrapper(random, randomWrapped(random, randomPayload(random)).bytes);
      const slab = Buffer.concat([Buffer.from(Array.from({ length: random(8) }, () => random(256))), bytes, Buffer.from(Array.from({ length: random(8) }, () => random(256)))]);
      const start = slab.length - bytes.length - random(1);
      for (const proof of proofs) expect(() => proof(slab, Math.max(0, start), Math.max(0, start) + bytes.length, pick(random, ['binary', 'text']))).not.toThrow();
    }
  });
});
