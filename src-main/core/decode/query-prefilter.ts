/**
 * A prefilter for a JSONPath query search (issue 14): the query's in-order walk
 * (in-order-match-walk.ts) passes over, undecoded, a frame that the prefilter's rule says
 * cannot match and leaves the decoder as it was (prefilter-scan.ts), so its count stays that of
 * decoding every frame in order. Each `path == 'text'` clause (query-literals.ts: every match
 * holds it) is tried in turn; the first that gives a rule is used.
 *
 * A decoded field's path: the field search's prefilter for that value (raw-prefilter.ts,
 * stateful-prefilter.ts), which passes over only frames whose in-order decoding does not have
 * the value in that field:
 * - `$.event` (Socket.IO), `$.topic` (MQTT), `$.headers.destination` (STOMP): a value with that
 *   string there is one part (decoded-fields.ts's valueParts: it has that key), and
 *   decodedFields reads the field from exactly there, so a match has it in the field.
 * - `$.operation.name` (GraphQL over WebSocket): decodedFields prefers `operationName`, so not
 *   by that reading but by the rule's own: `operation` is the one the decoder remembered for the
 *   message's id (a passed-over message holds none of the ids named so as a JSON string, and no
 *   subscribe or start, which name one), else the message's own `operation` key (a message
 *   holding the name and `"operation"` is decoded; without a backslash its strings are its bytes).
 * - `$.target`, `$.event` (SignalR): a passed-over text message is whole records without a
 *   backslash and without the value as a JSON string, and a record's target and event are its
 *   JSON strings; a binary one does not hold the value's UTF-8, and a target is a MessagePack
 *   string (its UTF-8).
 * Any path of names and indexes without `$` names (query-literals.ts reachesPayloadStringsOnly)
 * in MessagePack, CBOR and Protocol Buffers without a schema, and a path to a string field of
 * the one message type a schema gives (protobuf-string-path.ts): the string is one the payload
 * wrote, so its UTF-8 is in the message (raw-prefilter.ts payloadStringPrefilter).
 * GraphQL over WebSocket and SignalR, other paths of names and indexes (not under the keys their
 * decoders write: GraphQL's top-level `operation`, SignalR's `messageType` and `conversation`):
 * the string is one of the message's JSON strings (or, in SignalR's MessagePack, its UTF-8), so
 * a message without a backslash and without it as a JSON string cannot hold it
 * (stateful-prefilter.ts graphqlStringPrefilter; SignalR's target rule, which asks no more).
 * Base64: a path `$.payload…` of names and indexes (base64-prefilter.ts decodes the Base64 and
 * looks in its bytes). Compressed payloads, the same paths (compressed-prefilter.ts inflates them
 * with the decoder's reused native engine and looks in the bytes).
 * STOMP, `$.headers[*]` and `$.headerList[*|i][0|1|*]`: a self-contained frame (no escapes)
 * holds a header value L as `:L` then LF or CR LF, a name as LF `L:` (or LF, a byte order mark,
 * `L:`), so those are the needles (stomp-header-prefilter.ts: `/topic/p7` does not bring in
 * `/topic/p70`).
 * STOMP, any other path of names and indexes: a self-contained frame (no escapes) shows its
 * command, headers and body text as their bytes (raw-prefilter.ts stompStringPrefilter); with it
 * the STOMP probe (below) tests the query's clauses in a frame that holds the literal, and either
 * rule alone passes the frame over (`$.body.sym == 'ABC7'` passes over `{"sym":"ABC70"}`:
 * stomp-probe.ts, RawPrefilter.needlesOrLacks).
 * Socket.IO under `$.args`, `$.data`, `$.handshake` (what the message carries): a text message
 * without a backslash anywhere, not a binary header, without the literal's UTF-8
 * (raw-prefilter.ts socketIoPayloadPrefilter).
 * MQTT, a path not through `cmd` or `topic`: a message of whole packets that sets nothing,
 * without the literal's UTF-8 (stateful-prefilter.ts mqttStringPrefilter).
 * Without such a clause (or none giving a rule): GraphQL, Socket.IO and MQTT take a key the
 * query's path needs or their probes (query-keys.ts; MQTT's reads a packet's own fields, among
 * them `$.messageId` and `$.topic`: mqtt-probe.ts), SignalR its keys (signalr-keys.ts). STOMP
 * reads a self-contained frame's `$.command`, `$.headers.<name>`, every header value
 * (`$.headers[*]`), every header line's name or value when a name repeats
 * (`$.headerList[*|i][0|1|*]`) and `$.body` from its bytes and tests each clause there
 * (stomp-probe.ts: `$.headers.destination =~ /p7$/`, `$.headers[*] =~ /p7$/`, `$.body =~ /x/`).
 * MessagePack, CBOR and Protocol Buffers without type rules follow each clause's path in the
 * message's bytes and test the clause there (query-probe.ts: `$.seq > 999990`, `$.price != 3`, a
 * regular expression alone).
 * `[*]` in a string clause's path (`$.args[*].room == 'r3'`): the same rules where the protocol's
 * value holds only the payload's values below the `[*]` (ANY_STEPS: not beside the decoder's own
 * members: GraphQL's `operation`, SignalR's `messageType` and `conversation`, MQTT's `cmd` and
 * aliased `topic`), within MAX_ANY_PATH_STEPS (a deeper `[*]` may select json-value.ts's `$cut`
 * text), and, where a passed-over message may hold bytes (MessagePack, CBOR, Protocol Buffers,
 * STOMP bodies: a `[*]` right after `$.body` or `$[*]`; MQTT, SignalR's MessagePack; Base64 and
 * compressed payloads right under `$.payload`), for a literal that is not Base64 (a `[*]` selects
 * `$bytes`' Base64). A literal that may be Base64: SignalR's rule and MessagePack's and CBOR's
 * pass over only messages without byte strings (stateful-prefilter.ts
 * signalrBytesFreeStringPrefilter, raw-prefilter.ts payloadStringPrefilter's bytesFree).
 * No rule (every frame decoded, as before): other paths of Socket.IO (type names, the
 * namespace) and MQTT (packet names, topics but `$.topic`), Protocol Buffers with type rules or other fields of a schema (enums by name,
 * bytes as Base64), and queries without a clause any of these rules reads.
 */
