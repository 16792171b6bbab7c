/**
 * The MQTT match proof (mqtt-match-proof.ts) against the decoder itself (mqtt-decoder.ts). A
 * stream is walked in order as the query walk does (in-order-match-walk.ts): where the walk's
 * decoder is idle for the message's direction and the proof, handed that decoder, says the
 * message matches, the message must decode to a valid value the query matches with a decoder
 * in that very state (a copy from its snapshot) and in the all-decoded stream, and leave that copy's
 * snapshot as it was; the walk then skips it, and every message it does decode must give the
 * outcome decoding all gives. The proof handed no decoder is checked against a fresh one.
 * Streams are generated with mqtt-packet's own generate: MQTT 3.1, 3.1.1 and 5 (a CONNECT sets
 * the version, now and then again mid-stream), PUBLISHes of every QoS and flag with topics and
 * payloads of text, JSON, bad UTF-8, and MQTT 5 properties (aliases set and used, user properties
 * repeated, subscription identifiers, correlation data), pings, other packets, two packets a
 * message, packets split across messages, damaged bytes and crafted ones mqtt-packet reads
 * oddly (cut packet ids, properties overrunning, unknown and repeated properties).
 * A checker must catch wrong proofs: three are fed to it.
 */
import mqtt from 'mqtt-packet';
import { describe, expect, it } from 'vitest';
import { DECODED_STREAMS } from '../../../bench/decoded-streams';
import type { WireFrame } from '../../../src-main/core/decode/decoded-frame';
import type { MatchProof } from '../../../src-main/core/decode/match-proof';
import { MqttDecoder } from '../../../src-main/core/decode/mqtt-decoder';
import { MQTT_PROOF_RULES, MQTT_REFUTATION_RULES, mqttMatchProof, mqttRefutation } from '../../../src-main/core/decode/mqtt-match-proof';
import { mqttProbePrefilter } from '../../../src-main/core/decode/mqtt-probe';
import { queryPrefilter } from '../../../src-main/core/decode/query-prefilter';
import type { StatefulPrefilter } from '../../../src-main/core/decode/stateful-prefilter';
import type { DecodedQuery } from '../../../src-main/shared/decoded-query';
import { compareSearches, damaged, pick, seeded } from './prefilter-harness';
import { decodeWith, matched, queryOf, type ProofMessage, walkRoundsOverStore } from './stateful-proof-harness';

type Random = (n: number) => number;
type Message = ProofMessage;

const QUERIES = [
  "$.cmd == 'publish'",
  "$.cmd != 'publish'",
  "$.cmd != 'puback'",
  "$.cmd == 'pingreq'",
  '$.cmd =~ /^p/',
  '$.qos >= 0',
  '$.qos >= 1',
  '$.qos < 2',
  '$.qos == 0',
  '$.retain',
  '$.retain != true',
  '$.dup == false',
  '$.length > 10',
  '$.messageId',
  '$.messageId > 100',
  '$.messageId != 7',
  "$.topic == 'sensors/1/temp'",
  "$.topic != 'sensors/1/temp'",
  '$.topic =~ /temp$/',
  "$.topic >= 's'",
  "$.topic == ''",
  "$.topic == 'caf\u00e9/\ufffd'",
  '$.topic',
  '$.topic.a == 1',
  '$.topicFromAlias != true',
  '$.topicFromAlias',
  "$.payload == 'hello'",
  '$.payload =~ /"t":/',
  '$.payload.t >= 0',
  '$.payload.n < 50',
  '$.payload.length == 3',
  '$.payload.t > 100',
  '$.payload.t <= 120',
  '$.payload.t == 120',
  '$.payload.t != 120',
  "$.payload.t == 'Infinity'",
  "$.payload.t != 'Infinity'",
  "$.payload.t =~ /^ca/",
  '$.payload.t',
  '$.payload.a == 1',
  '$.payload.a != 1',
  '$.payload.s.t > 100',
  '$.payload.list[1] == 2',
  '$.payload[0].t > 100',
  '$.payload.length > 3',
  "$.payload['caf\u00e9'] == 1",
  '$.payload.__proto__.a == 1',
  "$.payload.$bytes != 'x'",
  '$.payload',
  '$.properties',
  '$.properties.contentType == \'application/json\'',
  '$.properties.payloadFormatIndicator == true',
  '$.properties.topicAlias > 0',
  '$.properties.topicAlias != 3',
  '$.properties.userProperties.src == \'bench\'',
  '$.properties.userProperties.k[1] == \'b\'',
  "$.properties.userProperties['__proto__'] == 'p'",
  '$.properties.subscriptionIdentifier[0] == 1',
  '$.properties.subscriptionIdentifier > 0',
  '$.properties.correlationData.length == 2',
  '$.properties.messageExpiryInterval >= 60',
  '$.properties[*] == 1',
  '$.packets != 1',
  '$.packets',
  '$.continues != true',
  '$.continues',
  '$.reasonCode != 0',
  '$.reasonCode == 0',
  "$.cmd == 'puback' && $.messageId == 7",
  "$.cmd =~ /^pub(ack|rec|rel|comp)$/ && $.qos == 1",
  "$.cmd == 'publish' && $.qos > 0 && $.topic =~ /^s/",
  "$.cmd == 'publish' && $.payload.t > 100 && $.packets != 1",
].map((text) => ({ text, query: queryOf(text) }));

