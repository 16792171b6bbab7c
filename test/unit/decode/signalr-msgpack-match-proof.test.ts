/**
 * The SignalR MessagePack hub match proof (signalr-msgpack-match-proof.ts) against the decoder
 * itself (signalr-decoder.ts). Streams are walked as the query walk does (in-order-match-walk.ts):
 * the proof is asked at every frame with the walk's decoder as it stands (none before the walk
 * made one); a proven frame, decoded by a copy of that decoder (its snapshot restored), must be
 * valid, matched, and leave the copy's snapshot as it was, and the walk skips it; every frame the
 * walk decodes must give the outcome decoding every frame gives. Streams hold the JSON handshake
 * each way (text, now and then binary, now and then missing or late), hub messages of every type
 * packed with msgpackr (headers with keys that are not strings, bigints, extensions, missing and
 * wrong fields), two to a frame, one split over two frames, damaged prefixes and bodies, prefixes
 * that are not the shortest, JSON text records. Each of the proof's rules switched off is caught.
 */
import { pack } from 'msgpackr';
import { describe, expect, it } from 'vitest';
import type { DecodeOutcome, WireFrame } from '../../../src-main/core/decode/decoded-frame';
import { SignalRDecoder } from '../../../src-main/core/decode/signalr-decoder';
import { SIGNALR_REFUTATION_RULES, signalrRefutation } from '../../../src-main/core/decode/signalr-match-proof';
import { signalrMsgpackMatchProof, type SignalRMsgpackRules } from '../../../src-main/core/decode/signalr-msgpack-match-proof';
import type { DecodedQuery } from '../../../src-main/shared/decoded-query';
import { damaged, pick, seeded } from './prefilter-harness';
import { matched, queryOf, type ProofMessage, walkRoundsOverStore } from './stateful-proof-harness';

type Random = (n: number) => number;

const RULES: SignalRMsgpackRules = { state: true, oneMessage: true, wholeBody: true, fields: true };

const QUERIES = [
  '$.type == 1',
  "$.target == 'T7'",
  "$.target != 'x'",
  '$.arguments[1] >= 0',
  '$.type >= 2',
  '$.type != 6',
  "$.messageType == 'Completion'",
  "$.messageType != 'Ping'",
  "$.messageType =~ /^Stream/",
  '$.invocationId',
  "$.invocationId == '5'",
  "$.invocationId != '5'",
  "$.invocationId =~ /^1/",
  "$.conversation.role == 'answer'",
  "$.conversation.key =~ /5$/",
  "$.conversation.label != 'invocation 5'",
  '$.conversation',
  "$.headers.a == 'b'",
  "$.headers.a != 'b'",
  "$.headers['1'] == 'x'",
  "$.headers['null'] != 'x'",
  '$.headers',
  '$.headers.a.b != 1',
  '$.arguments[0].x == 1',
  '$.arguments[0] =~ /^ABC/',
  "$.arguments[0] == '18446744073709551615'",
  "$.arguments[0] != '-9007199254740993'",
  '$.arguments[0] >= 0',
  '$.arguments[0].$bytes != 1',
  '$.arguments[0].length == 2',
  '$.arguments[0] == 1.5',
  '$.arguments[2] != 1',
  '$.arguments',
  "$.target =~ /^T/",
  "$.target == 'caf\u00e9'",
  "$.type == 1 && $.target != 'x'",
  "$.target == 'T7' && $.arguments[1] >= 0",
  "$.type == 3 && $.invocationId == '5'",
  "$.type <= 5 && $.conversation.role != 'stream'",
].map((text) => ({ text, query: queryOf(text) }));

const HANDSHAKE_OUT = Buffer.from('{"protocol":"messagepack","version":1}\u001e');
const HANDSHAKE_IN = Buffer.from('{}\u001e');

/** An own key __proto__ (an object literal would set the prototype instead). */
const protoKey = JSON.parse('{"__proto__":1,"a":"b"}') as unknown;

