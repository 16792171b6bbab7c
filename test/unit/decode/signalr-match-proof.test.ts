/**
 * The SignalR match proof (signalr-match-proof.ts) against the decoder itself (signalr-decoder.ts).
 * The walk asks this proof at every frame (SignalRDecoder has no `idle`), handing it the decoder
 * as it stands, so each stream is walked as the query walk does: at every message the proof is
 * asked with the walk's decoder and the message's direction; a proven message must be valid and
 * matched when decoded by a copy of that decoder (restored from its snapshot), leave the copy's
 * snapshot as it was, and be matched in the all-decoded stream; the walk then skips it, and every
 * message it does decode must give the outcome it has when all are decoded. Asked with no decoder
 * (a fresh one would decode), a proven message must be matched by a fresh decoder and leave it
 * as it was (the proof refuses them all: a fresh decoder reads the handshake). Streams are
 * generated: handshakes (late, refused, with records in the same message), every hub message
 * type, unknown and odd types, missing and wrong fields, escapes, duplicate keys, a record's own
 * messageType and conversation, byte-order marks, bad UTF-8, two records in a message, a record
 * split over messages or never ended, invalid JSON, JSON records in binary frames, MessagePack
 * hub messages, control frames. The same check with the proof's rules broken in each way fails.
 */
import { pack } from 'msgpackr';
import { describe, expect, it } from 'vitest';
import { DECODED_STREAMS } from '../../../bench/decoded-streams';
import type { DecodeOutcome, WireFrame } from '../../../src-main/core/decode/decoded-frame';
import type { MatchProof } from '../../../src-main/core/decode/match-proof';
import { queryPrefilter } from '../../../src-main/core/decode/query-prefilter';
import { SIGNALR_PROOF_RULES, SIGNALR_REFUTATION_RULES, signalrMatchProof, signalrRefutation, type SignalrProofRules, type SignalrRefutationRules } from '../../../src-main/core/decode/signalr-match-proof';
import type { StatefulPrefilter } from '../../../src-main/core/decode/stateful-prefilter';
import { SignalRDecoder } from '../../../src-main/core/decode/signalr-decoder';
import type { DecodedQuery } from '../../../src-main/shared/decoded-query';
import { damaged, pick, seeded } from './prefilter-harness';
import { pathText, randomJson, randomSteps, type Random } from './random-json';
import { decodeWith, matched, queryOf, type ProofMessage, walkRoundsOverStore } from './stateful-proof-harness';

const RS = '\u001e';

const QUERIES = [
  '$.type == 1',
  "$.target == 'T7'",
  "$.target != 'x'",
  '$.arguments[0] =~ /^room/',
  '$.arguments[1].n >= 0',
  '$.arguments[1] != 1',
  '$.arguments',
  '$.type >= 2',
  '$.type =~ /^[23]$/',
  '$.type != 6',
  '$.type',
  '$.type.x != 1',
  "$.messageType == 'Invocation'",
  "$.messageType != 'Completion'",
  "$.messageType =~ /Item$/",
  '$.messageType',
  '$.messageType.x != 1',
  '$.messageType.x',
  "$.invocationId != 'x'",
  "$.invocationId == '1'",
  '$.invocationId',
  '$.result > 5',
  '$.result',
  "$.error =~ /boom/",
  '$.item.n >= 0',
  '$.sequenceId >= 0',
  '$.allowReconnect == true',
  '$.headers.a != 1',
  '$.big == \'Infinity\'',
  '$.__proto__ == 1',
  '$',
  '$ != 1',
  '$[0] != 1',
  '$.nothing != 1',
  '$.nothing',
  '$.type == 1 && $.arguments[1].n >= 0',
  "$.arguments[*] == 'room1'",
  "$.arguments[*] != 'room1'",
  '$.arguments[*]',
  '$.arguments[1][*] >= 0',
  '$.arguments[1][*] == 1',
  '$.headers[*] == 1',
  '$.type[*] == 1',
  '$.item[*] != 2',
  // No proof (the decoder's own text); here for a sabotage that gives one.
  "$.messageType[*] != 'x'",
  "$.type == 1 && $.arguments[*] =~ /^room/",
  "$.target =~ /^T/ && $.messageType == 'Invocation'",
  "$.type != 6 && $.invocationId != '2' && $.messageType != 'x'",
].map((text) => ({ text, query: queryOf(text) }));

/** Queries on the conversation the decoder sets for types 1–5 with an invocationId (the record's own otherwise). */
const CONVERSATION_QUERIES = [
  "$.conversation.role != 'request'",
  "$.conversation.role == 'request'",
  '$.conversation != 1',
  '$.conversation',
  "$.conversation.key =~ /^x/",
  "$.conversation.key == 'signalr invocation 1'",
  "$.conversation.label != 'invocation 2'",
  "$.conversation.role != 'answer' && $.type == 3",
  "$.conversation.role == 'stream' && $.item.n >= 0",
  // No proof (the decoder's own object); here for a sabotage that gives one.
  "$.conversation[*] == 'request'",
].map((text) => ({ text, query: queryOf(text) }));

const TYPES = ['1', '1', '1', '2', '3', '3', '4', '5', '6', '7', '8', '9'];
const ODD_TYPES = ['0', '10', '-1', '1.0', '1e0', '2.5', '-0', '"1"', 'null', 'true', '[1]', '12345678901234567890'];
const IDS = ['"1"', '"2"', '"ab"', '""', '7', 'null', '"\\u0031"', '"caf\u00e9"'];
const TARGETS = ['"T7"', '"Send"', '"x"', '"T1"', '7', 'null', '"T\\u0037"', '"caf\u00e9"', '"[1]"'];
const SPACES = ['', '', '', '', ' ', '\n', '\t ', '\r\n'];