const TOPICS = ['sensors/1/temp', 'sensors/2/temp', 'a', '', 'caf\u00e9/\ufffd', 'x/+/#', '{"a":1}', '$SYS/x'];
/** Payloads: JSON text (escapes, whitespace, numbers past a double, duplicate keys, JSON inside a string, a byte order mark, text after it), text only like it, plain text. */
const PAYLOADS = [
  '{"t":12,"n":3}',
  '{"t":300,"n":70}',
  'hello',
  '',
  'abc',
  '[1,2]',
  '{"t":1e400}',
  '{"t":-1e400,"a":1}',
  ' \n\t{"a":2,"t":101}',
  '{"a":1',
  '"x"',
  '7',
  '{"s":"{\\"t\\":500}"}',
  '{"s":" {\\"t\\":300}","a":3}',
  '{"\\u0074":300,"list":[0,2]}',
  '{"a":"q\\"","t":150}',
  '[{"t":200},1]',
  '{"t":"150","list":"[1,2]"}',
  '{"t":"Infinity"}',
  '\ufeff{"t":120}',
  '{"t":120} x',
  '{"a":2,"a":1,"length":5}',
  '{"t":12345678901234567890,"":1}',
  '{"list":[1,2,3],"t":100.5,"caf\u00e9":1}',
  '{"__proto__":{"a":1},"t":3}',
  '{"t":"caf\ufffd"}',
  'x\ufffd',
];

/** A byte string that is not UTF-8 (shown as bytes), or has U+FFFD from bad UTF-8 in a topic. */
const BAD_UTF8 = Buffer.from([0x7b, 0xff, 0xfe, 0x7d]);

function generated(random: Random, version: number, packet: Record<string, unknown>): Buffer | undefined {
  try {
    return mqtt.generate(packet as unknown as mqtt.Packet, { protocolVersion: version });
  } catch {
    return undefined;
  }
}

/** MQTT 5 PUBLISH properties: a random subset of the PUBLISH's own, aliases from a small set (so they repeat). */
function propertiesOf(random: Random): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  if (random(3) === 0) properties.payloadFormatIndicator = random(2) === 0;
  if (random(5) === 0) properties.messageExpiryInterval = pick(random, [0, 60, 4_000_000_000]);
  if (random(3) === 0) properties.contentType = pick(random, ['application/json', '', 'caf\u00e9']);
  if (random(6) === 0) properties.responseTopic = pick(random, ['r/1', '']);
  if (random(6) === 0) properties.correlationData = Buffer.from(pick(random, [[1, 2], [], [0xff]]));
  if (random(6) === 0) properties.subscriptionIdentifier = pick(random, [1, 300, [1, 2], [0, 5], 268_435_455]);
  if (random(3) === 0) properties.topicAlias = 1 + random(3);
  if (random(3) === 0) {
    properties.userProperties = pick(random, [{ src: 'bench' }, { k: ['a', 'b'] }, { k: ['', 'b'] }, { __proto__: 'p' }, { src: 'x', k: 'c' }]);
    // An own key __proto__ (the literal above sets the prototype instead).
    if (Object.getPrototypeOf(properties.userProperties) !== Object.prototype) properties.userProperties = JSON.parse('{"__proto__":"p"}') as unknown;
  }
  return properties;
}

function publishPacket(random: Random, version: number): Buffer | undefined {
  const qos = pick(random, [0, 0, 1, 2]);
  const topic = pick(random, TOPICS);
  const payload = random(8) === 0 ? BAD_UTF8 : Buffer.from(pick(random, PAYLOADS), 'utf8');
  const packet: Record<string, unknown> = { cmd: 'publish', topic, payload, qos, retain: random(3) === 0, dup: random(4) === 0 };
  if (qos > 0) packet.messageId = pick(random, [0, 7, 500, 65535]);
  if (version === 5 && random(4) !== 0) packet.properties = propertiesOf(random);
  return generated(random, version, packet);
}

/** Raw bytes of a packet: its first byte, the remaining length, the body (for crafted packets). */
function rawPacket(header: number, body: readonly number[] | Buffer): Buffer {
  const length: number[] = [];
  let n = body.length;
  do {
    let byte = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) byte |= 0x80;
    length.push(byte);
  } while (n > 0);
  return Buffer.concat([Buffer.from([header, ...length]), Buffer.from(body)]);
}