const HEADERS: readonly unknown[] = [{}, {}, { a: 'b' }, { a: 'c', b: 1 }, new Map<unknown, unknown>([[1, 'x']]), new Map<unknown, unknown>([[null, 'x'], ['a', 'b']]), new Map<unknown, unknown>([[[1], 'x']]), new Map<unknown, unknown>([[Buffer.from('a'), 'b']]), null, protoKey, { a: { b: 1 } }];
const IDS: readonly unknown[] = [null, null, '5', '15', '12', 5, 'caf\u00e9', '', Buffer.from('5'), 2n ** 63n];
const TARGETS: readonly unknown[] = ['T7', 'T7', 'Send', 'T12', '', 'caf\u00e9', 5, null, '{"a":1}'];
const ARGUMENT_LISTS: readonly unknown[] = [
  ['ABC1', 35],
  ['ABC2', -4],
  [{ x: 1 }, 0],
  [2n ** 64n - 1n, 1],
  [-(2n ** 53n) - 3n],
  [1.5, 2.5],
  [new Date(0), 1],
  [Buffer.from([1, 2])],
  [new Map<unknown, unknown>([[1, 2]]), 3],
  [[1, [2, [3]]]],
  [],
  'not a list',
  [NaN, Infinity],
  ['{"x":1}', 1],
];

/** A hub message's array, every type (and some not), fields right or wrong. */
function hubArray(random: Random): unknown[] {
  const type = pick(random, [1, 1, 1, 1, 2, 3, 3, 4, 5, 6, 7, 8, 9, 0, 10, -1, 'x', 1.5, 2n]);
  const headers = pick(random, HEADERS);
  const id = pick(random, IDS);
  switch (type) {
    case 1:
    case 4: {
      const items: unknown[] = [type, headers, id, pick(random, TARGETS), pick(random, ARGUMENT_LISTS)];
      if (random(5) === 0) items.push(pick(random, [['s1'], null, []]));
      return random(15) === 0 ? items.slice(0, random(5)) : items;
    }
    case 2:
      return [type, headers, id, pick(random, ARGUMENT_LISTS)];
    case 3: {
      const kind = pick(random, [1, 2, 3, 3, 0, 4, 'x', 1.5]);
      return kind === 2 ? [type, headers, id, kind] : [type, headers, id, kind, pick(random, ['boom', 5, null, { a: 1 }])];
    }
    case 5:
      return random(6) === 0 ? [type, headers] : [type, headers, id];
    case 7:
      return pick(random, [[7], [7, 'bye'], [7, null, true], [7, 'e', false]]);
    case 8:
    case 9:
      return [type, pick(random, [1, 300, 2n ** 60n, 'x'])];
    default:
      return [type, headers, id];
  }
}

/** A varint length prefix, now and then not the shortest. */
function prefix(random: Random, length: number): Buffer {
  const out: number[] = [];
  let n = length;
  while (n >= 0x80) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 0x80);
  }
  out.push(n);
  if (random(10) === 0) {
    const last = out.length - 1;
    out[last] = (out[last] ?? 0) | 0x80;
    out.push(0);
  }
  return Buffer.from(out);
}

/** Bodies written by hand: the type as a float, as uint 32, a body with a byte left over, 0xC1, a cut list, an extension, a key list. */
const CRAFTED_BODIES: readonly Buffer[] = [
  Buffer.from([0x95, 0xcb, 0x3f, 0xf0, 0, 0, 0, 0, 0, 0, 0x80, 0xc0, 0xa2, 0x54, 0x37, 0x90]),
  Buffer.from([0x95, 0xce, 0, 0, 0, 1, 0x80, 0xc0, 0xa2, 0x54, 0x37, 0x90]),
  Buffer.from([0x95, 0xd0, 1, 0x80, 0xc0, 0xa2, 0x54, 0x37, 0x91, 0x05]),
  Buffer.from([0x95, 0x01, 0x80, 0xc0, 0xa2, 0x54, 0x37, 0x90, 0x00]),
  Buffer.from([0x95, 0x01, 0x80, 0xc0, 0xa2, 0x54, 0x37, 0x91, 0xc1]),
  Buffer.from([0x95, 0x01, 0x80, 0xc0, 0xa2, 0x54, 0x37, 0x92, 0x01]),
  Buffer.from([0x95, 0x01, 0x80, 0xc0, 0xa2, 0x54, 0x37, 0x91, 0xd4, 0x01, 0x01]),
  Buffer.from([0x95, 0x01, 0x81, 0x91, 0x01, 0x02, 0xc0, 0xa2, 0x54, 0x37, 0x90]),
  Buffer.from([0x95, 0x01, 0x81, 0xa9, 0x5f, 0x5f, 0x70, 0x72, 0x6f, 0x74, 0x6f, 0x5f, 0x5f, 0x01, 0xc0, 0xa2, 0x54, 0x37, 0x90]),
  Buffer.from([0x95, 0x01, 0x80, 0xa1, 0x35, 0xa2, 0xff, 0xfe, 0x90]),
  Buffer.from([0x95, 0x01, 0x80, 0xa4, 0xef, 0xbb, 0xbf, 0x35, 0xa2, 0x54, 0x37, 0x90]),
  Buffer.from([0x93, 0x03, 0x80, 0xa1, 0x35]),
  Buffer.from([0x94, 0x03, 0x80, 0xa1, 0x35, 0xcb, 0x40, 0, 0, 0, 0, 0, 0, 0]),
  Buffer.from([0x81, 0xa4, 0x74, 0x79, 0x70, 0x65, 0x01]),
  Buffer.from([0x01]),
  Buffer.alloc(0),
];