import type protobuf from 'protobufjs';
import type { DecodedQuery, QueryStep } from '../../shared/decoded-query';
import type { DecoderName } from './decoded-frame';
import type { FieldName } from './decoded-key-index';
import { hasAnyStep, mayBeBase64, namePath, reachesPayloadStringsOnly, reachesPayloadStringsThroughAny, requiredStrings } from './query-literals';
import { reachesStringField } from './protobuf-string-path';
import { queryProbePrefilter } from './query-probe';
import { signalrQueryPrefilter } from './signalr-keys';
import { base64Prefilter } from './base64-prefilter';
import { compressedPrefilter } from './compressed-prefilter';
import { CONVERTED_TO_TEXT, exactInUtf8, payloadStringPrefilter, rawPrefilter, socketIoPayloadPrefilter, stompStringPrefilter, type RawPrefilter } from './raw-prefilter';
import { graphqlStringPrefilter, mqttStringPrefilter, signalrBytesFreeStringPrefilter, statefulPrefilter, type StatefulPrefilter } from './stateful-prefilter';
import { queryKeyPrefilter } from './query-keys';
import { stompProbePrefilter } from './stomp-probe';
import { stompHeaderPrefilter } from './stomp-header-prefilter';

/** Per protocol, the query paths whose string the field search's prefilter answers for (see the file comment). */
const FIELD_PATHS: Partial<Record<DecoderName, Readonly<Record<string, FieldName>>>> = {
  socketio: { event: 'events' },
  stomp: { 'headers.destination': 'destinations' },
  mqtt: { topic: 'topics' },
  'graphql-ws': { 'operation.name': 'operations' },
  signalr: { target: 'events', event: 'events' },
};