/** Packets written by hand: [the version they are written for, bytes, whether the proof may prove them]; mostly ones mqtt-packet reads oddly or refuses. */
const CRAFTED: readonly (readonly [number, Buffer, boolean])[] = [
  // QoS 3; QoS 1 with a packet id cut short (read as -1); flags on a ping.
  [4, rawPacket(0x36, [0, 1, 0x61, 0, 5]), false],
  [4, rawPacket(0x32, [0, 1, 0x61, 0]), false],
  [4, rawPacket(0xc1, []), false],
  [4, rawPacket(0xc0, [1, 2, 3]), true],
  [4, rawPacket(0xd0, []), true],
  // Remaining length: non-minimal (mqtt-packet takes it), five bytes, cut.
  [4, Buffer.from([0x30, 0x83, 0x00, 0, 1, 0x61]), true],
  [4, Buffer.from([0x30, 0x80, 0x80, 0x80, 0x80, 0x01]), false],
  [4, Buffer.from([0x30, 0x80]), false],
  // Topic overrunning the packet; topic length cut.
  [4, rawPacket(0x30, [0, 9, 0x61]), false],
  [4, rawPacket(0x30, [0]), false],
  // MQTT 5: no property length; properties overrunning into the payload; unknown code; code 0.
  [5, rawPacket(0x30, [0, 1, 0x61]), false],
  [5, rawPacket(0x30, [0, 1, 0x61, 1, 2, 0, 0, 0, 9, 0x68]), false],
  [5, rawPacket(0x30, [0, 1, 0x61, 2, 0x7f, 0, 0x68]), false],
  [5, rawPacket(0x30, [0, 1, 0x61, 1, 0, 0x68]), false],
  // Repeated properties: payload format false then true (mqtt-packet keeps the last), topic alias twice, content type twice.
  [5, rawPacket(0x30, [0, 1, 0x61, 4, 1, 0, 1, 1, 0x68]), false],
  [5, rawPacket(0x30, [0, 1, 0x61, 6, 35, 0, 1, 35, 0, 2, 0x68]), false],
  [5, rawPacket(0x30, [0, 0, 6, 35, 0, 1, 35, 0, 1, 0x68]), false],
  [5, rawPacket(0x30, [0, 1, 0x61, 7, 3, 0, 1, 0x61, 3, 0, 0]), false],
  // A property another packet carries (session expiry), a subscription identifier of five bytes.
  [5, rawPacket(0x30, [0, 1, 0x61, 5, 17, 0, 0, 0, 1]), false],
  [5, rawPacket(0x30, [0, 1, 0x61, 6, 11, 0x80, 0x80, 0x80, 0x80, 0x01]), false],
  // A user property whose value overruns the properties.
  [5, rawPacket(0x30, [0, 1, 0x61, 6, 38, 0, 1, 0x6b, 0, 4, 0x76, 0x76]), false],
  // Good ones: two subscription identifiers; user property repeated with an empty first value.
  [5, rawPacket(0x30, [0, 1, 0x61, 4, 11, 1, 11, 2, 0x68]), true],
  [5, rawPacket(0x30, [0, 1, 0x61, 13, 38, 0, 1, 0x6b, 0, 0, 38, 0, 1, 0x6b, 0, 1, 0x62, 0x68]), true],
  [4, rawPacket(0x3b, [0, 1, 0x61, 0, 7, 0x68]), true],
  // Confirmations: PUBREL's flags 2, others' 0; the packet id cut; MQTT 3.1.1 skips what follows it, MQTT 5 reads a reason code.
  [4, rawPacket(0x62, [0, 7]), true],
  [4, rawPacket(0x60, [0, 7]), false],
  [4, rawPacket(0x42, [0, 7]), false],
  [4, rawPacket(0x40, [0]), false],
  [4, rawPacket(0x40, [0, 7, 0x99, 1]), true],
  [5, rawPacket(0x40, [0, 7]), true],
  [5, rawPacket(0x40, [0, 7, 0]), false],
  [5, rawPacket(0x50, [0, 7, 0x99]), false],
  // Reserved types (QA D4): 0 always, 15 before MQTT 5; whole, and the first bytes of a long one
  // (not valid at once: the next message starts afresh), alone and after a whole packet.
  [4, Buffer.from('08c80112026f6b', 'hex'), false],
  [4, rawPacket(0x00, []), false],
  [5, Buffer.from([0x00]), false],
  [5, Buffer.from([0x0f, 0x80]), false],
  [4, Buffer.concat([rawPacket(0xc0, []), Buffer.from([0x00, 0x05, 0x01])]), false],
  [4, Buffer.from([0xf0, 0xc8, 0x01, 0x01]), false],
  [3, rawPacket(0xf0, []), false],
  [5, Buffer.from([0xf0, 0x05, 0x00]), false],
];

function connectOf(version: number): Buffer {
  const bytes = generated(() => 0, version, { cmd: 'connect', protocolId: version === 3 ? 'MQIsdp' : 'MQTT', protocolVersion: version, clientId: 'c', clean: true, keepalive: 30 });
  if (!bytes) throw new Error('no CONNECT');
  return bytes;
}

/** One message's packets (one mostly), by shape. */
function packetsOf(random: Random, version: number): Buffer {
  const shape = random(20);
  if (shape === 0) return generated(random, version, { cmd: pick(random, ['pingreq', 'pingresp']) }) ?? Buffer.alloc(0);
  if (shape === 1) {
    const confirmation: Record<string, unknown> = { cmd: pick(random, ['puback', 'pubrec', 'pubrel', 'pubcomp']), messageId: pick(random, [0, 7, 65535]) };
    if (version === 5 && random(3) === 0) confirmation.reasonCode = pick(random, [0, 16, 146]);
    if (version === 5 && random(4) === 0) confirmation.properties = { reasonString: 'r' };
    return generated(random, version, confirmation) ?? Buffer.alloc(0);
  }
  if (shape === 2) return generated(random, version, { cmd: 'subscribe', messageId: 3, subscriptions: [{ topic: 'a/#', qos: 1 }] }) ?? Buffer.alloc(0);
  if (shape === 3) return Buffer.concat([publishPacket(random, version) ?? Buffer.alloc(0), publishPacket(random, version) ?? Buffer.alloc(0)]);
  if (shape === 4) {
    const crafted = pick(random, CRAFTED);
    return crafted[1];
  }
  return publishPacket(random, version) ?? Buffer.alloc(0);
}

/**
 * A stream: maybe a CONNECT first (else MQTT 3.1.1), now and then another, messages of the shapes
 * above (a tenth in text frames, which are not valid), damaged, split, cut short (then a close or a
 * text frame in that direction, or more messages), empty messages, closes, in either direction.
 */