function argumentsText(random: Random): string {
  return pick(random, [
    `["room${random(10)}",{"text":"hi","n":${pick(random, ['5', '-1', '0', '1e400', '"7"', '12345678901234567890'])}}]`,
    `["room${random(10)}",{"text":"hi","n":${random(100)}}]`,
    '[]',
    '["room1"]',
    '["room1","room1"]',
    '[[1],{"n":"x"}]',
    '["lobby",{"n":-1}]',
    '["room\\u0031",{"n":1}]',
    '["room1","{\\"n\\":3}"]',
    '["room1","[1,2]"]',
    `[${randomJson(random, 2)},${randomJson(random, 2)}]`,
    '"[1]"',
    '{}',
    'null',
  ]);
}

/** The members a record of this type may have (hand written: wrong kinds, escapes, duplicates). */
function membersFor(random: Random, type: string): string[] {
  const members: string[] = [];
  const often = (): boolean => random(8) !== 0;
  if (random(30) !== 0) members.push(`"type":${type}`);
  const invocation = type === '1' || type === '4';
  const withId = type === '2' || type === '3' || type === '5';
  if (withId ? often() : random(2) === 0) members.push(`"invocationId":${pick(random, IDS)}`);
  if (invocation ? often() : random(12) === 0) members.push(`"target":${pick(random, TARGETS)}`);
  if (invocation ? often() : random(12) === 0) members.push(`"arguments":${argumentsText(random)}`);
  if (type === '2' || random(15) === 0) members.push(`"item":${pick(random, ['{"n":1}', '{"n":-3}', randomJson(random, 2)])}`);
  if (type === '3' && random(2) === 0) members.push(`"result":${pick(random, ['7', '3', 'null', '"r"', '{"n":9}'])}`);
  if ((type === '3' || type === '7') && random(3) === 0) members.push(`"error":${pick(random, ['"boom"', '"fine"', 'null', '7'])}`);
  if ((type === '8' || type === '9') && often()) members.push(`"sequenceId":${pick(random, ['1', '0', '-1', '"1"', '1e400'])}`);
  if (type === '7' && random(2) === 0) members.push(`"allowReconnect":${pick(random, ['true', 'false', '1'])}`);
  if (random(4) === 0) members.push(`"headers":${pick(random, ['{"a":1}', '{"a":2}', '{}', '[]'])}`);
  if (invocation && random(6) === 0) members.push(`"streamIds":${pick(random, ['["s1"]', '[]', '7'])}`);
  const extras = random(4) === 0 ? 1 + random(2) : 0;
  for (let k = 0; k < extras; k++) {
    members.push(
      pick(random, [
        `"messageType":${pick(random, ['"Mine"', '"Invocation"', '{"x":1}', '7', 'null'])}`,
        `"conversation":${pick(random, ['{"role":"request","key":"x1"}', '["request"]', '7', 'null'])}`,
        '"__proto__":1',
        '"__proto__":{"type":2}',
        `"nothing":${randomJson(random, 2)}`,
        '"typ\\u0065":1',
        '"\\u0074ype":5',
        `"type":${pick(random, [...TYPES, ...ODD_TYPES])}`,
        `"invocationId":${pick(random, IDS)}`,
        `"target":${pick(random, TARGETS)}`,
        `"arguments":${argumentsText(random)}`,
        '"result":1',
        '"error":"boom"',
        '"big":1e400',
        `"deep":${'{"a":'.repeat(70)}1${'}'.repeat(70)}`,
        `"wide":${'['.repeat(1100)}${']'.repeat(1100)}`,
        '"caf\u00e9":"\u{1f600}"',
      ]),
    );
  }
  return members;
}

/** One record's JSON text, members in any order, whitespace around any token; sometimes broken. */
function recordText(random: Random): string {
  const type = random(8) === 0 ? pick(random, ODD_TYPES) : pick(random, TYPES);
  const members = membersFor(random, type);
  for (let k = members.length - 1; k > 0; k--) {
    const j = random(k + 1);
    [members[k], members[j]] = [members[j] ?? '', members[k] ?? ''];
  }
  const space = (): string => pick(random, SPACES);
  const object = `${space()}{${space()}${members.map((member) => member.replace(':', `${space()}:${space()}`)).join(`${space()},${space()}`)}${space()}}${space()}`;
  switch (random(40)) {
    case 0:
      return `\ufeff${object}`;
    case 1:
      return `[${object}]`;
    case 2:
      return `${object}x`;
    case 3:
      return object.slice(0, random(object.length));
    case 4:
      return '';
    case 5:
      return 'null';
    default:
      return object;
  }
}

/** A varint length prefix as the MessagePack hub protocol writes it. */
function lengthPrefixed(body: Buffer): Buffer {
  const prefix: number[] = [];
  let length = body.length;
  do {
    prefix.push((length & 0x7f) | (length >= 0x80 ? 0x80 : 0));
    length >>>= 7;
  } while (length > 0);
  return Buffer.concat([Buffer.from(prefix), body]);
}

function msgpackMessage(random: Random): Buffer {
  const items = pick(random, [
    [1, {}, null, 'T7', ['room1', { n: 5 }]],
    [1, {}, 'ab', 'Send', ['room2', { n: -1 }]],
    [2, {}, '1', { n: 3 }],
    [3, {}, '1', 3, 7],
    [3, {}, '2', 1, 'boom'],
    [6],
    [7, 'bye', true],
    [9, 4],
    'not an array',
  ]);
  return lengthPrefixed(Buffer.from(pack(items)));
}

/**
 * One connection's messages: handshakes (sometimes late, refused, or with records after them in
 * the same message), then records framed in every way the decoder meets.
 */
