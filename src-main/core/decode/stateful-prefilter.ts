/**
 * Raw prefilters for protocols whose messages do not decode alone (raw-prefilter.ts has the ones
 * that do): whether a message can be passed over undecoded is asked of the walk's own decoder,
 * in seq order, so what earlier messages set is known. A message is passed over only when
 * it holds none of the needles (bytes found once per slab) and `passable` says that decoding it
 * would leave the decoder exactly as it is and could not give the wanted value. What one walk
 * passed over says nothing about another value (the value may come from state, not from the
 * bytes), so each wanted value has its own walk (prefilter-walk.ts, `key`).
 *
 * MQTT (topic): the decoder's parser for the direction holds no part of a packet; the message is
 * whole packets, by each fixed header's remaining length, none a CONNECT (it sets the version);
 * under MQTT 5 a PUBLISH with a topic has no Topic Alias property byte (0x23) in its property
 * bytes (it would set an alias), and one with an empty topic none with an alias that stands for
 * the wanted topic in that direction. The needle is the topic as packets write it, its length in
 * two bytes then its UTF-8: a topic read from a packet (PUBLISH, SUBSCRIBE, UNSUBSCRIBE) is those bytes. A packet that is not valid makes the message
 * invalid (no fields) and its parser starts afresh: still as before.
 * GraphQL over WebSocket (operation): no backslash (JSON strings are then their bytes), none of
 * the message types that change the decoder's operations (`"subscribe"`, `"start"`, `"complete"`,
 * `"error"`, `"stop"`), not the operation's name together with a key it is read from
 * (`"operationName"`, `"query"`, `"operation"`: a result's data may hold the name of an anonymous
 * operation's field, `prices`) and no id the decoder remembers for an operation of that name as
 * a JSON string (`"7"`):
 * a result is named after its id's subscribe. All are found once per slab (the ids when first
 * asked: `holds`); past FEW_NAMED_IDS ids, the message's strings are looked up among them instead.
 * SignalR (event: an invocation's target): a text message in a direction whose handshake was
 * read and that keeps nothing of a record, ending with the record separator 0x1E (whole records:
 * read as hub messages, nothing kept), with no backslash (a needle) and not the target as a
 * JSON string (a needle: `"Send"`, not the `Send` in `"Sender"`). A binary message (the
 * MessagePack hub protocol) in such a direction: not starting with `{` (a JSON handshake), whole
 * hub messages by their varint length prefixes, ending at the message's end (nothing kept), and
 * not holding the target's UTF-8 (a MessagePack string is its UTF-8 bytes; bad UTF-8 reads as
 * U+FFFD, which exactInUtf8 excludes; a target is always a string, never a converted number).
 */
import type { StreamDecoder, WireFrame } from './decoded-frame';
import type { FieldName } from './decoded-key-index';
import { GraphqlWsDecoder } from './graphql-ws-decoder';
import { MqttDecoder } from './mqtt-decoder';
import { SignalRDecoder } from './signalr-decoder';
import { SocketIoDecoder } from './socketio-decoder';
import { socketIoSetsNamespaces } from './socketio-namespaces';
import { exactInUtf8, type HoldsBytes } from './raw-prefilter';
import { ABSENT, CONTAINER, UNSURE, type Probed } from './value-probe';
import { isUtf8 } from 'node:buffer';
import { jsonTextNeedles } from './json-text-needles';
import { msgpackBytesFree } from './msgpack-bytes-free';

export interface StatefulPrefilter {
  readonly kind: 'stateful';
  /** The walk is per key (the protocol and the wanted values). */
  readonly key: string;
  /** A message holding one of these is decoded. */
  readonly needles: readonly Buffer[];
  /** See the file comment; the message holds none of the needles. `holds` as in raw-prefilter.ts. */
  passable(decoder: StreamDecoder, slab: Buffer, start: number, end: number, opcode: string, dir: WireFrame['dir'], holds?: HoldsBytes): boolean;
}

const MQTT_CONNECT = 1;
const MQTT_CONNACK = 2;
const MQTT_DISCONNECT = 14;
const MQTT_AUTH = 15;
const MQTT_PUBLISH = 3;
const MQTT_TOPIC_ALIAS = 0x23;
/** Up to this many GraphQL ids named after the operation are looked for as needles; more, by the message's strings. */
const FEW_NAMED_IDS = 4;
const QUOTE = 0x22;