function streamOf(random: Random, count: number): Message[] {
  const messages: Message[] = [];
  let version = pick(random, [3, 4, 5, 5, 5]);
  if (random(5) !== 0) messages.push({ dir: 'out', opcode: 'binary', bytes: connectOf(version) });
  else version = 4;
  while (messages.length < count) {
    const dir = random(4) === 0 ? 'out' : 'in';
    const opcode = random(10) === 0 ? 'text' : random(40) === 0 ? 'ping' : 'binary';
    if (random(60) === 0) {
      version = pick(random, [3, 4, 5]);
      messages.push({ dir: 'out', opcode: 'binary', bytes: connectOf(version) });
      continue;
    }
    let bytes = packetsOf(random, version);
    if (random(15) === 0) bytes = damaged(random, bytes, [0x00, 0x01, 0x03, 0x0b, 0x23, 0x26, 0x30, 0x7f, 0x80, 0xff, random(256)]);
    if (random(12) === 0 && bytes.length > 1) {
      // Split across two or three messages of the same direction.
      const cut = 1 + random(bytes.length - 1);
      const second = cut + random(bytes.length - cut + 1);
      for (const part of [bytes.subarray(0, cut), bytes.subarray(cut, second), bytes.subarray(second)]) {
        if (part.length > 0) messages.push({ dir, opcode, bytes: Buffer.from(part) });
      }
      continue;
    }
    if (random(12) === 0 && bytes.length > 1) {
      // Cut short: the rest never comes; then, in that direction, a close, the rest in a text frame, or other messages.
      const cut = 1 + random(bytes.length - 1);
      messages.push({ dir, opcode: 'binary', bytes: Buffer.from(bytes.subarray(0, cut)) });
      const then = random(3);
      if (then === 0) messages.push({ dir, opcode: 'close', bytes: Buffer.from([0x03, 0xe8]) });
      if (then === 1) messages.push({ dir, opcode: 'text', bytes: Buffer.from(bytes.subarray(cut)) });
      // An empty message in the middle of the packet: it adds nothing.
      if (then === 2 && random(2) === 0) messages.push({ dir, opcode: 'binary', bytes: Buffer.alloc(0) });
      continue;
    }
    if (random(30) === 0) {
      // An empty message (no packet), in whatever state the direction is.
      messages.push({ dir, opcode: 'binary', bytes: Buffer.alloc(0) });
      continue;
    }
    if (random(50) === 0) {
      messages.push({ dir, opcode: 'close', bytes: Buffer.alloc(0) });
      continue;
    }
    messages.push({ dir, opcode, bytes });
  }
  return messages;
}

/** The proof's answer for a message inside a larger slab (as the store's slabs hold it). */
function provenIn(proof: MatchProof, message: Message, decoder: MqttDecoder | undefined): boolean {
  const slab = Buffer.concat([Buffer.from([0x30, 0x05, 0x00]), message.bytes, Buffer.from([0x30, 0x03, 0x00, 0x01, 0x61])]);
  return proof(slab, 3, 3 + message.bytes.length, message.opcode, decoder);
}

function copyOf(decoder: MqttDecoder): MqttDecoder {
  const copy = new MqttDecoder();
  const snapshot = decoder.snapshot();
  if (!snapshot) throw new Error('no snapshot');
  copy.restore(snapshot);
  return copy;
}

interface Tally {
  proven: number;
  matchedInOrder: number;
  provenMatched: number;
  provenFresh: number;
  failures: string[];
}

/**
 * Walks `stream` for each query as the query walk does, with `proofOf`'s proof, and adds what
 * breaks the contract to the tally's failures (see the file comment).
 */