function body(random: Random): Buffer {
  if (random(12) === 0) return pick(random, CRAFTED_BODIES);
  return pack(hubArray(random));
}

const hubMessage = (random: Random): Buffer => {
  const bytes = body(random);
  return Buffer.concat([prefix(random, bytes.length), bytes]);
};

/** One stream: handshakes (mostly first, both ways), then frames of hub messages in every shape. */
function streamOf(random: Random): ProofMessage[] {
  const stream: ProofMessage[] = [];
  const handshakeFirst = random(6) !== 0;
  const handshakes = (): void => {
    stream.push({ dir: 'out', opcode: random(5) === 0 ? 'binary' : 'text', bytes: HANDSHAKE_OUT });
    stream.push({ dir: 'in', opcode: random(5) === 0 ? 'binary' : 'text', bytes: HANDSHAKE_IN });
  };
  if (handshakeFirst) handshakes();
  const count = 20 + random(30);
  for (let i = 0; i < count; i++) {
    const dir: WireFrame['dir'] = random(4) === 0 ? 'out' : 'in';
    const shape = random(20);
    if (!handshakeFirst && i === 10) handshakes();
    if (shape === 0) {
      stream.push({ dir, opcode: 'binary', bytes: Buffer.concat([hubMessage(random), hubMessage(random)]) });
    } else if (shape === 1) {
      const whole = hubMessage(random);
      const cut = 1 + random(Math.max(1, whole.length - 1));
      stream.push({ dir, opcode: 'binary', bytes: whole.subarray(0, cut) });
      if (random(4) !== 0) stream.push({ dir, opcode: 'binary', bytes: whole.subarray(cut) });
    } else if (shape === 2) {
      stream.push({ dir, opcode: 'binary', bytes: damaged(random, hubMessage(random), [0x00, 0x01, 0x7b, 0x80, 0x90, 0xa1, 0xc1, 0xd4, 0xff]) });
    } else if (shape === 3) {
      stream.push({ dir, opcode: pick(random, ['text', 'binary'] as const), bytes: Buffer.from(pick(random, ['{"type":1,"target":"T7","arguments":[1]}\u001e', '{"type":6}\u001e', '{"type":1}\u001e', '{"type":6}']), 'utf8') });
    } else if (shape === 4) {
      stream.push({ dir, opcode: pick(random, ['ping', 'pong', 'close'] as const), bytes: hubMessage(random) });
    } else if (shape === 5) {
      stream.push({ dir, opcode: 'binary', bytes: Buffer.from([0x80, 0x80, 0x80, 0x80, 0x80, 0x01, 0x01]) });
    } else if (shape === 6) {
      // A length prefix that reads as `{` (123), with and without a 0x1E in the body.
      const bytes = pack([1, {}, null, 'T7', ['x'.repeat(random(2) === 0 ? 112 : 111) + (random(2) === 0 ? '\u001e' : '')]]);
      stream.push({ dir, opcode: 'binary', bytes: Buffer.concat([prefix(random, bytes.length), bytes]) });
    } else {
      stream.push({ dir, opcode: 'binary', bytes: hubMessage(random) });
    }
  }
  return stream;
}

const decodeWith = (decoder: SignalRDecoder, message: ProofMessage, seq: number): DecodeOutcome | undefined => decoder.decode({ seq, dir: message.dir, opcode: message.opcode, bytes: message.bytes });

interface Tally {
  proven: number;
  failures: string[];
}