function streamOf(random: Random, count: number): ProofMessage[] {
  const messages: ProofMessage[] = [];
  const push = (dir: WireFrame['dir'], opcode: WireFrame['opcode'], bytes: Buffer | string): void => {
    messages.push({ dir, opcode, bytes: Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes, 'utf8') });
  };
  const record = (): string => `${recordText(random)}${RS}`;
  if (random(6) !== 0) push('out', 'text', `{"protocol":"json","version":1}${RS}${random(4) === 0 ? record() : ''}`);
  if (random(6) !== 0) push('in', 'text', `${pick(random, ['{}', '{}', '{"error":"no"}', '{"type":1,"target":"T7","arguments":[]}'])}${RS}${random(4) === 0 ? record() : ''}`);
  while (messages.length < count) {
    const dir: WireFrame['dir'] = random(3) === 0 ? 'out' : 'in';
    switch (random(24)) {
      case 0:
        push(dir, 'text', record() + record());
        break;
      case 1: {
        const whole = record();
        const at = random(whole.length + 1);
        push(dir, 'text', whole.slice(0, at));
        push(dir, 'text', whole.slice(at));
        break;
      }
      case 2:
        // A record that never ends here: the next message of this direction follows it.
        push(dir, 'text', recordText(random));
        break;
      case 3:
        push(dir, 'text', `${record()}${pick(random, [' ', RS, '{"type":6'])}`);
        break;
      case 4:
        push(dir, 'binary', record());
        break;
      case 5:
        push(dir, 'binary', ` ${record()}`);
        break;
      case 6:
      case 7: {
        const bytes = random(3) === 0 ? Buffer.concat([msgpackMessage(random), msgpackMessage(random)]) : msgpackMessage(random);
        if (random(5) === 0) {
          const at = random(bytes.length + 1);
          push(dir, 'binary', bytes.subarray(0, at));
          push(dir, 'binary', bytes.subarray(at));
        } else push(dir, 'binary', bytes);
        break;
      }
      case 8:
        push(dir, pick(random, ['ping', 'close'] as const), record());
        break;
      case 9:
        push(dir, 'text', damaged(random, Buffer.from(record(), 'utf8'), [0xff, 0xc3, 0x5c, 0x22, 0x2c, 0x20, 0x7b, 0x7d, 0x3a, 0x30, 0x1e]));
        break;
      case 10:
        push(dir, 'text', RS);
        break;
      default:
        push(dir, 'text', record());
    }
  }
  return messages;
}

/** The proof's answer for a message inside a larger slab (as the store's slabs hold it). */
function provenIn(proof: MatchProof, message: ProofMessage, decoder: SignalRDecoder | undefined): boolean {
  const slab = Buffer.concat([Buffer.from(`{"type":1,"target":"T7","arguments":[]}${RS}`), message.bytes, Buffer.from(`"}]}${RS} x{`)]);
  return proof(slab, 40, 40 + message.bytes.length, message.opcode, decoder, message.dir);
}

function copyOf(decoder: SignalRDecoder): SignalRDecoder {
  const copy = new SignalRDecoder();
  const snapshot = decoder.snapshot();
  if (!snapshot) throw new Error('no snapshot');
  copy.restore(snapshot);
  return copy;
}

interface Tally {
  proven: number;
  matchedInOrder: number;
  provenMatched: number;
  failures: string[];
  /** A sabotage check needs one failure: the walk stops at the first (same seed, same verdict, less time). */
  firstFailureEnds?: boolean;
}

const emptyTally = (): Tally => ({ proven: 0, matchedInOrder: 0, provenMatched: 0, failures: [] });

/** Walks `stream` for each query as the query walk does, adding what breaks the contract to the failures (see the file comment). */
function checkStream(stream: readonly ProofMessage[], queries: readonly { text: string; query: DecodedQuery }[], proofOf: (query: DecodedQuery) => MatchProof | undefined, where: string, tally: Tally): void {
  const all = new SignalRDecoder();
  const outcomes = stream.map((message, seq) => decodeWith(all, message, seq));
  for (const { text, query } of queries) {
    if (tally.firstFailureEnds && tally.failures.length > 0) return;
    const proof = proofOf(query);
    if (!proof) continue;
    const walker = new SignalRDecoder();
    stream.forEach((message, seq) => {
      if (tally.firstFailureEnds && tally.failures.length > 0) return;
      const inOrder = outcomes[seq];
      const label = (): string => `${text} on ${JSON.stringify(message.bytes.toString('latin1'))} (${message.opcode} ${message.dir}, ${where}, #${seq})`;
      if (matched(query, inOrder)) tally.matchedInOrder++;
      // Handed no decoder: as a fresh one decodes it.
      if (provenIn(proof, message, undefined)) {
        const fresh = new SignalRDecoder();
        const before = JSON.stringify(fresh.snapshot());
        if (!matched(query, decodeWith(fresh, message, seq))) tally.failures.push(`fresh: ${label()}`);
        else if (JSON.stringify(fresh.snapshot()) !== before) tally.failures.push(`fresh decoder changed: ${label()}`);
      }
      if (provenIn(proof, message, walker)) {
        tally.proven++;
        const copy = copyOf(walker);
        const before = JSON.stringify(copy.snapshot());
        if (!matched(query, decodeWith(copy, message, seq))) tally.failures.push(`in the walk's state: ${label()}`);
        else if (JSON.stringify(copy.snapshot()) !== before) tally.failures.push(`decoder changed: ${label()}`);
        else if (!matched(query, inOrder)) tally.failures.push(`in order: ${label()}`);
        else tally.provenMatched++;
        return;
      }
      const again = decodeWith(walker, message, seq);
      if (JSON.stringify(again) !== JSON.stringify(inOrder)) tally.failures.push(`after skips: ${label()}`);
    });
  }
}