/** How the session decodes Protocol Buffers: without a schema, with one message type, or by type rules (no string rule). */
export interface QueryPrefilterContext {
  readonly protobuf: 'none' | 'rules' | protobuf.Type;
}

/**
 * Where a `[*]` step selects only values the payload wrote (or json-value.ts's wrappers, which
 * reachesWrapper and mayBeBase64 below keep out), per protocol: a `[*]` at a level where the
 * decoder writes its own members (their text is not the message's bytes) is refused.
 * - MessagePack, CBOR, Protocol Buffers without a schema, STOMP, Socket.IO under its payload keys:
 *   anywhere (the decoder's own members sit beside the payload, never under it).
 * - GraphQL: not first (the top level has the decoder's `operation`, named after a subscribe).
 * - MQTT: not first, nor a packet's members in a message of several (`$.packets[i][*]`): `cmd`
 *   is the decoder's name for the packet, and an aliased PUBLISH shows a topic its bytes lack.
 * - SignalR: not a record's members (`$[*]`, `$.messages[i][*]`: `messageType`, `conversation`).
 */
const ANYWHERE = (): boolean => true;
const NOT_FIRST = (_path: readonly QueryStep[], index: number): boolean => index > 0;
function notInJoinedPart(noun: string): (path: readonly QueryStep[], index: number) => boolean {
  return (path, index) => {
    const head = path[0];
    return index > 0 && !(index === 2 && head?.kind === 'key' && head.name === noun && path[1]?.kind !== 'key');
  };
}
const SIGNALR_ANY = notInJoinedPart('messages');
const ANY_STEPS: Partial<Record<DecoderName, (path: readonly QueryStep[], index: number) => boolean>> = {
  msgpack: ANYWHERE,
  cbor: ANYWHERE,
  protobuf: ANYWHERE,
  stomp: ANYWHERE,
  socketio: ANYWHERE,
  'graphql-ws': NOT_FIRST,
  mqtt: notInJoinedPart('packets'),
  signalr: SIGNALR_ANY,
};

/** Protocols whose values may hold json-value.ts's wrappers (`$bytes`, `$ext`: Base64 a `[*]` reaches) where a passed-over message is read. */
const WRAPPING: ReadonlySet<DecoderName> = new Set<DecoderName>(['msgpack', 'cbor', 'protobuf', 'mqtt', 'signalr']);

/**
 * Whether a `[*]` of the path may select a wrapper's members: in STOMP only a body that is not
 * UTF-8 is one (a self-contained frame is one frame: command, headers and headerList are text),
 * reached by a `[*]` right after `$.body` or `$[*]`.
 */
function reachesWrapper(protocol: DecoderName, path: readonly QueryStep[]): boolean {
  if (protocol !== 'stomp') return WRAPPING.has(protocol);
  const [first, second] = path;
  return second?.kind === 'any' && (first?.kind === 'any' || (first?.kind === 'key' && first.name === 'body'));
}

/**
 * Whether the path reaches only strings the payload wrote in this protocol, for this literal:
 * names and indexes (no `$` names), and `[*]` where ANY_STEPS allows it, for a literal no
 * wrapper's Base64 can be where the protocol wraps (Socket.IO's binary attachments and
 * GraphQL's binary messages are never passed over; SignalR's and MQTT's bytes are).
 */
function stringsOnly(protocol: DecoderName, path: readonly QueryStep[], literal: string): boolean {
  if (!hasAnyStep(path)) return reachesPayloadStringsOnly(path);
  const anyStep = ANY_STEPS[protocol];
  if (!anyStep || (reachesWrapper(protocol, path) && mayBeBase64(literal))) return false;
  return reachesPayloadStringsThroughAny(path, anyStep);
}