/** Walks the stream for each query as the query walk does (see the file comment). */
function checkStream(stream: readonly ProofMessage[], queries: readonly { text: string; query: DecodedQuery }[], rules: SignalRMsgpackRules, tally: Tally): void {
  const all = new SignalRDecoder();
  const outcomes = stream.map((message, seq) => decodeWith(all, message, seq));
  for (const { text, query } of queries) {
    const proof = signalrMsgpackMatchProof(query, rules);
    if (!proof) continue;
    let walker: SignalRDecoder | undefined;
    stream.forEach((message, seq) => {
      const label = (): string => `${text} on ${message.bytes.toString('hex')} (${message.opcode} ${message.dir}, #${seq})`;
      // Inside a larger slab, as the store holds it.
      const slab = Buffer.concat([Buffer.from([0x95, 0x01]), message.bytes, Buffer.from([0xc1, 0x00])]);
      if (proof(slab, 2, 2 + message.bytes.length, message.opcode, walker, message.dir)) {
        tally.proven++;
        const copy = new SignalRDecoder();
        const snapshot = walker?.snapshot();
        if (snapshot) copy.restore(snapshot);
        const before = JSON.stringify(copy.snapshot());
        if (!matched(query, decodeWith(copy, message, seq))) tally.failures.push(`not matched: ${label()}`);
        else if (JSON.stringify(copy.snapshot()) !== before) tally.failures.push(`state changed: ${label()}`);
        return;
      }
      walker ??= new SignalRDecoder();
      const again = decodeWith(walker, message, seq);
      if (JSON.stringify(again) !== JSON.stringify(outcomes[seq])) tally.failures.push(`after skips: ${label()}`);
    });
  }
}

/**
 * Walks the stream for each query with the SignalR rule-out (signalr-match-proof.ts
 * signalrRefutation, which asks the MessagePack reading of binary frames) as the query walk asks
 * a stateful prefilter: a frame passed over, decoded by a copy of the walk's decoder, must be
 * invalid or not matched and leave the copy as it was; every frame decoded must give what
 * decoding every frame gives.
 */
function checkRuledOut(stream: readonly ProofMessage[], queries: readonly { text: string; query: DecodedQuery }[], rules: SignalRMsgpackRules, tally: Tally, onlyFails = true): void {
  const all = new SignalRDecoder();
  const outcomes = stream.map((message, seq) => decodeWith(all, message, seq));
  for (const { text, query } of queries) {
    const refutation = signalrRefutation(query, { ...SIGNALR_REFUTATION_RULES, msgpack: rules, onlyFails });
    if (!refutation) continue;
    const walker = new SignalRDecoder();
    stream.forEach((message, seq) => {
      const label = (): string => `${text} on ${message.bytes.toString('hex')} (${message.opcode} ${message.dir}, #${seq})`;
      const slab = Buffer.concat([Buffer.from([0x95, 0x01]), message.bytes, Buffer.from([0xc1, 0x00])]);
      if (refutation.passable(walker, slab, 2, 2 + message.bytes.length, message.opcode, message.dir)) {
        if (message.opcode === 'binary') tally.proven++;
        const copy = new SignalRDecoder();
        const snapshot = walker.snapshot();
        if (snapshot) copy.restore(snapshot);
        const before = JSON.stringify(copy.snapshot());
        if (matched(query, decodeWith(copy, message, seq))) tally.failures.push(`passed over, matched: ${label()}`);
        else if (JSON.stringify(copy.snapshot()) !== before) tally.failures.push(`passed over, state changed: ${label()}`);
        return;
      }
      const again = decodeWith(walker, message, seq);
      if (JSON.stringify(again) !== JSON.stringify(outcomes[seq])) tally.failures.push(`after pass-overs: ${label()}`);
    });
  }
}

/** `rounds` generated streams checked (fewer when `untilFailure` and one failed: a broken rule needs one). */
function run(rules: SignalRMsgpackRules, rounds: number, untilFailure = false): Tally {
  const tally: Tally = { proven: 0, failures: [] };
  const random = seeded(14);
  for (let round = 0; round < rounds && !(untilFailure && tally.failures.length > 0); round++) checkStream(streamOf(random), QUERIES, rules, tally);
  return tally;
}

/** As run, with the rule-out (checkRuledOut); `proven` counts the binary frames passed over. */
function runRuledOut(rules: SignalRMsgpackRules, rounds: number, untilFailure = false, onlyFails = true): Tally {
  const tally: Tally = { proven: 0, failures: [] };
  const random = seeded(15);
  for (let round = 0; round < rounds && !(untilFailure && tally.failures.length > 0); round++) checkRuledOut(streamOf(random), QUERIES, rules, tally, onlyFails);
  return tally;
}