/** A variable byte integer at `at` (at most 4 bytes, all before `end`): [value, bytes], or undefined. */
function varint(slab: Buffer, at: number, end: number): [number, number] | undefined {
  let value = 0;
  let mul = 1;
  for (let i = 0; i < 4 && at + i < end; i++) {
    const byte = slab[at + i] ?? 0;
    value += (byte & 0x7f) * mul;
    if ((byte & 0x80) === 0) return [value, i + 1];
    mul *= 0x80;
  }
  return undefined;
}

/** Whether `needle` lies wholly inside [start, end). */
export function holdsBytes(slab: Buffer, start: number, end: number, needle: Buffer): boolean {
  const first = needle[0];
  const last = end - needle.length;
  outer: for (let at = start; at <= last; at++) {
    if (slab[at] !== first) continue;
    for (let k = 1; k < needle.length; k++) if (slab[at + k] !== needle[k]) continue outer;
    return true;
  }
  return false;
}

/** A topic as packets carry it: its UTF-8 length in two bytes, then its UTF-8 (so a/b is not found in a/bc). */
function mqttString(topic: string): Buffer {
  const bytes = Buffer.from(topic, 'utf8');
  const length = Buffer.alloc(2);
  length.writeUInt16BE(Math.min(bytes.length, 0xffff));
  return Buffer.concat([length, bytes]);
}

/** MQTT: see the file comment. `topic` undefined: for a string that is not a topic (aliases used then change nothing). */
function mqttPassable(topic: string | undefined, decoder: StreamDecoder, slab: Buffer, start: number, end: number, opcode: string, dir: WireFrame['dir']): boolean {
  if (opcode !== 'text' && opcode !== 'binary') return true; // a control frame matches nothing and changes no decoder
  if (!(decoder instanceof MqttDecoder) || !decoder.idle(dir)) return false;
  const v5 = decoder.protocolVersion === 5;
  const aliases = v5 && topic !== undefined ? decoder.aliasesOf(dir, topic) : undefined;
  for (let at = start; at < end; ) {
    const header = slab[at] ?? 0;
    const type = header >> 4;
    if (type === MQTT_CONNECT) return false;
    const length = varint(slab, at + 1, end);
    if (!length) return false;
    const body = at + 1 + length[1];
    const bodyEnd = body + length[0];
    if (bodyEnd > end) return false;
    if (type === MQTT_PUBLISH && v5 && !publishKeepsAliases(slab, header, body, bodyEnd, end, aliases)) return false;
    at = bodyEnd;
  }
  return true;
}

/**
 * An MQTT 5 PUBLISH at [body, bodyEnd): a topic and no Topic Alias property, or no topic and no
 * alias among `aliases`. Property bytes are read as mqtt-packet reads them: from after the topic
 * and packet id, for the property length's count, up to the message's end (not the packet's).
 */
function publishKeepsAliases(slab: Buffer, header: number, body: number, bodyEnd: number, end: number, aliases: ReadonlySet<number> | undefined): boolean {
  if (body + 2 > bodyEnd) return false;
  const topicLength = ((slab[body] ?? 0) << 8) | (slab[body + 1] ?? 0);
  const qos = (header >> 1) & 3;
  const properties = body + 2 + topicLength + (qos > 0 ? 2 : 0);
  if (properties >= bodyEnd) return false;
  const length = varint(slab, properties, end);
  if (!length) return false;
  const from = properties + length[1];
  const to = Math.min(from + length[0], end);
  for (let at = from; at < to; at++) {
    if (slab[at] !== MQTT_TOPIC_ALIAS) continue;
    if (topicLength > 0 || at + 2 >= end) return false;
    const alias = ((slab[at + 1] ?? 0) << 8) | (slab[at + 2] ?? 0);
    if (aliases?.has(alias) === true) return false;
  }
  return true;
}

const BACKSLASH = Buffer.from('\\', 'latin1');
/** The message types that change the decoder's operations, as JSON strings. */
const GRAPHQL_STATE_TYPES = ['"subscribe"', '"start"', '"stop"', '"complete"', '"error"'].map((type) => Buffer.from(type, 'latin1'));
/** The keys decoded-fields.ts reads an operation from (besides the decoder's own `operation`), as JSON strings. */
const GRAPHQL_OPERATION_KEYS = ['"operationName"', '"query"', '"operation"'].map((key) => Buffer.from(key, 'latin1'));