function checkStream(stream: readonly Message[], queries: readonly { text: string; query: DecodedQuery }[], proofOf: (query: DecodedQuery) => MatchProof | undefined, where: string, tally: Tally): void {
  const all = new MqttDecoder();
  const outcomes = stream.map((message, seq) => decodeWith(all, message, seq));
  for (const { text, query } of queries) {
    const proof = proofOf(query);
    if (!proof) continue;
    const walker = new MqttDecoder();
    stream.forEach((message, seq) => {
      const inOrder = outcomes[seq];
      const label = (): string => `${text} on ${message.bytes.toString('hex')} (${message.opcode} ${message.dir}, ${where}, #${seq})`;
      if (matched(query, inOrder)) tally.matchedInOrder++;
      // Handed no decoder: as a fresh one decodes it.
      if (provenIn(proof, message, undefined)) {
        tally.provenFresh++;
        const fresh = new MqttDecoder();
        const before = JSON.stringify(fresh.snapshot());
        if (!matched(query, decodeWith(fresh, message, seq))) tally.failures.push(`fresh: ${label()}`);
        else if (JSON.stringify(fresh.snapshot()) !== before) tally.failures.push(`fresh decoder changed: ${label()}`);
      }
      if (walker.idle(message.dir) && provenIn(proof, message, walker)) {
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

function runRounds(rounds: number, proofOf: (query: DecodedQuery) => MatchProof | undefined, queries = QUERIES): Tally {
  const random = seeded(2027);
  const tally: Tally = { proven: 0, matchedInOrder: 0, provenMatched: 0, provenFresh: 0, failures: [] };
  for (let round = 0; round < rounds; round++) checkStream(streamOf(random, 150), queries, proofOf, `round ${round}`, tally);
  return tally;
}

function benchMessages(count: number): Message[] {
  const messages: Message[] = [];
  DECODED_STREAMS.mqtt5.fill(count, (frame) => messages.push({ dir: frame.dir, opcode: frame.opcode, bytes: frame.bytes }));
  return messages;
}

describe('MQTT match proof', () => {
  it('proves only what the decoder in the walk’s state matches, and skipping what it proves changes no other outcome', () => {
    const { proven, matchedInOrder, provenMatched, provenFresh, failures } = runRounds(30, mqttMatchProof);
    expect(failures.slice(0, 5)).toEqual([]);
    // Not vacuous: a good share of what matches is proven, with and without a decoder.
    expect(proven).toBeGreaterThan(20_000);
    expect(provenFresh).toBeGreaterThan(5_000);
    expect(provenMatched / matchedInOrder).toBeGreaterThan(0.5);
  });

  it('the checker catches a proof that is wrong: one that proves everything, one that sets aliases, one that reads MQTT 5 as 3.1.1', () => {
    const everything = runRounds(3, () => () => true, QUERIES.slice(0, 3));
    expect(everything.failures.length).toBeGreaterThan(0);
    // Also a PUBLISH that sets a Topic Alias (valid, and it matches), as though that changed nothing.
    const setsAliases = (query: DecodedQuery): MatchProof | undefined => {
      const real = mqttMatchProof(query);
      return real && ((slab, start, end, opcode, decoder) => real(slab, start, end, opcode, decoder) || setsAlias(slab.subarray(start, end), opcode, decoder));
    };
    const aliasTally = runRounds(6, setsAliases, [{ text: "$.cmd == 'publish'", query: queryOf("$.cmd == 'publish'") }]);
    expect(aliasTally.failures.some((failure) => failure.startsWith('decoder changed') || failure.startsWith('after skips'))).toBe(true);
    // Handed no decoder, properties are not read: a payload after them is read wrong.
    const asV4 = (query: DecodedQuery): MatchProof | undefined => {
      const real = mqttMatchProof(query);
      return real && ((slab, start, end, opcode) => real(slab, start, end, opcode, undefined));
    };
    const v4Tally = runRounds(6, asV4, [{ text: "$.payload == 'hello'", query: queryOf("$.payload == 'hello'") }, { text: "$.payload != 'hello'", query: queryOf("$.payload != 'hello'") }]);
    expect(v4Tally.failures.some((failure) => failure.startsWith("in the walk's state: $.payload"))).toBe(true);
  });

  it('the checker catches a proof that reads a text frame as MQTT (it is not valid)', () => {
    const textAsBinary = runRounds(4, (query) => mqttMatchProof(query, { ...MQTT_PROOF_RULES, textFrames: false }), [{ text: "$.cmd == 'publish'", query: queryOf("$.cmd == 'publish'") }]);
    expect(textAsBinary.failures.some((failure) => failure.startsWith("in the walk's state") && failure.includes('(text '))).toBe(true);
  });

  it('proves the bench’s single-packet PUBLISHes; with the probe prefilter, only split packets and alias settings are left to decode', () => {
    const messages = benchMessages(20_000);
    const query = queryOf("$.cmd == 'publish'");
    const proof = mqttMatchProof(query);
    const prefilter = mqttProbePrefilter(query);
    if (!proof || prefilter?.kind !== 'stateful') throw new Error('no proof or prefilter');
    const all = new MqttDecoder();
    const outcomes = messages.map((message, seq) => decodeWith(all, message, seq));
    const walker = new MqttDecoder();
    let decoded = 0;
    let passed = 0;
    let provenCount = 0;
    messages.forEach((message, seq) => {
      const { bytes, opcode, dir } = message;
      if (prefilter.passable(walker, bytes, 0, bytes.length, opcode, dir)) {
        passed++;
        expect(matched(query, outcomes[seq])).toBe(false);
        return;
      }
      if (walker.idle(dir) && proof(bytes, 0, bytes.length, opcode, walker)) {
        provenCount++;
        expect(matched(query, outcomes[seq])).toBe(true);
        return;
      }
      decoded++;
      expect(decodeWith(walker, message, seq)).toEqual(outcomes[seq]);
    });
    // 1 in 31 PUBLISHes spans two messages (both decoded), about 97 set an alias, 2 are CONNECT and CONNACK.
    expect(decoded).toBeLessThan(messages.length * 0.08);
    expect(passed).toBeGreaterThan(messages.length * 0.04);
    expect(provenCount + passed + decoded).toBe(messages.length);
  });

  it('in the query walk over a store (idle rule, the walk’s decoder handed over), finds what decoding every frame in order finds', () => {
    const random = seeded(7);
    const texts = ["$.cmd == 'publish'", '$.topic =~ /temp$/', '$.qos >= 0 && $.payload.t >= 0', "$.cmd != 'pingreq'"];
    const { differences, decoded, frames } = walkRoundsOverStore(4, () => [...streamOf(random, 400), ...benchMessages(400)], () => new MqttDecoder(), 'mqtt', texts, mqttMatchProof, false);
    expect(differences).toEqual([]);
    // Not vacuous: most frames were not decoded by the walk.
    expect(decoded / frames).toBeLessThan(0.5);
  });

  it('answers crafted packets as mqtt-packet reads them', () => {
    const says = (query: string, bytes: Buffer, decoder?: MqttDecoder, opcode: WireFrame['opcode'] = 'binary'): boolean => {
      const proof = mqttMatchProof(queryOf(query));
      return proof !== undefined && provenIn(proof, { dir: 'in', opcode, bytes }, decoder);
    };
    const v5 = new MqttDecoder();
    v5.decode({ seq: 0, dir: 'out', opcode: 'binary', bytes: connectOf(5) });
    const pub = (topic: string, extra: Record<string, unknown> = {}, version = 4): Buffer => generated(() => 0, version, { cmd: 'publish', topic, payload: Buffer.from('hello'), qos: 0, retain: false, dup: false, ...extra }) ?? Buffer.alloc(0);
    expect(says("$.cmd == 'publish'", pub('a'))).toBe(true);
    // A text frame is not valid MQTT over WebSocket.
    expect(says("$.cmd == 'publish'", pub('a'), undefined, 'text')).toBe(false);
    expect(says("$.cmd == 'publish'", pub('a'), undefined, 'close')).toBe(false);
    expect(says("$.cmd == 'publish'", pub('a'), undefined, 'ping')).toBe(false);
    expect(says("$.cmd == 'publish'", Buffer.concat([pub('a'), pub('b')]))).toBe(false);
    expect(says("$.cmd == 'publish'", pub('a').subarray(0, 5))).toBe(false);
    expect(says("$.cmd == 'publish'", Buffer.concat([pub('a'), Buffer.from([0x30])]))).toBe(false);
    expect(says("$.topic == 'a' && $.payload == 'hello' && $.qos == 1 && $.messageId == 9", pub('a', { qos: 1, messageId: 9 }))).toBe(true);
    // MQTT 5 read only with a decoder of version 5; a version 5 PUBLISH read as 3.1.1 has its properties in the payload.
    const withProps = pub('a', { properties: { contentType: 'application/json', userProperties: { k: ['a', 'b'] } } }, 5);
    expect(says("$.payload == 'hello' && $.properties.userProperties.k[1] == 'b'", withProps, v5)).toBe(true);
    expect(says("$.payload == 'hello'", withProps)).toBe(false);
    // An alias set: not proven unless both directions map it to that topic; used: proven for clauses not reading the topic.
    const setting = pub('t', { properties: { topicAlias: 4 } }, 5);
    const using = pub('', { properties: { topicAlias: 4 } }, 5);
    expect(says("$.cmd == 'publish'", setting, v5)).toBe(false);
    expect(says("$.cmd == 'publish'", using, v5)).toBe(true);
    expect(says("$.topic == ''", using, v5)).toBe(false);
    expect(says('$.topicFromAlias != true', using, v5)).toBe(false);
    const mapped = copyOf(v5);
    mapped.decode({ seq: 1, dir: 'in', opcode: 'binary', bytes: setting });
    expect(says("$.cmd == 'publish'", setting, mapped)).toBe(false);
    mapped.decode({ seq: 2, dir: 'out', opcode: 'binary', bytes: setting });
    expect(says("$.cmd == 'publish' && $.topic == 't'", setting, mapped)).toBe(true);
    // CONNECT is never proven; nor another protocol's decoder.
    expect(says("$.cmd == 'connect'", connectOf(4))).toBe(false);
    expect(says("$.cmd != 'x'", connectOf(5), v5)).toBe(false);
    // Pings.
    expect(says("$.cmd == 'pingreq' && $.length == 0 && $.qos == 0", rawPacket(0xc0, []))).toBe(true);
    expect(says("$.cmd == 'pingresp' && $.length == 2", rawPacket(0xd0, [1, 2]))).toBe(true);
    expect(says("$.cmd == 'pingreq'", rawPacket(0xc2, []))).toBe(false);
    expect(says('$.topic != 1 && $.payload != 1 && $.messageId != 1', rawPacket(0xc0, []))).toBe(true);
    // Odd reads are not proven; the good ones are.
    for (const [version, bytes, provable] of CRAFTED) expect(says("$.cmd != 'x'", bytes, version === 5 ? copyOf(v5) : undefined), bytes.toString('hex')).toBe(provable);
    expect(says('$.properties.subscriptionIdentifier[1] == 2', rawPacket(0x30, [0, 1, 0x61, 4, 11, 1, 11, 2, 0x68]), copyOf(v5))).toBe(true);
    expect(says("$.properties.userProperties.k == 'b'", rawPacket(0x30, [0, 1, 0x61, 13, 38, 0, 1, 0x6b, 0, 0, 38, 0, 1, 0x6b, 0, 1, 0x62, 0x68]), copyOf(v5))).toBe(true);
    // Queries no message can be proven for.
    expect(mqttMatchProof(queryOf('$[0] == 1'))).toBeUndefined();
    expect(mqttMatchProof(queryOf("$[*] == 'publish'"))).toBeUndefined();
    expect(mqttMatchProof(queryOf("$.packets[0].cmd == 'publish'"))).toBeUndefined();
    expect(mqttMatchProof(queryOf('$.returnCode == 0'))).toBeUndefined();
    // A path into JSON text: JSON.parse's value (a number past a double is Infinity), read past a byte order mark or a cut text as nothing.
    const json = (payload: string): Buffer => pub('a', { payload: Buffer.from(payload, 'utf8') });
    expect(says('$.payload.t > 5', json('{"t":1e400}'))).toBe(true);
    expect(says("$.payload.t == 'Infinity'", json('{"t":1e400}'))).toBe(false);
    expect(says("$.payload.t == 'Infinity'", json('{"t":"Infinity"}'))).toBe(true);
    expect(says('$.payload.t == 300', json('{"\\u0074":300}'))).toBe(true);
    expect(says('$.payload.s.t == 500', json('{"s":"{\\"t\\":500}"}'))).toBe(true);
    expect(says('$.payload.t == 120', json('\ufeff{"t":120}'))).toBe(false);
    expect(says('$.payload.t != 120', json('\ufeff{"t":120}'))).toBe(true);
    expect(says('$.payload.a == 1', json('{"a":1} x'))).toBe(false);
    expect(says('$.payload.a != 1', json('{"a":1} x'))).toBe(true);
    expect(says('$.payload.a == 1', json('{"a":2,"a":1}'))).toBe(true);
    // Past MAX_JSON_TEXT_CHARS the query does not read the text as JSON: the path selects nothing.
    const long = json(`{"a":1,"pad":"${'x'.repeat(100_000)}"}`);
    for (const query of ['$.payload.a == 1', '$.payload.a != 1']) expect(says(query, long), query).toBe(matched(queryOf(query), decodeWith(new MqttDecoder(), { dir: 'in', opcode: 'binary', bytes: long }, 0)));
    // Confirmations: the packet id, PUBREL's QoS 1 (its flags), MQTT 5's reason code 0.
    expect(says("$.cmd == 'pubrel' && $.messageId == 7 && $.qos == 1 && $.length == 2 && $.reasonCode != 0", rawPacket(0x62, [0, 7]))).toBe(true);
    expect(says("$.cmd == 'puback' && $.reasonCode == 0", rawPacket(0x40, [0, 7]), copyOf(v5))).toBe(true);
    expect(says('$.reasonCode == 0', rawPacket(0x40, [0, 7]))).toBe(false);
    expect(mqttMatchProof(queryOf('$.packets != 1'))).toBeDefined();
  });

  it('never throws on random bytes, cut packets or odd opcodes', () => {
    const random = seeded(99);
    const proofs = QUERIES.map(({ query }) => mqttMatchProof(query)).filter((proof) => proof !== undefined);
    const v5 = new MqttDecoder();
    v5.decode({ seq: 0, dir: 'out', opcode: 'binary', bytes: connectOf(5) });
    let calls = 0;
    for (let i = 0; i < 3000; i++) {
      let bytes = packetsOf(random, 5);
      if (random(2) === 0) bytes = bytes.subarray(0, random(bytes.length + 1));
      if (random(3) === 0) bytes = Buffer.from(Array.from({ length: random(30) }, () => pick(random, [0x00, 0x01, 0x0b, 0x23, 0x26, 0x30, 0x32, 0x80, 0xc0, 0xff, random(256)])));
      const start = random(3);
      const slab = Buffer.concat([Buffer.alloc(start, 0x30), bytes]);
      for (const proof of proofs) {
        proof(slab, start, slab.length, pick(random, ['text', 'binary', 'ping', '']), random(2) === 0 ? v5 : undefined);
        proof(slab, slab.length, slab.length, 'binary');
        calls += 2;
      }
    }
    expect(calls).toBe(3000 * 2 * proofs.length);
  });
});

/** For the sabotage check: a message the decoder reads as one PUBLISH setting a Topic Alias (read by a copy of `decoder`). */
function setsAlias(bytes: Buffer, opcode: string, decoder: unknown): boolean {
  if (!(decoder instanceof MqttDecoder) || (opcode !== 'binary' && opcode !== 'text')) return false;
  const outcome = copyOf(decoder).decode({ seq: 0, dir: 'in', opcode, bytes });
  const value = outcome?.kind === 'decoded' ? outcome.value : null;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const properties = value.properties;
  return value.cmd === 'publish' && value.topic !== '' && typeof properties === 'object' && properties !== null && !Array.isArray(properties) && typeof properties.topicAlias === 'number';
}

/** A rule-out as the query walk asks a stateful prefilter (with the decoder, no idle gate: it checks that itself). */
type RuleOut = Pick<StatefulPrefilter, 'passable'>;

/**
 * Walks `stream` for each query with `ruleOutOf`'s rule-out as the query walk asks it: a message
 * passed over, decoded by a copy of the walk's decoder, must be invalid or not matched and leave
 * the copy as it was; the walk then skips it, and every message it decodes must give what
 * decoding all gives. Counts the messages passed over.
 */
function checkRuledOut(stream: readonly Message[], queries: readonly { text: string; query: DecodedQuery }[], ruleOutOf: (query: DecodedQuery) => RuleOut | undefined, where: string, tally: Tally): void {
  const all = new MqttDecoder();
  const outcomes = stream.map((message, seq) => decodeWith(all, message, seq));
  for (const { text, query } of queries) {
    const ruleOut = ruleOutOf(query);
    if (!ruleOut) continue;
    const walker = new MqttDecoder();
    stream.forEach((message, seq) => {
      const label = (): string => `${text} on ${message.bytes.toString('hex')} (${message.opcode} ${message.dir}, ${where}, #${seq})`;
      const slab = Buffer.concat([Buffer.from([0x30, 0x05, 0x00]), message.bytes, Buffer.from([0x30, 0x03, 0x00, 0x01, 0x61])]);
      if (ruleOut.passable(walker, slab, 3, 3 + message.bytes.length, message.opcode, message.dir)) {
        tally.proven++;
        const copy = copyOf(walker);
        const before = JSON.stringify(copy.snapshot());
        if (matched(query, decodeWith(copy, message, seq))) tally.failures.push(`passed over, matched: ${label()}`);
        else if (JSON.stringify(copy.snapshot()) !== before) tally.failures.push(`passed over, decoder changed: ${label()}`);
        return;
      }
      const again = decodeWith(walker, message, seq);
      if (JSON.stringify(again) !== JSON.stringify(outcomes[seq])) tally.failures.push(`after pass-overs: ${label()}`);
    });
  }
}

/** QUERIES and queries only the rule-out reads (names no proven packet has, properties few messages have). */
const RULE_OUT_QUERIES = [
  ...QUERIES,
  ...['$.nothing == 1', "$.packets[0].cmd == 'publish'", '$.properties.topicAlias == 3', "$.properties.userProperties.src == 'x'", '$.properties.messageExpiryInterval > 1000', '$.payload.t == 121 && $.qos == 1'].map((text) => ({ text, query: queryOf(text) })),
];

function runRuledOut(rounds: number, ruleOutOf: (query: DecodedQuery) => RuleOut | undefined, queries = RULE_OUT_QUERIES): Tally {
  const random = seeded(2028);
  const tally: Tally = { proven: 0, matchedInOrder: 0, provenMatched: 0, provenFresh: 0, failures: [] };
  for (let round = 0; round < rounds; round++) checkRuledOut(streamOf(random, 150), queries, ruleOutOf, `round ${round}`, tally);
  return tally;
}

describe('MQTT rule-out (mqttRefutation)', () => {
  it('passes over only messages the decoder in the walk’s state reads as invalid or not matched, leaving it as it was', () => {
    const { proven, failures } = runRuledOut(12, (query) => mqttRefutation(query));
    expect(failures.slice(0, 5)).toEqual([]);
    expect(proven).toBeGreaterThan(20_000);
  });

  it('passes over the bench’s messages for a property few of them carry, and keeps the matches', () => {
    const messages = benchMessages(5_000);
    const query = queryOf('$.properties.topicAlias == 3');
    const ruleOut = mqttRefutation(query);
    if (!ruleOut) throw new Error('no rule-out');
    const tally: Tally = { proven: 0, matchedInOrder: 0, provenMatched: 0, provenFresh: 0, failures: [] };
    checkRuledOut(messages, [{ text: '$.properties.topicAlias == 3', query }], () => ruleOut, 'bench', tally);
    expect(tally.failures).toEqual([]);
    // The rest: packets split over two messages, PUBLISHes setting an alias, CONNECT and CONNACK.
    expect(tally.proven).toBeGreaterThan(messages.length * 0.9);
  });

  it('in the query walk over a store, with the prefilter the search takes (the rule-out beside a key rule or alone), finds what decoding every frame in order finds', () => {
    const texts = ['$.properties.topicAlias == 3', '$.properties.userProperties.src', '$.clientId =~ /c/', '$.packets[1].topic =~ /temp$/', '$.properties.contentType && $.payload.t > 300'];
    // All but the last (a payload path: MQTT's probe) take the rule-out.
    const keys = texts.map((text) => {
      const prefilter = queryPrefilter('mqtt', queryOf(text), { protobuf: 'none' });
      return prefilter?.kind === 'stateful' ? prefilter.key : '';
    });
    expect(keys.map((key) => key.includes('mqtt refutation'))).toEqual([true, true, true, true, false]);
    const random = seeded(17);
    const proofOf = (query: DecodedQuery): MatchProof => mqttMatchProof(query) ?? (() => false);
    const { differences, decoded, frames } = walkRoundsOverStore(3, () => [...streamOf(random, 400), ...benchMessages(600)], () => new MqttDecoder(), 'mqtt', texts, proofOf, false);
    expect(differences).toEqual([]);
    // Not vacuous: most frames were not decoded by the walk.
    expect(decoded / frames).toBeLessThan(0.35);
  });

  it('through the engine’s search (proof, rule-out and probe as the search takes them), finds what decoding every frame in order finds, live and once the session ended', () => {
    const random = seeded(29);
    const texts = ["$.cmd == 'publish'", '$.qos >= 0', '$.continues', '$.continues != true', '$.packets', '$.packets != 1', "$.topic == 'sensors/1/temp'", '$.properties.topicAlias > 0', '$.payload.t >= 0'];
    let changedByEnd = 0;
    for (let round = 0; round < 6; round++) {
      const messages = streamOf(random, 300);
      // The stream ends in the middle of a packet in one direction or both (no close there), or after an empty message.
      for (const dir of ['in', 'out'] as const) {
        const end = random(3);
        if (end > 0) messages.push({ dir, opcode: 'binary', bytes: publishPacket(random, 4)?.subarray(0, 3) ?? Buffer.from([0x30]) });
        if (end === 2) messages.push({ dir, opcode: 'binary', bytes: Buffer.alloc(0) });
      }
      const filters = texts.map((query) => ({ query }));
      const live = compareSearches(messages, 'mqtt', 'ws://h/mqtt', () => new MqttDecoder(), filters);
      const ended = compareSearches(messages, 'mqtt', 'ws://h/mqtt', () => new MqttDecoder(), filters, undefined, undefined, true);
      for (const { label, expected, got } of [...live, ...ended.map((r) => ({ ...r, label: `ended: ${r.label}` }))]) expect(got, `round ${round} ${label}`).toEqual(expected);
      changedByEnd += live.filter((r, k) => JSON.stringify(r.expected) !== JSON.stringify(ended[k]?.expected)).length;
    }
    expect(changedByEnd).toBeGreaterThan(0);
  });

  it('reads one property alone as building all the properties reads it', () => {
    const queries = ['$.properties.topicAlias > 0', '$.properties.topicAlias != 3', "$.properties.contentType == 'application/json'", '$.properties.payloadFormatIndicator == true', '$.properties.messageExpiryInterval >= 60', "$.properties.responseTopic =~ /r/"].map((text) => ({ text, query: queryOf(text) }));
    const alone = runRuledOut(10, (query) => mqttRefutation(query), queries);
    const built = runRuledOut(10, (query) => mqttRefutation(query, { ...MQTT_REFUTATION_RULES, singleProperties: false }), queries);
    expect(alone.failures).toEqual([]);
    expect(alone.proven).toBe(built.proven);
    expect(alone.proven).toBeGreaterThan(3_000);
  });

  it('the checker catches a rule-out without its alias or idle rule, or one that passes over what it does not know', () => {
    const noAliases = runRuledOut(6, (query) => mqttRefutation(query, { ...MQTT_REFUTATION_RULES, aliases: false }), [{ text: "$.cmd != 'publish'", query: queryOf("$.cmd != 'publish'") }]);
    expect(noAliases.failures.some((failure) => failure.startsWith('passed over, decoder changed') || failure.startsWith('after pass-overs'))).toBe(true);
    const notIdle = runRuledOut(6, (query) => mqttRefutation(query, { ...MQTT_REFUTATION_RULES, idle: false }), [{ text: "$.cmd != 'publish'", query: queryOf("$.cmd != 'publish'") }]);
    expect(notIdle.failures.length).toBeGreaterThan(0);
    // Passing over what the reading does not know too.
    const unknown = runRuledOut(6, (query) => mqttRefutation(query, { ...MQTT_REFUTATION_RULES, onlyFails: false }), [{ text: "$.topic == 'sensors/1/temp'", query: queryOf("$.topic == 'sensors/1/temp'") }]);
    expect(unknown.failures.length).toBeGreaterThan(0);
  });

  it('the checker catches a rule-out that passes over every text frame (one in the middle of a packet cuts it short) or every close', () => {
    const query = queryOf("$.cmd != 'publish'");
    const withPassed = (passed: string) => (q: DecodedQuery): RuleOut | undefined => {
      const real = mqttRefutation(q);
      return real && { passable: (decoder, slab, start, end, opcode, dir, holds) => opcode === passed || real.passable(decoder, slab, start, end, opcode, dir, holds) };
    };
    const texts = runRuledOut(6, withPassed('text'), [{ text: "$.cmd != 'publish'", query }]);
    expect(texts.failures.some((failure) => failure.startsWith('passed over, decoder changed') && failure.includes('(text '))).toBe(true);
    // Closes change nothing: passing over all of them is exact (stateful-prefilter.ts does).
    const closes = runRuledOut(6, withPassed('close'), [{ text: "$.cmd != 'publish'", query }]);
    expect(closes.failures).toEqual([]);
  });
});