/** The bench's stream (bench/payload-streams.ts signalr-msgpack). */
function benchStream(count: number): ProofMessage[] {
  const stream: ProofMessage[] = [
    { dir: 'out', opcode: 'text', bytes: HANDSHAKE_OUT },
    { dir: 'in', opcode: 'text', bytes: HANDSHAKE_IN },
  ];
  for (let i = 2; i < count; i++) {
    const bytes = pack([1, {}, i % 5 === 0 ? String(i) : null, i % 97 === 7 ? 'Send' : `T${i % 97}`, [`ABC${i % 89}`, (i * 7) % 10_000]]);
    stream.push({ dir: 'in', opcode: 'binary', bytes: Buffer.concat([Buffer.from([bytes.length]), bytes]) });
  }
  return stream;
}

/**
 * The proof in the query's own walk (InOrderMatchWalk over a FrameStore, the query's prefilter
 * first, the proof asked without the idle gate) against decoding every frame in order: the
 * queries whose matches differ, and how many frames the walk decoded.
 */
function walkOverStore(rules: SignalRMsgpackRules): { differences: string[]; decoded: number; frames: number } {
  const random = seeded(8);
  const bench = benchStream(400);
  // Generated frames (cut, split, damaged, text) between the bench's hub messages.
  const messagesOf = (): ProofMessage[] => [...bench.slice(0, 150), ...streamOf(random).slice(2), ...bench.slice(150)];
  const texts = ['$.type == 1', "$.target != 'x'", "$.target == 'Send'", '$.arguments[1] >= 0', "$.messageType != 'Ping'", "$.conversation.role == 'request'"];
  return walkRoundsOverStore(4, messagesOf, () => new SignalRDecoder(), 'signalr', texts, (query) => signalrMsgpackMatchProof(query, rules));
}