/** Random clauses into the arguments, the item and an extra member (random-json.ts paths). */
function randomQueries(random: Random): { text: string; query: DecodedQuery }[] {
  return Array.from({ length: 6 }, () => {
    const text = `$.${pick(random, ['arguments', 'item', 'nothing', 'arguments[1]', 'messageType', 'headers'])}${pathText(randomSteps(random, 3))}${pick(random, ['', ' != 1', ' > 5', ' =~ /r/', ' == null', " != 'x'"])}`;
    return { text, query: queryOf(text) };
  });
}

function runRounds(seed: number, rounds: number, rules: SignalrProofRules, extra: readonly { text: string; query: DecodedQuery }[] = [], firstFailureEnds = false): Tally {
  const random = seeded(seed);
  const tally: Tally = { ...emptyTally(), firstFailureEnds };
  for (let round = 0; round < rounds && !(firstFailureEnds && tally.failures.length > 0); round++) {
    checkStream(streamOf(random, 200), [...QUERIES, ...CONVERSATION_QUERIES, ...extra, ...randomQueries(random)], (query) => signalrMatchProof(query, rules), `round ${round}`, tally);
  }
  return tally;
}

function benchMessages(count: number): ProofMessage[] {
  const messages: ProofMessage[] = [];
  DECODED_STREAMS.signalr.fill(count, (frame) => messages.push({ dir: frame.dir, opcode: frame.opcode, bytes: frame.bytes }));
  return messages;
}

/**
 * The proof with these rules in the query's own walk (InOrderMatchWalk over a FrameStore, the
 * query's prefilter first, the proof asked without the idle gate: SignalRDecoder has no `idle`)
 * against decoding every frame in order: the queries whose matches differ, and how many frames
 * the walk decoded.
 */
function walkOverStore(rules: SignalrProofRules): { differences: string[]; decoded: number; frames: number } {
  const random = seeded(8);
  const bench = benchMessages(400);
  // The generated stream's odd, cut and split records between the bench's (its handshakes read as records by then).
  const messagesOf = (): ProofMessage[] => [...bench.slice(0, 150), ...streamOf(random, 300), ...bench.slice(150)];
  const texts = ['$.type == 1', "$.target != 'x'", '$.arguments[0] =~ /^room/', '$.arguments[1].n >= 0', "$.messageType != 'Ping'"];
  return walkRoundsOverStore(4, messagesOf, () => new SignalRDecoder(), 'signalr', texts, (query) => signalrMatchProof(query, rules));
}

const decodeText = (decoder: SignalRDecoder, text: string, dir: WireFrame['dir'] = 'in'): DecodeOutcome | undefined => decoder.decode({ seq: 0, dir, opcode: 'text', bytes: Buffer.from(text, 'utf8') });

/** A decoder that has read both handshakes. */
function handshaken(): SignalRDecoder {
  const decoder = new SignalRDecoder();
  decodeText(decoder, `{"protocol":"json","version":1}${RS}`, 'out');
  decodeText(decoder, `{}${RS}`, 'in');
  return decoder;
}