/** GraphQL: see the file comment. */
function graphqlPrefilter(operation: string): StatefulPrefilter {
  /** An id as the bytes of its JSON string; null for one bad UTF-8 also reads as (U+FFFD): no bytes prove its absence. */
  const idNeedles = new Map<string, Buffer | null>();
  const idNeedle = (id: string): Buffer | null => {
    let needle = idNeedles.get(id);
    if (needle === undefined) {
      needle = exactInUtf8(id) ? Buffer.from(JSON.stringify(id), 'utf8') : null;
      if (idNeedles.size > 1000) idNeedles.clear();
      idNeedles.set(id, needle);
    }
    return needle;
  };
  const name = Buffer.from(operation, 'utf8');
  /** Many ids: their bytes by length, made again when the decoder's names move; null: one has no exact bytes. */
  let table: { version: number; decoder: GraphqlWsDecoder; byLength: Map<number, Buffer[]> | null } | undefined;
  const idTable = (decoder: GraphqlWsDecoder, ids: ReadonlySet<string>): Map<number, Buffer[]> | null => {
    if (table?.decoder === decoder && table.version === decoder.namesVersion) return table.byLength;
    let byLength: Map<number, Buffer[]> | null = new Map();
    for (const id of ids) {
      if (!exactInUtf8(id) || /["\\\u0000-\u001f]/.test(id)) {
        byLength = null; // bad UTF-8 reads as U+FFFD too; an escaped id never is its bytes
        break;
      }
      const bytes = Buffer.from(id, 'utf8');
      const same = byLength.get(bytes.length);
      if (same) same.push(bytes);
      else byLength.set(bytes.length, [bytes]);
    }
    table = { version: decoder.namesVersion, decoder, byLength };
    return byLength;
  };
  return {
    kind: 'stateful',
    key: `graphql-ws\u0000${operation}`,
    needles: [BACKSLASH, ...GRAPHQL_STATE_TYPES],
    passable(decoder, slab, start, end, opcode, _dir, holds) {
      if (opcode !== 'text') return true; // binary: invalid; a control frame matches nothing and changes no decoder
      if (!(decoder instanceof GraphqlWsDecoder)) return false;
      const inside = holds ?? ((bytes: Buffer) => holdsBytes(slab, start, end, bytes));
      // The name from the message itself: its bytes and a key it is read from (a result's data
      // often holds the name of an anonymous operation's field, without such a key).
      if (inside(name, start, end) && GRAPHQL_OPERATION_KEYS.some((key) => inside(key, start, end))) return false;
      const ids = decoder.idsNamed(operation);
      if (!ids) return true;
      if (ids.size > FEW_NAMED_IDS) {
        const table = idTable(decoder, ids);
        return table !== null && !holdsStringOf(slab, start, end, table);
      }
      for (const id of ids) {
        const needle = idNeedle(id);
        if (needle === null || inside(needle, start, end)) return false;
      }
      return true;
    },
  };
}

/**
 * Whether a JSON string of the message (no backslash in it: the walk decoded those) is one of
 * `byLength`'s: without escapes quotes pair up, each pair a string's bytes. A message that is
 * not JSON may pair them wrongly, but it decodes to nothing and changes nothing.
 */
function holdsStringOf(slab: Buffer, start: number, end: number, byLength: ReadonlyMap<number, readonly Buffer[]>): boolean {
  let open = -1;
  for (let at = start; at < end; at++) {
    if (slab[at] !== QUOTE) continue;
    if (open < 0) {
      open = at;
      continue;
    }
    const candidates = byLength.get(at - open - 1);
    if (candidates) for (const id of candidates) if (bytesEqual(slab, open + 1, id)) return true;
    open = -1;
  }
  return false;
}

function bytesEqual(slab: Buffer, at: number, bytes: Buffer): boolean {
  for (let k = 0; k < bytes.length; k++) if (slab[at + k] !== bytes[k]) return false;
  return true;
}

const RECORD_SEPARATOR = 0x1e;

const OPEN_BRACE = 0x7b;

/**
 * Whether [start, end) is whole MessagePack hub messages: varint length prefixes (at most 5
 * bytes) chained to the end; with `each`, every message's body [from, to) passes it too.
 */
function wholeHubMessages(slab: Buffer, start: number, end: number, each?: (from: number, to: number) => boolean): boolean {
  let at = start;
  while (at < end) {
    let length = 0;
    let i = 0;
    for (; i < 5; i++) {
      const byte = slab[at + i];
      if (byte === undefined || at + i >= end) return false;
      length += (byte & 0x7f) * 2 ** (7 * i);
      if ((byte & 0x80) === 0) break;
    }
    const body = at + i + 1;
    if (i === 5 || body + length > end || (each !== undefined && !each(body, body + length))) return false;
    at = body + length;
  }
  return at === end;
}

/** SignalR: see the file comment. `target` is the target's UTF-8 (for binary messages). */
function signalrPassable(decoder: StreamDecoder, slab: Buffer, start: number, end: number, opcode: string, dir: WireFrame['dir'], target: Buffer, holds: HoldsBytes): boolean {
  if (opcode !== 'text' && opcode !== 'binary') return true; // a control frame matches nothing and changes no decoder
  if (!(decoder instanceof SignalRDecoder) || !decoder.between(dir)) return false;
  if (opcode === 'text') return slab[end - 1] === RECORD_SEPARATOR;
  return slab[start] !== OPEN_BRACE && wholeHubMessages(slab, start, end) && !holds(target, start, end);
}

/**
 * MQTT, for a string a packet carries other than a topic (a query's `$.payload == 'on'`,
 * `$.properties.userProperties.k`, `$.payload.sym` in a payload of JSON text): mqtt-packet reads
 * strings as UTF-8 and the decoder shows a PUBLISH payload as its text, so a message of whole
 * packets (no CONNECT, no alias set: as for a topic) without the literal's UTF-8, and without an
 * escape JSON text may write it with (json-text-needles.ts), cannot hold it. Topics are not: an
 * aliased PUBLISH shows the topic its alias stands for.
 */
export function mqttStringPrefilter(literal: string): StatefulPrefilter {
  return {
    kind: 'stateful',
    key: `mqtt string\u0000${literal}`,
    needles: jsonTextNeedles(literal),
    passable: (decoder, slab, start, end, opcode, dir) => mqttPassable(undefined, decoder, slab, start, end, opcode, dir),
  };
}

/**
 * GraphQL over WebSocket, for a string anywhere in a message's own JSON (a query's
 * `$.payload.data.… == 'text'`; not under `operation`, which the decoder sets): a text message
 * without a backslash (its JSON strings are then their bytes between quotes), without the
 * literal as a JSON string and without the message types that change the decoder's operations
 * (the same needles as for an operation) cannot hold it, and decoding it changes nothing.
 * Binary messages are invalid. `literal` must be written in JSON without escapes.
 */
export function graphqlStringPrefilter(literal: string): StatefulPrefilter {
  return {
    kind: 'stateful',
    key: `graphql-ws string\u0000${literal}`,
    needles: [Buffer.from(`"${literal}"`, 'utf8'), BACKSLASH, ...GRAPHQL_STATE_TYPES],
    passable: (decoder, _slab, _start, _end, opcode) => opcode !== 'text' || decoder instanceof GraphqlWsDecoder,
  };
}

/**
 * MQTT, for a key a query's path needs that is not one mqtt-packet or the decoder writes
 * (query-keys.ts): a User Property's name, which mqtt-packet reads as UTF-8 after its length in
 * two bytes, or a key of JSON text in a string the packet carries (a payload, a property's
 * value: shared/decoded-query.ts reads on into it), which is its UTF-8 unless escaped. So a
 * message of whole packets that sets nothing (as for a string: mqttPassable) without the name's
 * UTF-8 and without an escape that may stand for one of its characters (json-text-needles.ts)
 * has no such key.
 */
export function mqttUserPropertyPrefilter(name: string): StatefulPrefilter | undefined {
  if (!exactInUtf8(name) || Buffer.byteLength(name, 'utf8') > 0xffff) return undefined;
  return {
    kind: 'stateful',
    key: `mqtt key\u0000${name}`,
    needles: jsonTextNeedles(name),
    passable: (decoder, slab, start, end, opcode, dir) => mqttPassable(undefined, decoder, slab, start, end, opcode, dir),
  };
}

const SOCKETIO_MESSAGE = 0x34; // '4': an Engine.IO message
const SOCKETIO_BINARY_EVENT = 0x35;
const SOCKETIO_BINARY_ACK = 0x36;

/**
 * Socket.IO, for a key of the JSON a message carries (query-keys.ts: not one the decoder writes).
 * The walk's decoder must keep nothing for the direction (no binary event waiting for its
 * attachments: an attachment would show the event its header's JSON named). Then a binary message
 * is not valid and changes nothing; a text message that is not a binary event's or ack's header
 * (`45…`, `46…`, which start one) decodes alone, leaves the decoder as it was (a packet
 * socket.io-parser refuses starts its direction afresh, the same as idle), and its keys are
 * those of its JSON (the event's arguments, a packet's data, the open handshake), which without a
 * backslash are their bytes between quotes (needles: the key as a JSON string, a backslash).
 * `key` must be written in JSON without escapes.
 */
export function socketIoKeyPrefilter(key: string): StatefulPrefilter | undefined {
  if (!exactInUtf8(key) || JSON.stringify(key) !== `"${key}"`) return undefined;
  return {
    kind: 'stateful',
    key: `socketio key\u0000${key}`,
    needles: [Buffer.from(`"${key}"`, 'utf8'), BACKSLASH],
    passable: (decoder, slab, start, end, opcode, dir) => socketIoAlone(decoder, slab, start, end, opcode, dir) !== 'decode',
  };
}

/**
 * Socket.IO, a rule read from a text message's own bytes (socketio-probe.ts): in a direction
 * keeping nothing, a text message that is not a binary header and has no backslash (a needle)
 * decodes alone and changes nothing (as for a key), and is passed over when `rulesOut` says so.
 */
export function socketIoTextPrefilter(key: string, rulesOut: (slab: Buffer, start: number, end: number) => boolean): StatefulPrefilter {
  return {
    kind: 'stateful',
    key,
    needles: [BACKSLASH],
    passable(decoder, slab, start, end, opcode, dir) {
      const alone = socketIoAlone(decoder, slab, start, end, opcode, dir);
      return alone === 'pass' || (alone === 'text' && rulesOut(slab, start, end));
    },
  };
}

/**
 * A message as socketIoKeyPrefilter's file comment reads it: `pass` (a control frame, or a
 * binary message with no binary event before it: not valid), `text` (decodes alone, leaving the
 * decoder as it was), `decode` (the direction keeps a binary event, or a binary header, or a
 * message that may change the namespaces connected: socketio-namespaces.ts).
 */
function socketIoAlone(decoder: StreamDecoder, slab: Buffer, start: number, end: number, opcode: string, dir: WireFrame['dir']): 'pass' | 'text' | 'decode' {
  if (opcode !== 'text' && opcode !== 'binary') return 'pass'; // a control frame matches nothing and changes no decoder
  if (!(decoder instanceof SocketIoDecoder) || !decoder.idle(dir)) return 'decode';
  if (opcode === 'binary') return 'pass';
  // The open, CONNECT, DISCONNECT and CONNECT_ERROR change which namespaces the decoder knows connected.
  if (socketIoSetsNamespaces(slab, start, end)) return 'decode';
  return end - start >= 2 && slab[start] === SOCKETIO_MESSAGE && (slab[start + 1] === SOCKETIO_BINARY_EVENT || slab[start + 1] === SOCKETIO_BINARY_ACK) ? 'decode' : 'text';
}

/**
 * GraphQL over WebSocket, a rule read from a message's own JSON (graphql-probe.ts): a text
 * message without a backslash and without a type that changes the decoder's operations (the
 * needles) leaves the decoder as it was, and is passed over when `rulesOut` says its JSON
 * (the slab's bytes [start, end); `holds` says whether they hold some bytes, found once per slab) cannot match. Binary messages are not valid; a control frame matches nothing and changes no decoder (a close that cuts a frame short is only not valid).
 */
export function graphqlStatePrefilter(key: string, rulesOut: (slab: Buffer, start: number, end: number, holds: HoldsBytes) => boolean): StatefulPrefilter {
  return {
    kind: 'stateful',
    key,
    needles: [BACKSLASH, ...GRAPHQL_STATE_TYPES],
    passable(decoder, slab, start, end, opcode, _dir, holds) {
      if (opcode !== 'text') return true;
      return decoder instanceof GraphqlWsDecoder && rulesOut(slab, start, end, holds ?? holdsIn(slab));
    },
  };
}

/** `holds` for a slab without the scan's hit lists (a caller that has none). */
function holdsIn(slab: Buffer): HoldsBytes {
  return (bytes, from, to) => holdsBytes(slab, from, to, bytes);
}

/** MQTT 5 property codes and how mqtt-packet 9 reads each (constants.js propertiesCodes, propertiesTypes; the test compares). */
export const MQTT_PROPERTY_TYPES: Readonly<Record<number, 'byte' | 'int8' | 'int16' | 'int32' | 'var' | 'string' | 'pair' | 'binary'>> = {
  1: 'byte', 2: 'int32', 3: 'string', 8: 'string', 9: 'binary', 11: 'var', 17: 'int32', 18: 'string', 19: 'int16', 21: 'string', 22: 'binary', 23: 'byte', 24: 'int32', 25: 'byte',
  26: 'string', 28: 'string', 31: 'string', 33: 'int16', 34: 'int16', 35: 'int16', 36: 'int8', 37: 'byte', 38: 'pair', 39: 'int32', 40: 'byte', 41: 'byte', 42: 'byte',
};

/** A two-byte length at `at`. */
function twoBytes(slab: Buffer, at: number): number {
  return ((slab[at] ?? 0) << 8) | (slab[at + 1] ?? 0);
}

/** Where MQTT 5 properties [from, to) end when read one by one as mqtt-packet reads them; undefined when that is not exactly `to`. */
function propertiesEnd(slab: Buffer, from: number, to: number): number | undefined {
  let at = from;
  while (at < to) {
    const type = MQTT_PROPERTY_TYPES[slab[at] ?? 0];
    at++;
    if (type === 'byte' || type === 'int8') at += 1;
    else if (type === 'int16') at += 2;
    else if (type === 'int32') at += 4;
    else if (type === 'var') {
      const length = varint(slab, at, to);
      if (!length) return undefined;
      at += length[1];
    } else if (type === 'string' || type === 'binary') at += 2 + twoBytes(slab, at);
    else if (type === 'pair') {
      at += 2 + twoBytes(slab, at);
      at += 2 + twoBytes(slab, at);
    } else return undefined;
  }
  return at === to ? at : undefined;
}

/** The top-level fields of an MQTT packet's value a probe reads from the bytes (mqtt-probe.ts). */
export type MqttProbedField = 'payload' | 'cmd' | 'qos' | 'retain' | 'dup' | 'length' | 'messageId' | 'topic' | 'reasonCode' | 'returnCode';

/** mqtt-packet 9's packet names by type (constants.js types; the test compares). */
export const MQTT_PACKET_NAMES: readonly string[] = ['reserved', 'connect', 'connack', 'publish', 'puback', 'pubrec', 'pubrel', 'pubcomp', 'subscribe', 'suback', 'unsubscribe', 'unsuback', 'pingreq', 'pingresp', 'disconnect', 'auth'];

/**
 * What `$.<field>` selects in the value of an MQTT message of whole packets at [start, end)
 * (mqttPassable's): nothing for several packets ({packets}) or none ({continues}). Of one packet:
 * `cmd`, `retain`, `qos`, `dup` as mqtt-packet's header parse sets them for every packet (the
 * first byte), `length` its remaining length; `payload` a PUBLISH's as textOrBytes shows it (its
 * text when it is UTF-8, else bytes: an object), none for another packet (mqtt-decoder.ts leaves
 * out the payload: null mqtt-packet gives every packet); `messageId`, `topic` and `reasonCode` as
 * mqttMessageId, mqttTopic and mqttReasonCode read them, `returnCode` an MQTT 3.1.1 CONNACK's.
 * UNSURE where the bytes are not read as mqtt-packet would. A packet mqtt-packet refuses (flags,
 * QoS 3) is not valid: any answer is right for it.
 */
function mqttFieldValue(slab: Buffer, start: number, end: number, v5: boolean, field: MqttProbedField): Probed {
  if (start >= end) return ABSENT;
  const header = slab[start] ?? 0;
  const length = varint(slab, start + 1, end);
  if (!length) return UNSURE;
  const body = start + 1 + length[1];
  const bodyEnd = body + length[0];
  if (bodyEnd !== end) return bodyEnd < end ? ABSENT : UNSURE;
  switch (field) {
    case 'cmd':
      return MQTT_PACKET_NAMES[header >> 4] ?? UNSURE;
    case 'qos':
      return (header >> 1) & 3;
    case 'retain':
      return (header & 1) !== 0;
    case 'dup':
      return (header & 8) !== 0;
    case 'length':
      return length[0];
    case 'payload':
      return publishPayload(slab, header, body, bodyEnd, v5);
    case 'messageId':
      return mqttMessageId(slab, header, body, bodyEnd);
    case 'topic':
      return mqttTopic(slab, header, body, bodyEnd, v5);
    case 'reasonCode':
      return v5 ? mqttReasonCode(slab, header >> 4, body, bodyEnd) : ABSENT;
    case 'returnCode':
      // MQTT 3.1.1's CONNACK: flags, then the code; shorter, the parser stops before setting it.
      return !v5 && header >> 4 === MQTT_CONNACK && bodyEnd - body >= 2 ? (slab[body + 1] ?? 0) : ABSENT;
  }
}

/**
 * An MQTT 5 packet's `reasonCode` as mqtt-packet 9's parser sets it (MQTT 3.1.1 has none): a
 * CONNACK's after its flags (0 with only the flags, none without them), PUBACK to PUBCOMP's after
 * the packet id (0 for a length of 2 or less), DISCONNECT's and AUTH's first (DISCONNECT: 0 when
 * empty; an empty AUTH is refused). Other packets have none. A code the parser refuses makes the
 * packet invalid, so any answer is right for it.
 */
function mqttReasonCode(slab: Buffer, type: number, body: number, bodyEnd: number): Probed {
  const length = bodyEnd - body;
  if (type === MQTT_CONNACK) return length < 1 ? ABSENT : length >= 2 ? (slab[body + 1] ?? 0) : 0;
  if (type >= 4 && type <= 7) return length > 2 ? (slab[body + 2] ?? 0) : 0;
  if (type === MQTT_DISCONNECT) return length > 0 ? (slab[body] ?? 0) : 0;
  if (type === MQTT_AUTH) return length > 0 ? (slab[body] ?? 0) : UNSURE;
  return ABSENT;
}

/** The packet types whose body starts with the packet id (PUBACK to UNSUBACK: parser.js reads it first). */
const MQTT_ID_FIRST = new Set([4, 5, 6, 7, 8, 9, 10, 11]);

/**
 * A packet's `messageId` as mqtt-packet 9's parser sets it: a PUBLISH of QoS 1 or 2 after its
 * topic, PUBACK to UNSUBACK first in the body, two bytes; no other packet has one (a QoS 0
 * PUBLISH, CONNACK, PINGREQ, PINGRESP, DISCONNECT, AUTH: ABSENT). With fewer than two bytes left
 * the parser reads -1 and may go on (a PUBACK of length 0): UNSURE, decoded.
 */
function mqttMessageId(slab: Buffer, header: number, body: number, bodyEnd: number): Probed {
  const type = header >> 4;
  let at = body;
  if (type === MQTT_PUBLISH) {
    if (((header >> 1) & 3) === 0) return ABSENT;
    if (body + 2 > bodyEnd) return UNSURE;
    at = body + 2 + twoBytes(slab, body);
  } else if (!MQTT_ID_FIRST.has(type)) return ABSENT;
  return at + 2 <= bodyEnd ? twoBytes(slab, at) : UNSURE;
}

/**
 * A packet's `topic`: a PUBLISH's as mqtt-packet reads it (its UTF-8 read leniently, as Buffer's
 * toString does), none for every other packet (mqtt-decoder.ts leaves out the topic: null every
 * mqtt-packet packet starts with). Under MQTT 5
 * an empty topic may stand for an alias's (the decoder shows that one): UNSURE; a PUBLISH with a
 * topic in a message mqttPassable takes has no Topic Alias property, so it shows its own.
 */
function mqttTopic(slab: Buffer, header: number, body: number, bodyEnd: number, v5: boolean): Probed {
  if (header >> 4 !== MQTT_PUBLISH) return ABSENT;
  if (body + 2 > bodyEnd) return UNSURE;
  const length = twoBytes(slab, body);
  if (body + 2 + length > bodyEnd || (v5 && length === 0)) return UNSURE;
  return slab.toString('utf8', body + 2, body + 2 + length);
}

/** A packet's `payload` (see mqttFieldValue). */
function publishPayload(slab: Buffer, header: number, body: number, bodyEnd: number, v5: boolean): Probed {
  if (header >> 4 !== MQTT_PUBLISH) return ABSENT;
  if (body + 2 > bodyEnd) return UNSURE;
  let payload = body + 2 + twoBytes(slab, body) + (((header >> 1) & 3) > 0 ? 2 : 0);
  if (v5) {
    const properties = varint(slab, payload, bodyEnd);
    if (!properties) return UNSURE;
    const from = payload + properties[1];
    const to = propertiesEnd(slab, from, from + properties[0]);
    if (to === undefined) return UNSURE;
    payload = to;
  }
  if (payload > bodyEnd) return UNSURE;
  // As textOrBytes: bad UTF-8 always reads as U+FFFD, so text without one is the payload's.
  const text = slab.toString('utf8', payload, bodyEnd);
  return !text.includes('\ufffd') || isUtf8(slab.subarray(payload, bodyEnd)) ? text : CONTAINER;
}

/**
 * MQTT, top-level fields read from the bytes (mqtt-probe.ts): a message mqttPassable takes
 * (whole packets, none a CONNECT or setting an alias) is passed over when `rulesOut` says what
 * the fields select there (`read`, mqttFieldValue) cannot match.
 */
export function mqttFieldPrefilter(key: string, rulesOut: (read: (field: MqttProbedField) => Probed) => boolean): StatefulPrefilter {
  return {
    kind: 'stateful',
    key,
    needles: [],
    passable(decoder, slab, start, end, opcode, dir) {
      if (opcode !== 'text' && opcode !== 'binary') return true; // a control frame matches nothing and changes no decoder
      if (!mqttPassable(undefined, decoder, slab, start, end, opcode, dir) || !(decoder instanceof MqttDecoder)) return false;
      const v5 = decoder.protocolVersion === 5;
      return rulesOut((field) => mqttFieldValue(slab, start, end, v5, field));
    },
  };
}

/**
 * Whether [start, end) is whole MessagePack hub messages (as wholeHubMessages reads them) each
 * one MessagePack value without bin or ext heads (msgpack-bytes-free.ts): msgpackr reads no
 * Buffer and no extension from them, so their records hold no `$bytes` or `$ext`.
 */
function bytesFreeHubMessages(slab: Buffer, start: number, end: number): boolean {
  return wholeHubMessages(slab, start, end, (from, to) => msgpackBytesFree(slab, from, to));
}

/**
 * SignalR, a string of a record a query's `[*]` may reach in MessagePack as `$bytes`' Base64 (a
 * literal that may be Base64: query-prefilter.ts): the target rule for text messages (JSON
 * records hold no bytes), and for binary messages whose hub messages hold no byte strings
 * (bytesFreeHubMessages); other binary messages are decoded.
 */
export function signalrBytesFreeStringPrefilter(literal: string): StatefulPrefilter | undefined {
  const rule = statefulPrefilter('signalr', { events: literal });
  if (!rule) return undefined;
  return {
    ...rule,
    key: `signalr bytes-free\u0000${literal}`,
    passable: (decoder, slab, start, end, opcode, dir, holds) =>
      rule.passable(decoder, slab, start, end, opcode, dir, holds) && (opcode !== 'binary' || bytesFreeHubMessages(slab, start, end)),
  };
}

/** The stateful prefilter for these wanted fields in this protocol, or undefined. */
export function statefulPrefilter(protocol: string, wanted: Partial<Record<FieldName, string>>): StatefulPrefilter | undefined {
  if (protocol === 'mqtt') {
    const topic = wanted.topics;
    if (topic === undefined || !exactInUtf8(topic)) return undefined;
    return {
      kind: 'stateful',
      key: `mqtt\u0000${topic}`,
      needles: [mqttString(topic)],
      passable: (decoder, slab, start, end, opcode, dir) => mqttPassable(topic, decoder, slab, start, end, opcode, dir),
    };
  }
  if (protocol === 'signalr') {
    const target = wanted.events;
    if (target === undefined || !exactInUtf8(target)) return undefined;
    const targetBytes = Buffer.from(target, 'utf8');
    return {
      kind: 'stateful',
      key: `signalr\u0000${target}`,
      // The target (or an event) is a JSON string: without a backslash, its bytes between quotes.
      needles: [Buffer.from(`"${target}"`, 'utf8'), BACKSLASH],
      passable: (decoder, slab, start, end, opcode, dir, holds) =>
        end > start && signalrPassable(decoder, slab, start, end, opcode, dir, targetBytes, holds ?? ((bytes, from, to) => holdsBytes(slab, from, to, bytes))),
    };
  }
  if (protocol === 'graphql-ws') {
    const operation = wanted.operations;
    if (operation === undefined || !exactInUtf8(operation)) return undefined;
    return graphqlPrefilter(operation);
  }
  return undefined;
}