describe('signalrMsgpackMatchProof', () => {
  it("in the query's walk over a store, finds what decoding every frame in order finds, decoding few of the bench's frames", () => {
    const { differences, decoded, frames } = walkOverStore(RULES);
    expect(differences).toEqual([]);
    expect(decoded).toBeLessThan(frames / 3);
    expect(walkOverStore({ ...RULES, state: false }).differences.length).toBeGreaterThan(0);
  });

  it('proves only frames the decoder, as it stands, reads as valid and matched, leaving it as it was (generated streams)', () => {
    const tally = run(RULES, 100);
    expect(tally.failures.slice(0, 5)).toEqual([]);
    expect(tally.proven).toBeGreaterThan(2000);
  });

  it('proves the bench stream for the bench queries, after the handshake only', () => {
    const stream = benchStream(400);
    const tally: Tally = { proven: 0, failures: [] };
    const queries = ['$.type == 1', "$.target == 'T7'", "$.target == 'Send'", "$.target != 'x'", '$.arguments[1] >= 0'].map((text) => ({ text, query: queryOf(text) }));
    checkStream(stream, queries, RULES, tally);
    expect(tally.failures).toEqual([]);
    // Every hub message for three queries, the Send ones (i % 97 == 7: T7 is Send there) for another.
    expect(tally.proven).toBe(3 * 398 + stream.filter((m) => m.bytes.includes(Buffer.from('Send'))).length);
  });

  it('refuses without a decoder, before the handshake, and while a message is unfinished', () => {
    const proof = signalrMsgpackMatchProof(queryOf('$.type == 1'));
    if (!proof) throw new Error('no proof');
    const body = pack([1, {}, null, 'T7', []]);
    const frame = Buffer.concat([Buffer.from([body.length]), body]);
    const decoder = new SignalRDecoder();
    expect(proof(frame, 0, frame.length, 'binary', undefined, 'in')).toBe(false);
    expect(proof(frame, 0, frame.length, 'binary', decoder, 'in')).toBe(false);
    decoder.decode({ seq: 0, dir: 'in', opcode: 'text', bytes: HANDSHAKE_IN });
    expect(proof(frame, 0, frame.length, 'binary', decoder, 'in')).toBe(true);
    expect(proof(frame, 0, frame.length, 'binary', decoder, 'out')).toBe(false);
    expect(proof(frame, 0, frame.length, 'text', decoder, 'in')).toBe(false);
    decoder.decode({ seq: 1, dir: 'in', opcode: 'binary', bytes: frame.subarray(0, 3) });
    expect(proof(frame, 0, frame.length, 'binary', decoder, 'in')).toBe(false);
  });

  it('reads maps as the decoder does, as objects: a key that is bytes, a list or a map is not valid, a number or nil is a name', () => {
    const decoder = new SignalRDecoder();
    decoder.decode({ seq: 0, dir: 'in', opcode: 'text', bytes: HANDSHAKE_IN });
    const frameOf = (headers: unknown): Buffer => {
      const body = pack([1, headers, null, 'T7', [1]]);
      return Buffer.concat([Buffer.from([body.length]), body]);
    };
    const cases: readonly [unknown, string, boolean][] = [
      [new Map<unknown, unknown>([[[1], 'x']]), '$.type == 1', false],
      [new Map<unknown, unknown>([[Buffer.from('a'), 'x']]), '$.type == 1', false],
      [new Map<unknown, unknown>([[new Map([[1, 2]]), 'x']]), '$.type == 1', false],
      [new Map<unknown, unknown>([[1, 'x']]), '$.type == 1', true],
      [new Map<unknown, unknown>([[null, 'x']]), '$.type == 1', true],
      // Shown as {'1': 'x'}, {'null': 'x'}: not followed through, so not proven.
      [new Map<unknown, unknown>([[1, 'x']]), "$.headers['1'] == 'x'", false],
      [new Map<unknown, unknown>([[null, 'x'], ['a', 'b']]), "$.headers.a == 'b'", false],
      [{ a: 'b' }, "$.headers.a == 'b'", true],
      [{ a: 'b', c: 1n }, "$.headers.c == '1'", true],
    ];
    for (const [headers, text, expected] of cases) {
      const query = queryOf(text);
      const frame = frameOf(headers);
      const outcome = new SignalRDecoder().decode({ seq: 0, dir: 'in', opcode: 'binary', bytes: frame });
      expect(signalrMsgpackMatchProof(query)?.(frame, 0, frame.length, 'binary', decoder, 'in'), `${text} on ${frame.toString('hex')}`).toBe(expected);
      if (expected) expect(matched(query, outcome)).toBe(true);
    }
  });

  it('gives no proof for a clause on a field it does not read', () => {
    for (const text of ['$.item == 1', '$.result != 1', '$.error', '$.sequenceId > 0', '$.streamIds', '$[0] == 1', "$.headers.__proto_ == 1", "$.headers['__proto__'] == 1", "$.target == 'T7' && $.allowReconnect"]) {
      expect(signalrMsgpackMatchProof(queryOf(text)), text).toBeUndefined();
    }
  });

  it('its reading rules out, as signalrRefutation, only frames the decoder reads as invalid or not matched, leaving it as it was (generated streams)', () => {
    const tally = runRuledOut(RULES, 100);
    expect(tally.failures.slice(0, 5)).toEqual([]);
    expect(tally.proven).toBeGreaterThan(5000);
  });

  it('rules out the bench stream for a query few messages match, and keeps the matches', () => {
    const stream = benchStream(400);
    const tally: Tally = { proven: 0, failures: [] };
    checkRuledOut(stream, ['$.arguments[1] > 9000', "$.invocationId == '35'"].map((text) => ({ text, query: queryOf(text) })), RULES, tally);
    expect(tally.failures).toEqual([]);
    const big = stream.slice(2).filter((_, i) => ((i + 2) * 7) % 10_000 > 9000).length;
    // Every hub message but the matches, for each query (the handshakes are text, not ruled out here).
    expect(tally.proven).toBe(398 - big + 398 - 1);
  });

  for (const broken of ['state', 'oneMessage', 'wholeBody', 'fields'] as const) {
    it(`catches a proof without its ${broken} rule`, () => {
      const tally = run({ ...RULES, [broken]: false }, 100, true);
      expect(tally.failures.length).toBeGreaterThan(0);
    });
  }

  // A message the reading refuses for its body or fields is not valid, so passing it over is
  // exact without those two rules; without the state or one-message rule, or passing over what
  // the reading does not know, it is not.
  for (const broken of ['state', 'oneMessage'] as const) {
    it(`catches a rule-out without its ${broken} rule`, () => {
      const tally = runRuledOut({ ...RULES, [broken]: false }, 100, true);
      expect(tally.failures.length).toBeGreaterThan(0);
    });
  }

  it('catches a rule-out that passes over what its reading does not know', () => {
    const tally = runRuledOut(RULES, 100, true, false);
    expect(tally.failures.some((failure) => failure.includes('(binary'))).toBe(true);
  });
});