describe('SignalR match proof', () => {
  it('proves only what the decoder in the walk’s state matches, and skipping what it proves changes no other outcome', () => {
    const { proven, matchedInOrder, provenMatched, failures } = runRounds(2026, 24, SIGNALR_PROOF_RULES);
    expect(failures.slice(0, 5)).toEqual([]);
    // Not vacuous: a good share of what matches is proven.
    expect(proven).toBeGreaterThan(15_000);
    expect(provenMatched / matchedInOrder).toBeGreaterThan(0.3);
  });

  const broken = (types: SignalrProofRules['types']): SignalrProofRules => ({ ...SIGNALR_PROOF_RULES, types: { ...SIGNALR_PROOF_RULES.types, ...types } });
  it.each<[string, SignalrProofRules, readonly string[]]>([
    ['the decoder’s state not checked', { ...SIGNALR_PROOF_RULES, checkState: false }, []],
    ['the JSON text not checked', { ...SIGNALR_PROOF_RULES, checkText: false }, []],
    ['the record’s own messageType ignored', { ...SIGNALR_PROOF_RULES, ownMessageType: false }, []],
    ['the conversation read from the record', { ...SIGNALR_PROOF_RULES, madeConversation: false }, []],
    ['a Completion’s role taken as a request', broken({ 3: { name: 'Completion', invocation: false, id: true, errorOrResult: true, role: 'request' } }), []],
    ['a Ping given a role', broken({ 6: { name: 'Ping', invocation: false, id: false, errorOrResult: false, role: 'request' } }), []],
    ['StreamItem without its invocationId rule', broken({ 2: { name: 'StreamItem', invocation: false, id: false, errorOrResult: false, role: 'stream' } }), []],
    ['Invocation without its target and arguments rule', broken({ 1: { name: 'Invocation', invocation: false, id: false, errorOrResult: false, role: 'request' } }), []],
    ['Completion without its error-or-result rule', broken({ 3: { name: 'Completion', invocation: false, id: true, errorOrResult: false, role: 'answer' } }), []],
    ['an unknown type proven', broken({ 10: { name: 'Ten', invocation: false, id: false, errorOrResult: false }, 0: { name: 'Zero', invocation: false, id: false, errorOrResult: false } }), []],
  ])('sabotage: with %s, the check fails', (_, rules, extra) => {
    const { failures } = runRounds(7, 8, rules, extra.map((text) => ({ text, query: queryOf(text) })), true);
    expect(failures.length).toBeGreaterThan(0);
  });

  it('the checker catches a proof that proves every text record', () => {
    const tally = emptyTally();
    checkStream(streamOf(seeded(3), 200), QUERIES.slice(0, 3), () => (slab, start, end, opcode) => opcode === 'text' && slab[end - 1] === 0x1e, 'everything', tally);
    expect(tally.failures.length).toBeGreaterThan(0);
  });

  it('in the query walk over a store (asked at every frame, after the query’s prefilter), finds what decoding every frame in order finds; without the state check it does not', () => {
    const good = walkOverStore(SIGNALR_PROOF_RULES);
    expect(good.differences).toEqual([]);
    // Not vacuous: most frames were not decoded by the walk.
    expect(good.decoded / good.frames).toBeLessThan(0.5);
    const broken = walkOverStore({ ...SIGNALR_PROOF_RULES, checkState: false });
    expect(broken.differences.length).toBeGreaterThan(0);
  });

  it('its rules are the decoder’s: each type’s needs, and decoding one leaves the decoder as it was', () => {
    const kind = (text: string): DecodeOutcome['kind'] | undefined => decodeText(handshaken(), `${text}${RS}`)?.kind;
    for (let type = -1; type <= 11; type++) {
      const rule = SIGNALR_PROOF_RULES.types[type];
      const full = `{"type":${type},"invocationId":"1","target":"T","arguments":[]}`;
      expect(kind(full), `${type}`).toBe(rule ? 'decoded' : 'invalid');
      if (!rule) continue;
      const decoder = handshaken();
      const before = JSON.stringify(decoder.snapshot());
      const outcome = decodeText(decoder, `${full}${RS}`);
      expect(JSON.stringify(decoder.snapshot()), `${type}`).toBe(before);
      expect(outcome?.kind === 'decoded' ? (outcome.value as { messageType?: unknown }).messageType : undefined).toBe(rule.name);
      expect(kind(`{"type":${type},"target":"T","arguments":[]}`), `${type} no id`).toBe(rule.id ? 'invalid' : 'decoded');
      expect(kind(`{"type":${type},"invocationId":7,"target":"T","arguments":[]}`), `${type} id 7`).toBe(rule.id ? 'invalid' : 'decoded');
      expect(kind(`{"type":${type},"invocationId":"1","arguments":[]}`), `${type} no target`).toBe(rule.invocation ? 'invalid' : 'decoded');
      expect(kind(`{"type":${type},"invocationId":"1","target":"T","arguments":{}}`), `${type} arguments {}`).toBe(rule.invocation ? 'invalid' : 'decoded');
      expect(kind(`{"type":${type},"invocationId":"1","target":"T","arguments":[],"error":null,"result":null}`), `${type} both`).toBe(rule.errorOrResult ? 'invalid' : 'decoded');
    }
  });

  it('answers as the decoder on crafted messages', () => {
    const proof = signalrMatchProof(queryOf('$.type != 0'));
    if (!proof) throw new Error('no proof');
    // null: no decoder (undefined would take the default).
    const says = (message: string | Buffer, opcode: WireFrame['opcode'] = 'text', decoder: SignalRDecoder | null = handshaken(), dir: WireFrame['dir'] = 'in'): boolean =>
      provenIn(proof, { dir, opcode, bytes: Buffer.isBuffer(message) ? message : Buffer.from(message, 'utf8') }, decoder ?? undefined);
    const invocation = '{"type":1,"target":"T7","arguments":["room1",{"n":5}]}';
    expect(says(`${invocation}${RS}`)).toBe(true);
    expect(says(` \n${invocation}\t${RS}`)).toBe(true);
    expect(says(`${invocation}${RS}`, 'binary')).toBe(true);
    expect(says(`${invocation}${RS}`, 'text', handshaken(), 'out')).toBe(true);
    expect(says('{"type":6}\u001e')).toBe(true);
    expect(says('{"type":1.0,"target":"T7","arguments":[]}\u001e')).toBe(true);
    expect(says('{"type":3,"invocationId":"\\u0031","error":"boom"}\u001e')).toBe(true);
    expect(says('{"type":2,"invocationId":"1","type":3}\u001e')).toBe(true);
    // The decoder's state: no decoder (a fresh one reads a handshake), a handshake not read, something pending.
    expect(says(`${invocation}${RS}`, 'text', null)).toBe(false);
    expect(says(`${invocation}${RS}`, 'text', new SignalRDecoder())).toBe(false);
    const halfway = handshaken();
    decodeText(halfway, '{"type":6');
    expect(says(`${invocation}${RS}`, 'text', halfway)).toBe(false);
    expect(says(`${invocation}${RS}`, 'text', halfway, 'out')).toBe(true);
    // Not one whole record.
    expect(says(invocation)).toBe(false);
    expect(says(`${invocation}${RS}${invocation}${RS}`)).toBe(false);
    expect(says(`${invocation}${RS} `)).toBe(false);
    expect(says(`${invocation}${RS}${RS}`)).toBe(false);
    expect(says(RS)).toBe(false);
    expect(says('')).toBe(false);
    expect(says(` ${invocation}${RS}`, 'binary')).toBe(false);
    expect(says(`${invocation}${RS}`, 'ping')).toBe(false);
    // What hubMessage refuses, and what the proof does not read.
    expect(says(`\ufeff${invocation}${RS}`)).toBe(false);
    expect(says(`[${invocation}]${RS}`)).toBe(false);
    expect(says('{"type":1,"target":"T7"}\u001e')).toBe(false);
    expect(says('{"type":1,"target":7,"arguments":[]}\u001e')).toBe(false);
    expect(says('{"type":2}\u001e')).toBe(false);
    expect(says('{"type":3,"invocationId":"1","error":null,"result":1}\u001e')).toBe(false);
    expect(says('{"type":10}\u001e')).toBe(false);
    expect(says('{"type":-0}\u001e')).toBe(false);
    expect(says('{"type":"6"}\u001e')).toBe(false);
    expect(says('{"typ\\u0065":6}\u001e')).toBe(false);
    expect(says('{"type":6,"x":"\u001e"}\u001e')).toBe(false);
    expect(says(Buffer.from([...Buffer.from('{"type":6,"x":"'), 0xff, ...Buffer.from('"}\u001e')]))).toBe(false);
    // Each agrees with the decoder where it says true.
    for (const text of [`${invocation}${RS}`, '{"type":6}\u001e', '{"type":1.0,"target":"T7","arguments":[]}\u001e', '{"type":2,"invocationId":"1","type":3}\u001e']) {
      expect(matched(queryOf('$.type != 0'), decodeText(handshaken(), text)), text).toBe(true);
    }
  });

  it('computes messageType exactly: the record’s own, else the type’s name', () => {
    const says = (query: string, text: string): boolean => {
      const proof = signalrMatchProof(queryOf(query));
      if (!proof) throw new Error(query);
      return provenIn(proof, { dir: 'in', opcode: 'text', bytes: Buffer.from(`${text}${RS}`) }, handshaken());
    };
    const check = (query: string, text: string, proven: boolean): void => {
      expect(says(query, text), `${query} on ${text}`).toBe(proven);
      if (proven) expect(matched(queryOf(query), decodeText(handshaken(), `${text}${RS}`))).toBe(true);
    };
    check("$.messageType == 'Ping'", '{"type":6}', true);
    check("$.messageType == 'Ping'", '{"type":6,"messageType":"Mine"}', false);
    check("$.messageType == 'Mine'", '{"type":6,"messageType":"Mine"}', true);
    check('$.messageType.x == 1', '{"type":6,"messageType":{"x":1}}', true);
    check('$.messageType.x != 1', '{"type":6}', true);
    check('$.messageType.x', '{"type":6}', false);
  });

  it('computes the conversation as the decoder does: made for types 1–5 with an invocationId, else the record’s own', () => {
    const check = (query: string, text: string, proven: boolean): void => {
      const proof = signalrMatchProof(queryOf(query));
      if (!proof) throw new Error(query);
      expect(provenIn(proof, { dir: 'in', opcode: 'text', bytes: Buffer.from(`${text}${RS}`) }, handshaken()), `${query} on ${text}`).toBe(proven);
      if (proven) expect(matched(queryOf(query), decodeText(handshaken(), `${text}${RS}`))).toBe(true);
    };
    check("$.conversation.role == 'answer'", '{"type":3,"invocationId":"1","result":1}', true);
    check("$.conversation.key == 'signalr invocation 1'", '{"type":3,"invocationId":"1","conversation":{"key":"x"}}', true);
    check("$.conversation.key == 'x'", '{"type":3,"invocationId":"1","conversation":{"key":"x"}}', false);
    check("$.conversation.key == 'x'", '{"type":6,"invocationId":"1","conversation":{"key":"x"}}', true);
    check("$.conversation.key == 'x'", '{"type":1,"target":"T","arguments":[],"conversation":{"key":"x"}}', true);
    check("$.conversation.role == 'request'", '{"type":1,"target":"T","arguments":[],"invocationId":"7"}', true);
    check("$.conversation.role == 'request'", '{"type":1,"target":"T","arguments":[],"invocationId":7}', false);
    check('$.conversation != 1', '{"type":1,"target":"T","arguments":[]}', true);
    check("$.conversation.label == 'invocation 1'", '{"type":2,"invocationId":"\\u0031"}', false);
    check("$.conversation.label == 'invocation caf\u00e9'", '{"type":2,"invocationId":"caf\u00e9"}', true);
  });

  it('offers no proof for `[*]` but last after a record’s name, a `$` name, or a clause no proven message meets', () => {
    for (const { text, query } of CONVERSATION_QUERIES) expect(signalrMatchProof(query) !== undefined, text).toBe(!text.includes('[*]'));
    expect(signalrMatchProof(queryOf('$.arguments[*].n == 1'))).toBeUndefined();
    expect(signalrMatchProof(queryOf('$[*] == 1'))).toBeUndefined();
    expect(signalrMatchProof(queryOf("$.messageType[*] == 'x'"))).toBeUndefined();
    expect(signalrMatchProof(queryOf('$.conversation[*] == 1'))).toBeUndefined();
    expect(signalrMatchProof(queryOf('$.arguments[*] == 1'))).toBeDefined();
    expect(signalrMatchProof(queryOf('$.item.$cut'))).toBeUndefined();
    expect(signalrMatchProof(queryOf('$.type == 10'))).toBeUndefined();
    expect(signalrMatchProof(queryOf('$.type == 1 && $.type == 2'))).toBeUndefined();
    expect(signalrMatchProof(queryOf('$ == 1'))).toBeUndefined();
    expect(signalrMatchProof(queryOf('$[0] == 1'))).toBeUndefined();
    expect(signalrMatchProof(queryOf('$'))).toBeDefined();
    expect(signalrMatchProof(queryOf('$.arguments[1].conversation != 1'))).toBeDefined();
    expect(signalrMatchProof(queryOf("$.messageType == 'Invocation'"))).toBeDefined();
  });

  it('proves every single-record message of the bench’s stream that matches, for the queries most messages match', () => {
    const messages = benchMessages(3000);
    for (const text of ['$.type == 1', "$.target != 'x'", '$.arguments[0] =~ /^room/', '$.arguments[1].n >= 0', '$.arguments[*] =~ /^room/']) {
      const query = queryOf(text);
      const proof = signalrMatchProof(query);
      if (!proof) throw new Error(`no proof for ${text}`);
      let proven = 0;
      let expected = 0;
      const decoder = new SignalRDecoder();
      messages.forEach((message, seq) => {
        const separators = message.bytes.filter((byte) => byte === 0x1e).length;
        const single = separators === 1 && message.bytes.at(-1) === 0x1e && decoder.between(message.dir);
        if (single && matched(query, decodeWith(copyOf(decoder), message, seq))) expected++;
        if (provenIn(proof, message, decoder)) proven++;
        else decodeWith(decoder, message, seq);
      });
      expect(expected, text).toBeGreaterThan(2400);
      expect(proven, text).toBe(expected);
    }
  });

  it('never throws on random bytes, cut messages or odd opcodes', () => {
    const random = seeded(99);
    const proofs = QUERIES.map(({ query }) => signalrMatchProof(query)).filter((proof) => proof !== undefined);
    const decoder = handshaken();
    let calls = 0;
    for (let i = 0; i < 3000; i++) {
      let bytes: Buffer = Buffer.from(`${recordText(random)}${RS}`, 'utf8');
      if (random(2) === 0) bytes = bytes.subarray(0, random(bytes.length + 1));
      if (random(3) === 0) bytes = Buffer.from(Array.from({ length: random(40) }, () => pick(random, [0x7b, 0x7d, 0x5b, 0x5d, 0x22, 0x5c, 0x3a, 0x2c, 0x30, 0x31, 0x1e, 0xff, 0x20, random(256)])));
      const start = random(3);
      const slab = Buffer.concat([Buffer.alloc(start, 0x7b), bytes]);
      // A throw fails the test; no expect a call.
      for (const proof of proofs) {
        proof(slab, start, slab.length, pick(random, ['text', 'binary', 'ping', 'close', '']), decoder, pick(random, ['in', 'out'] as const));
        proof(slab, slab.length, slab.length, 'text', decoder, 'in');
        calls += 2;
      }
    }
    expect(calls).toBe(3000 * 2 * proofs.length);
  });
});