/** Whether the path reaches only strings the payload wrote, in this protocol. */
function payloadPath(protocol: DecoderName, path: readonly QueryStep[], literal: string, context: QueryPrefilterContext): boolean {
  if (protocol === 'msgpack' || protocol === 'cbor') return stringsOnly(protocol, path, literal);
  if (protocol !== 'protobuf' || context.protobuf === 'rules') return false;
  return context.protobuf === 'none' ? stringsOnly(protocol, path, literal) : reachesStringField(context.protobuf, path);
}

/** MQTT's keys whose strings are not the packet's bytes: the packet's name, and topics (an alias stands for one). */
const MQTT_DECODER_KEYS: readonly string[] = ['cmd', 'topic'];

/** Socket.IO's keys for what a message carries (event arguments, a packet's or an Engine.IO packet's data, the open handshake). */
const SOCKETIO_PAYLOAD_KEYS: readonly string[] = ['args', 'data', 'handshake'];

/** Keys whose strings the decoder writes itself: GraphQL's `operation`, SignalR's `messageType` and `conversation`. */
const DECODER_KEYS: Readonly<Record<'graphql-ws' | 'signalr', readonly string[]>> = { 'graphql-ws': ['operation'], signalr: ['messageType', 'conversation'] };

/**
 * GraphQL and SignalR: a path of names and indexes without `$` names reaching none of the
 * decoder's own keys (GraphQL: not starting with `operation`; SignalR: `messageType` and
 * `conversation` nowhere, as each record has them), for a literal JSON writes without escapes and
 * not text a number or a date may become.
 */
function jsonStringRule(protocol: 'graphql-ws' | 'signalr', path: readonly QueryStep[], literal: string): StatefulPrefilter | undefined {
  // SignalR, a `[*]` path and a literal that may be Base64: messages without byte strings only.
  const bytesFree = protocol === 'signalr' && hasAnyStep(path) && mayBeBase64(literal) && reachesPayloadStringsThroughAny(path, SIGNALR_ANY);
  if (!(bytesFree || stringsOnly(protocol, path, literal)) || !exactInUtf8(literal) || CONVERTED_TO_TEXT.test(literal) || JSON.stringify(literal) !== `"${literal}"`) return undefined;
  const names = path.flatMap((step) => (step.kind === 'key' ? [step.name] : []));
  if (protocol === 'graphql-ws') {
    const first = path[0];
    return first?.kind === 'key' && DECODER_KEYS['graphql-ws'].includes(first.name) ? undefined : graphqlStringPrefilter(literal);
  }
  if (names.some((name) => DECODER_KEYS.signalr.includes(name))) return undefined;
  return bytesFree ? signalrBytesFreeStringPrefilter(literal) : statefulPrefilter('signalr', { events: literal });
}

/**
 * Base64 and compressed payloads, the path after `$.payload`: the payload is JSON (no wrappers:
 * JSON.parse then json-value.ts), text, or bytes as `$bytes`, which only a `[*]` right after
 * `$.payload` reaches.
 */
function unwrappedStringsOnly(rest: readonly QueryStep[], literal: string): boolean {
  if (!hasAnyStep(rest)) return reachesPayloadStringsOnly(rest);
  if (rest[0]?.kind === 'any' && mayBeBase64(literal)) return false;
  return reachesPayloadStringsThroughAny(rest, ANYWHERE);
}