/** The refutation's answer for a message inside a larger slab (as provenIn). */
function passedIn(refutation: StatefulPrefilter, message: ProofMessage, decoder: SignalRDecoder): boolean {
  const slab = Buffer.concat([Buffer.from(`{"type":1,"target":"T7","arguments":[]}${RS}`), message.bytes, Buffer.from(`"}]}${RS} x{`)]);
  return refutation.passable(decoder, slab, 40, 40 + message.bytes.length, message.opcode, message.dir);
}

interface RefutationTally {
  passed: number;
  /** Messages of several records passed over. */
  passedJoined: number;
  failures: string[];
  /** As Tally's: a sabotage check stops at its first failure. */
  firstFailureEnds?: boolean;
}

/**
 * Walks `stream` for each query as the query walk does with the refutation as its prefilter: a
 * message it passes over, decoded by a copy of the walk's decoder, must be invalid or not
 * matched, leave the copy's snapshot as it was, and not be matched in order; every message the
 * walk decodes must give its in-order outcome.
 */
function checkRefutation(stream: readonly ProofMessage[], queries: readonly { text: string; query: DecodedQuery }[], refutationOf: (query: DecodedQuery) => StatefulPrefilter | undefined, where: string, tally: RefutationTally): void {
  const all = new SignalRDecoder();
  const outcomes = stream.map((message, seq) => decodeWith(all, message, seq));
  for (const { text, query } of queries) {
    if (tally.firstFailureEnds && tally.failures.length > 0) return;
    const refutation = refutationOf(query);
    if (!refutation) continue;
    const walker = new SignalRDecoder();
    stream.forEach((message, seq) => {
      if (tally.firstFailureEnds && tally.failures.length > 0) return;
      const inOrder = outcomes[seq];
      const label = (): string => `${text} on ${JSON.stringify(message.bytes.toString('latin1'))} (${message.opcode} ${message.dir}, ${where}, #${seq})`;
      if (passedIn(refutation, message, walker)) {
        tally.passed++;
        if (message.bytes.filter((byte) => byte === 0x1e).length > 1) tally.passedJoined++;
        const copy = copyOf(walker);
        const before = JSON.stringify(copy.snapshot());
        if (matched(query, decodeWith(copy, message, seq))) tally.failures.push(`matched in the walk's state: ${label()}`);
        else if (JSON.stringify(copy.snapshot()) !== before) tally.failures.push(`decoder changed: ${label()}`);
        else if (matched(query, inOrder)) tally.failures.push(`matched in order: ${label()}`);
        return;
      }
      const again = decodeWith(walker, message, seq);
      if (JSON.stringify(again) !== JSON.stringify(inOrder)) tally.failures.push(`after passing over: ${label()}`);
    });
  }
}

const JOINED_QUERIES = ['$.messages[0].type == 1', '$.messages[1].type != 1', '$.messages', '$.nothing', '$.type == 3', '$[0] == 1', '$.type != 1', '$.messageType == \'Completion\''].map((text) => ({ text, query: queryOf(text) }));

function refutationRounds(seed: number, rounds: number, refutationOf: (query: DecodedQuery) => StatefulPrefilter | undefined, firstFailureEnds = false): RefutationTally {
  const random = seeded(seed);
  const tally: RefutationTally = { passed: 0, passedJoined: 0, failures: [], firstFailureEnds };
  for (let round = 0; round < rounds && !(firstFailureEnds && tally.failures.length > 0); round++) {
    // The generated stream with the bench's messages (Completions, two records to a message) among it.
    const stream = [...benchMessages(120), ...streamOf(random, 200)];
    checkRefutation(stream, [...QUERIES, ...CONVERSATION_QUERIES, ...JOINED_QUERIES, ...randomQueries(random)], refutationOf, `round ${round}`, tally);
  }
  return tally;
}

describe('SignalR refutation (the proof’s rule-out)', () => {
  it('passes over only what the decoder in the walk’s state does not match, and leaves it as it was', () => {
    const { passed, passedJoined, failures } = refutationRounds(2027, 16, (query) => signalrRefutation(query));
    expect(failures.slice(0, 5)).toEqual([]);
    // Not vacuous: single records and several to a message are passed over.
    expect(passed).toBeGreaterThan(5_000);
    expect(passedJoined).toBeGreaterThan(100);
  });

  it('as the query prefilter (with the key rule where one applies), passes over only what is not matched', () => {
    const extra = ['$.arguments[1].price > 100', '$.item.n >= 0', '$.nothing.x == 1', '$.headers.a == 2', '$.type == 3 && $.result > 5'].map((text) => ({ text, query: queryOf(text) }));
    const random = seeded(5);
    const tally: RefutationTally = { passed: 0, passedJoined: 0, failures: [] };
    const asPrefilter = (query: DecodedQuery): StatefulPrefilter | undefined => {
      const prefilter = queryPrefilter('signalr', query, { protobuf: 'none' });
      // A string rule has needles (the scan finds them first); this check asks `passable` alone.
      return prefilter?.kind === 'stateful' && prefilter.needles.length === 0 ? prefilter : undefined;
    };
    for (let round = 0; round < 6; round++) checkRefutation([...benchMessages(120), ...streamOf(random, 200)], [...QUERIES, ...JOINED_QUERIES, ...extra], asPrefilter, `round ${round}`, tally);
    expect(tally.failures.slice(0, 5)).toEqual([]);
    expect(tally.passed).toBeGreaterThan(1_000);
  });

  it.each<[string, SignalrRefutationRules]>([
    ['the decoder’s state not checked for several records', { ...SIGNALR_REFUTATION_RULES, checkState: false }],
    ['an unsure reading taken as a failure', { ...SIGNALR_REFUTATION_RULES, onlyFails: false }],
    ['`messages` taken as absent from several records', { ...SIGNALR_REFUTATION_RULES, keepMessages: false }],
    ['the proof’s state check dropped', { ...SIGNALR_REFUTATION_RULES, proof: { ...SIGNALR_PROOF_RULES, checkState: false } }],
    ['the proof’s text check dropped', { ...SIGNALR_REFUTATION_RULES, proof: { ...SIGNALR_PROOF_RULES, checkText: false } }],
  ])('sabotage: with %s, the check fails', (_, rules) => {
    const { failures } = refutationRounds(11, 8, (query) => signalrRefutation(query, rules), true);
    expect(failures.length).toBeGreaterThan(0);
  });

  it('the checker catches a refutation that passes over every text message of whole records', () => {
    const tally: RefutationTally = { passed: 0, passedJoined: 0, failures: [] };
    const everything: StatefulPrefilter = { kind: 'stateful', key: 'everything', needles: [], passable: (_decoder, slab, _start, end, opcode) => opcode === 'text' && slab[end - 1] === 0x1e };
    checkRefutation(streamOf(seeded(3), 200), QUERIES.slice(0, 3), () => everything, 'everything', tally);
    expect(tally.failures.length).toBeGreaterThan(0);
  });

  it('is the query prefilter where no key rule applies, and joins a key rule where one does', () => {
    const keyOf = (text: string): string | undefined => {
      const prefilter = queryPrefilter('signalr', queryOf(text), { protobuf: 'none' });
      return prefilter?.kind === 'stateful' ? prefilter.key : undefined;
    };
    expect(keyOf('$.type == 1')).toBe(signalrRefutation(queryOf('$.type == 1'))?.key);
    // `price`: a key the decoder does not write, so the key rule applies too.
    expect(keyOf('$.arguments[1].price > 5')).toMatch(/^signalr\u0000price\u0000signalr refutation/);
    // The byte-level rule-outs (signalr-text-rule-outs.ts) come first where they apply.
    expect(keyOf('$.arguments[1].price > 100')).toMatch(/^signalr number\u0000100\u0000signalr\u0000price\u0000signalr refutation/);
    expect(keyOf("$.invocationId == '3' && $.n > 100")).toMatch(/^signalr number\u0000100\u0000signalr text key\u0000invocationId\u0000signalr\u0000n\u0000signalr refutation/);
  });
});