/** The prefilter for this query in this protocol, or undefined (decode every frame). */
export function queryPrefilter(protocol: DecoderName, query: DecodedQuery, context: QueryPrefilterContext): RawPrefilter | StatefulPrefilter | undefined {
  for (const { path, literal } of requiredStrings(query)) {
    const names = namePath(path);
    const field = names !== undefined ? FIELD_PATHS[protocol]?.[names] : undefined;
    if (field !== undefined) {
      const wanted = { [field]: literal };
      const prefilter = rawPrefilter(protocol, wanted) ?? statefulPrefilter(protocol, wanted);
      if (prefilter) return prefilter;
    }
    if ((protocol === 'msgpack' || protocol === 'cbor' || protocol === 'protobuf') && payloadPath(protocol, path, literal, context)) {
      const prefilter = payloadStringPrefilter(protocol, literal);
      if (prefilter) return prefilter;
    }
    // MessagePack and CBOR, `[*]` and a literal that may be Base64: messages without byte strings only.
    if ((protocol === 'msgpack' || protocol === 'cbor') && hasAnyStep(path) && mayBeBase64(literal) && reachesPayloadStringsThroughAny(path, ANYWHERE)) {
      const prefilter = payloadStringPrefilter(protocol, literal, true);
      if (prefilter) return prefilter;
    }
    // STOMP: a header value or name through `[*]` or an index is framed by its line
    // (stomp-header-prefilter.ts: `:/topic/p7` LF, not `/topic/p70`); any other string of a
    // self-contained frame is its bytes. A frame holding the needles is still passed over when
    // the probe rules it out (stomp-probe.ts, the two rules ORed).
    if (protocol === 'stomp') {
      const prefilter = stompHeaderPrefilter(path, literal) ?? (stringsOnly(protocol, path, literal) ? stompStringPrefilter(literal) : undefined);
      if (prefilter) return stompProbePrefilter(query, prefilter) ?? prefilter;
    }
    // MQTT: a string a packet carries, not a topic (aliases) nor the packet's name (`cmd`).
    if (protocol === 'mqtt' && stringsOnly(protocol, path, literal) && !path.some((step) => step.kind === 'key' && MQTT_DECODER_KEYS.includes(step.name)) && exactInUtf8(literal)) {
      return mqttStringPrefilter(literal);
    }
    // Socket.IO: what a message carries (not the names and namespace its decoder writes).
    const head = path[0];
    if (protocol === 'socketio' && head?.kind === 'key' && SOCKETIO_PAYLOAD_KEYS.includes(head.name) && stringsOnly(protocol, path, literal)) {
      const prefilter = socketIoPayloadPrefilter(literal);
      if (prefilter) return prefilter;
    }
    // A string of the message's own JSON (GraphQL, SignalR; SignalR's MessagePack: its UTF-8).
    if (protocol === 'graphql-ws' || protocol === 'signalr') {
      const prefilter = jsonStringRule(protocol, path, literal);
      if (prefilter) return prefilter;
    }
    // Base64 and compressed payloads: `$.payload` then a payload string's path, the text not one JSON may make of a number.
    const [first, ...rest] = path;
    if ((protocol === 'base64' || protocol === 'compressed') && first?.kind === 'key' && first.name === 'payload' && unwrappedStringsOnly(rest, literal) && exactInUtf8(literal) && !CONVERTED_TO_TEXT.test(literal)) {
      // A path past `$.payload` selects a string of its JSON: looked for between its quotes.
      const quoted = rest.length > 0;
      return protocol === 'base64' ? base64Prefilter(literal, quoted) : compressedPrefilter(literal, quoted);
    }
  }
  // No string rule: a key the query's path needs (GraphQL, Socket.IO, MQTT: query-keys.ts; SignalR:
  // signalr-keys.ts, with the JSON proof's rule-out of a record a clause surely fails on).
  if (protocol === 'signalr') return signalrQueryPrefilter(query);
  const byKey = queryKeyPrefilter(protocol, query);
  if (byKey) return byKey;
  // No string rule: STOMP reads a self-contained frame's command, headers and body (stomp-probe.ts).
  if (protocol === 'stomp') return stompProbePrefilter(query);
  // No string rule: MessagePack, CBOR and Protocol Buffers follow each clause's path in the bytes (query-probe.ts).
  return queryProbePrefilter(protocol, query, context.protobuf);
}