describe('SignalR proof and rule-out sharing a reading', () => {
  it('a remembered verdict is reused only for the same bytes, not for a reused slab at the same place', () => {
    const query = queryOf('$.type == 1');
    const proof = signalrMatchProof(query);
    const refutation = signalrRefutation(query);
    if (!proof || !refutation) throw new Error('no proof or rule-out');
    const decoder = handshaken();
    const invocation = `{"type":1,"target":"T","arguments":[]}${RS}`;
    const completion = `{"type":3,"invocationId":"abcdefghij"}${RS}`;
    expect(invocation.length).toBe(completion.length);
    const slab = Buffer.from(`xx${invocation}yy`, 'utf8');
    const end = 2 + invocation.length;
    // Asked of the rule-out (not passed over, so remembered for the proof), then the slab
    // rewritten in place: the proof reads anew.
    expect(refutation.passable(decoder, slab, 2, end, 'text', 'in')).toBe(false);
    slab.write(completion, 2, 'utf8');
    expect(proof(slab, 2, end, 'text', decoder, 'in')).toBe(false);
    // Asked of the proof (not proven, so remembered for the rule-out), then rewritten: read anew.
    expect(proof(slab, 2, end, 'text', decoder, 'in')).toBe(false);
    slab.write(invocation, 2, 'utf8');
    expect(refutation.passable(decoder, slab, 2, end, 'text', 'in')).toBe(false);
    expect(proof(slab, 2, end, 'text', decoder, 'in')).toBe(true);
    // Unchanged bytes between the two askers: the same verdicts.
    slab.write(completion, 2, 'utf8');
    expect(proof(slab, 2, end, 'text', decoder, 'in')).toBe(false);
    expect(refutation.passable(decoder, slab, 2, end, 'text', 'in')).toBe(true);
    // The same bytes elsewhere: the same verdict.
    expect(proof(Buffer.from(invocation, 'utf8'), 0, invocation.length, 'text', decoder, 'in')).toBe(true);
  });
});
