/**
 * An MQTT message proven to match a query without decoding it (match-proof.ts), for a query most
 * messages match (`$.cmd == 'publish'`, `$.qos >= 0`, `$.topic =~ /temp$/`). The decoder
 * (mqtt-decoder.ts) keeps state: a packet's first bytes until the rest arrives, the version the
 * CONNECT set, MQTT 5 topic aliases. The walk asks only while its decoder is idle for the
 * message's direction (nothing held: mqtt-packet's list starts empty, so what it reads is this
 * message's bytes alone), and passes that decoder (undefined: a fresh one, MQTT 3.1.1, no alias).
 * `true` needs all of:
 * - a binary message (a text frame is not valid MQTT over WebSocket) holding exactly one whole
 *   packet: its first byte, a remaining length of 1 to 4 bytes, then exactly that many bytes
 *   (several packets make the joined value `{packets}`, part of one `{continues}` and leaves
 *   bytes held);
 * - a PUBLISH (QoS 0 to 2; mqtt-packet checks no other flag) read as mqtt-packet 9's
 *   _parsePublish reads it, every read inside the packet: the topic's two-byte length and bytes,
 *   the packet id at QoS 1 and 2, and, when the decoder's version is 5, the properties' length
 *   and properties ending exactly there, each one of the PUBLISH's own (payload format,
 *   expiry, content type, response topic, correlation data, subscription identifiers, topic
 *   alias, user properties), none but the last two repeated; or a PUBACK, PUBREC, PUBREL or
 *   PUBCOMP (flags 0, PUBREL's 2) of at least the packet id under MQTT 3.1.1 (more bytes are
 *   skipped), of exactly it under MQTT 5 (reason code 0); or a PINGREQ or PINGRESP (flags 0, its
 *   body, if any, skipped as the parser does);
 * - decoding it changes nothing in the decoder: no CONNECT (it sets the version); a PUBLISH with
 *   a topic and a Topic Alias sets that alias for its direction, so it is proven only when the
 *   decoder already maps the alias to that topic in both directions (a proof is not told which);
 * - every clause holds for what its path selects in the value packetValue builds: `cmd`,
 *   `retain`, `qos`, `dup`, `length`, a PUBLISH's `topic` (its UTF-8 read leniently, as Buffer's
 *   toString does), `messageId`, `properties` (built as mqtt-packet builds them, through
 *   toJsonValue) and `payload` (textOrBytes; a path into its JSON text followed in its bytes
 *   where json-text-check.ts takes them, else the text is made and parsed), a confirmation's `messageId` and, under MQTT 5,
 *   `reasonCode`; any other top-level name selects nothing. A PUBLISH with an empty topic and a
 *   Topic Alias shows the topic the alias stands for in its direction and `topicFromAlias`: a
 *   clause reading either is not proven.
 * The rule-out (mqttRefutation) reads other frames as surely not matching: a text frame is not
 * valid, a ping, pong or close decodes to nothing or not valid, and, the decoder idle for the
 * direction, neither changes it (a text frame drops only a packet under way).
 * Anything else answers `false` (decoded as before): other packets, an MQTT 5 confirmation with a
 * reason code or properties, reads mqtt-packet does not refuse but makes odd values of (a packet
 * id or property cut short, properties overrunning their length), other or repeated properties.
 * Cost (bench/decoded-streams.ts' single-packet PUBLISHes, the proof alone, CPU a message, load
 * 3–5): 0.05–0.23 µs for `$.cmd == 'publish'`, `$.qos >= 0` or three header clauses, 0.2 for
 * `$.topic =~ /temp$/`, 0.16–0.34 for `$.payload.t >= 0`, 0.25–0.29 for a property, against 2.8–6.5
 * to decode and match.
 */
import { holdsForValue, holdsWhenAbsent, selectPath, type DecodedQuery, type QueryClause, type QueryStep } from '../../shared/decoded-query';
import { MAX_JSON_TEXT_CHARS } from '../../shared/json-text-value';
import { NOT_JSON, followCheckedJsonPath } from './json-text-check';
import { textOrBytes, toJsonValue, type JsonValue } from './json-value';
import type { StreamDecoder } from './decoded-frame';
import type { MatchProof } from './match-proof';
import type { StatefulPrefilter } from './stateful-prefilter';
import { MqttDecoder } from './mqtt-decoder';
import { ABSENT, UNSURE, probeSteps, type ProbeStep } from './value-probe';

const PUBLISH = 3;
const PUBACK = 4;
const PUBREL = 6;
const PUBCOMP = 7;
const PINGREQ = 12;
const PINGRESP = 13;

/** The top-level names the value of a packet proven here may hold (mqtt-decoder.ts packetValue, applyAlias). */
type Field = 'cmd' | 'retain' | 'qos' | 'dup' | 'length' | 'topic' | 'payload' | 'messageId' | 'properties' | 'topicFromAlias' | 'reasonCode';
const FIELDS: ReadonlySet<string> = new Set<Field>(['cmd', 'retain', 'qos', 'dup', 'length', 'topic', 'payload', 'messageId', 'properties', 'topicFromAlias', 'reasonCode']);
/** mqtt-packet 9's names of the packet types proven here (constants.js types). */
const NAMES: Readonly<Record<number, string>> = { 3: 'publish', 4: 'puback', 5: 'pubrec', 6: 'pubrel', 7: 'pubcomp', 12: 'pingreq', 13: 'pingresp' };

/** The PUBLISH properties read here (mqtt-packet 9 constants.js codes and types). */
const PAYLOAD_FORMAT = 1;
const MESSAGE_EXPIRY = 2;
const CONTENT_TYPE = 3;
const RESPONSE_TOPIC = 8;
const CORRELATION_DATA = 9;
const SUBSCRIPTION_ID = 11;
const TOPIC_ALIAS = 35;
const USER_PROPERTY = 38;

interface ProvenClause {
  /** The first step's name: one of FIELDS, or another (selects nothing). */
  readonly field: string;
  readonly rest: readonly QueryStep[];
  /** For `$.payload` then steps a probe follows: those steps, followed in the payload's bytes (see payloadFollowed). */
  readonly payloadSteps: readonly ProbeStep[] | undefined;
  /** For `$.properties.<name>` of a SINGLE_PROPERTIES name: its code, read alone (singleProperty). */
  readonly singleProperty: number | undefined;
  readonly test: QueryClause['test'];
}

/** One packet's parts, filled by readPacket (one object a proof: no allocation a message). */
interface PacketParts {
  type: number;
  header: number;
  /** The remaining length. */
  length: number;
  topicStart: number;
  topicEnd: number;
  /** -1: none (a QoS 0 PUBLISH, a ping). */
  messageId: number;
  /** A PUBACK to PUBCOMP's under MQTT 5 (0: its body is the packet id alone); -1 none. */
  reasonCode: number;
  /** [propertiesStart, propertiesEnd): the properties after their length (empty: none). */
  propertiesStart: number;
  propertiesEnd: number;
  /** The Topic Alias property's value, -1 without one. */
  alias: number;
  payloadStart: number;
  end: number;
}

/** A variable byte integer as mqtt-packet reads it (1 to 4 bytes, the last below 0x80) inside [at, end): its value and size in `out`, false if cut or too long. */
function readVarint(slab: Buffer, at: number, end: number, out: { value: number; size: number }): boolean {
  let value = 0;
  let mul = 1;
  for (let i = 0; i < 4 && at + i < end; i++) {
    const byte = slab[at + i] ?? 0;
    value += (byte & 0x7f) * mul;
    if ((byte & 0x80) === 0) {
      out.value = value;
      out.size = i + 1;
      return true;
    }
    mul *= 0x80;
  }
  return false;
}

function twoBytes(slab: Buffer, at: number): number {
  return ((slab[at] ?? 0) << 8) | (slab[at + 1] ?? 0);
}

/**
 * Whether [from, to) are PUBLISH properties read whole, one by one as mqtt-packet reads them, each
 * inside them; sets `parts.alias`. Properties other than the PUBLISH's own, and a repeat of one
 * but subscription identifiers and user properties, answer false (mqtt-packet would turn a repeat
 * into a list, or keep the last when the first is falsy).
 */
function readProperties(slab: Buffer, from: number, to: number, parts: PacketParts, scratch: { value: number; size: number }): boolean {
  let seen = 0;
  let at = from;
  while (at < to) {
    const code = slab[at] ?? 0;
    at++;
    if (code === SUBSCRIPTION_ID) {
      if (!readVarint(slab, at, to, scratch)) return false;
      at += scratch.size;
      continue;
    }
    if (code === USER_PROPERTY) {
      if (at + 2 > to) return false;
      at += 2 + twoBytes(slab, at);
      if (at + 2 > to) return false;
      at += 2 + twoBytes(slab, at);
      continue;
    }
    const bit = code === PAYLOAD_FORMAT ? 1 : code === MESSAGE_EXPIRY ? 2 : code === CONTENT_TYPE ? 4 : code === RESPONSE_TOPIC ? 8 : code === CORRELATION_DATA ? 16 : code === TOPIC_ALIAS ? 32 : 0;
    if (bit === 0 || (seen & bit) !== 0) return false;
    seen |= bit;
    if (code === PAYLOAD_FORMAT) at += 1;
    else if (code === MESSAGE_EXPIRY) at += 4;
    else if (code === TOPIC_ALIAS) {
      if (at + 2 > to) return false;
      parts.alias = twoBytes(slab, at);
      at += 2;
    } else {
      if (at + 2 > to) return false;
      at += 2 + twoBytes(slab, at);
    }
  }
  return at === to;
}

/** Whether [start, end) is one whole PUBLISH, PUBACK to PUBCOMP, PINGREQ or PINGRESP mqtt-packet reads as the file comment says; fills `parts`. */
function readPacket(slab: Buffer, start: number, end: number, v5: boolean, parts: PacketParts, scratch: { value: number; size: number }): boolean {
  if (end - start < 2) return false;
  const header = slab[start] ?? 0;
  const type = header >> 4;
  if (!readVarint(slab, start + 1, end, scratch)) return false;
  const body = start + 1 + scratch.size;
  if (body + scratch.value !== end) return false;
  parts.type = type;
  parts.header = header;
  parts.length = scratch.value;
  parts.end = end;
  parts.messageId = -1;
  parts.reasonCode = -1;
  if (type === PINGREQ || type === PINGRESP) return (header & 0x0f) === 0;
  if (type >= PUBACK && type <= PUBCOMP) {
    // _parseConfirmation: the packet id; under MQTT 5 a reason code and properties after it (not read here).
    if ((header & 0x0f) !== (type === PUBREL ? 2 : 0) || parts.length < 2 || (v5 && parts.length !== 2)) return false;
    parts.messageId = twoBytes(slab, body);
    if (v5) parts.reasonCode = 0;
    return true;
  }
  if (type !== PUBLISH || ((header >> 1) & 3) === 3) return false;
  if (body + 2 > end) return false;
  parts.topicStart = body + 2;
  parts.topicEnd = parts.topicStart + twoBytes(slab, body);
  if (parts.topicEnd > end) return false;
  let at = parts.topicEnd;
  if (((header >> 1) & 3) > 0) {
    if (at + 2 > end) return false;
    parts.messageId = twoBytes(slab, at);
    at += 2;
  }
  parts.alias = -1;
  parts.propertiesStart = parts.propertiesEnd = at;
  if (v5) {
    if (!readVarint(slab, at, end, scratch)) return false;
    parts.propertiesStart = at + scratch.size;
    parts.propertiesEnd = parts.propertiesStart + scratch.value;
    if (parts.propertiesEnd > end || !readProperties(slab, parts.propertiesStart, parts.propertiesEnd, parts, scratch)) return false;
    at = parts.propertiesEnd;
  }
  parts.payloadStart = at;
  return true;
}

/** A string as mqtt-packet's _parseString reads it (UTF-8, leniently) at `at`, with its end in `out.size`. */
function stringAt(slab: Buffer, at: number, out: { value: number; size: number }): string {
  const stop = at + 2 + twoBytes(slab, at);
  out.size = stop;
  return slab.toString('utf8', at + 2, stop);
}

/** Sets a property as mqtt-packet 9's _parseProperties does (a repeat of a truthy one makes a list). */
function addProperty(result: Record<string, unknown>, name: string, value: unknown): void {
  const held = result[name];
  if (held) {
    if (Array.isArray(held)) held.push(value);
    else result[name] = [held, value];
  } else result[name] = value;
}

/** The properties object mqtt-packet builds from [propertiesStart, propertiesEnd) (readProperties read them whole), as the value shows it. */
function propertiesValue(slab: Buffer, parts: PacketParts, scratch: { value: number; size: number }): JsonValue | undefined {
  if (parts.propertiesEnd === parts.propertiesStart) return undefined;
  const result: Record<string, unknown> = {};
  let at = parts.propertiesStart;
  while (at < parts.propertiesEnd) {
    const code = slab[at] ?? 0;
    at++;
    switch (code) {
      case PAYLOAD_FORMAT:
        result.payloadFormatIndicator = slab[at] !== 0;
        at += 1;
        break;
      case MESSAGE_EXPIRY:
        result.messageExpiryInterval = slab.readUInt32BE(at);
        at += 4;
        break;
      case CONTENT_TYPE:
        result.contentType = stringAt(slab, at, scratch);
        at = scratch.size;
        break;
      case RESPONSE_TOPIC:
        result.responseTopic = stringAt(slab, at, scratch);
        at = scratch.size;
        break;
      case CORRELATION_DATA: {
        const stop = at + 2 + twoBytes(slab, at);
        result.correlationData = slab.subarray(at + 2, stop);
        at = stop;
        break;
      }
      case TOPIC_ALIAS:
        result.topicAlias = twoBytes(slab, at);
        at += 2;
        break;
      case SUBSCRIPTION_ID:
        readVarint(slab, at, parts.propertiesEnd, scratch);
        addProperty(result, 'subscriptionIdentifier', scratch.value);
        at += scratch.size;
        break;
      default: {
        // USER_PROPERTY (readProperties let no other through): a null-prototype object, a repeated truthy name's values as a list.
        const name = stringAt(slab, at, scratch);
        const value = stringAt(slab, scratch.size, scratch);
        at = scratch.size;
        let users = result.userProperties as Record<string, unknown> | undefined;
        if (!users) result.userProperties = users = Object.create(null) as Record<string, unknown>;
        addProperty(users, name, value);
      }
    }
  }
  return toJsonValue(result, 1);
}

/** The PUBLISH properties that are one value (not repeated: readProperties refuses a repeat), by mqtt-packet's name. */
const SINGLE_PROPERTIES: Readonly<Record<string, number>> = {
  payloadFormatIndicator: PAYLOAD_FORMAT,
  messageExpiryInterval: MESSAGE_EXPIRY,
  contentType: CONTENT_TYPE,
  responseTopic: RESPONSE_TOPIC,
  topicAlias: TOPIC_ALIAS,
};

/**
 * `$.properties.<name>` for a property SINGLE_PROPERTIES names, read from the properties (read
 * whole by readProperties) without building them all: the value propertiesValue would give it,
 * or ABSENT. A search for one property (`$.properties.topicAlias == 3`) reads every PUBLISH.
 */
function singleProperty(slab: Buffer, parts: PacketParts, code: number, scratch: { value: number; size: number }): JsonValue | typeof ABSENT {
  let at = parts.propertiesStart;
  while (at < parts.propertiesEnd) {
    const found = slab[at] ?? 0;
    at++;
    if (found === code) {
      if (code === PAYLOAD_FORMAT) return slab[at] !== 0;
      if (code === MESSAGE_EXPIRY) return slab.readUInt32BE(at);
      if (code === TOPIC_ALIAS) return twoBytes(slab, at);
      return stringAt(slab, at, scratch);
    }
    // Past this property (readProperties read them all, so every length is inside).
    if (found === SUBSCRIPTION_ID) {
      readVarint(slab, at, parts.propertiesEnd, scratch);
      at += scratch.size;
    } else if (found === USER_PROPERTY) at += 2 + twoBytes(slab, at) + 2 + twoBytes(slab, at + 2 + twoBytes(slab, at));
    else if (found === PAYLOAD_FORMAT) at += 1;
    else if (found === MESSAGE_EXPIRY) at += 4;
    else if (found === TOPIC_ALIAS) at += 2;
    else at += 2 + twoBytes(slab, at);
  }
  return ABSENT;
}

/** A PUBLISH whose topic the decoder reads from its alias map (empty topic, a Topic Alias). */
function topicFromState(slab: Buffer, parts: PacketParts): boolean {
  return parts.type === PUBLISH && parts.alias >= 0 && parts.topicEnd === parts.topicStart;
}

/** Whether decoding the packet leaves the decoder's aliases as they are (see the file comment). */
function keepsAliases(slab: Buffer, parts: PacketParts, decoder: MqttDecoder | undefined): boolean {
  if (parts.type !== PUBLISH || parts.alias < 0 || parts.topicEnd === parts.topicStart) return true;
  if (!decoder) return false;
  const topic = slab.toString('utf8', parts.topicStart, parts.topicEnd);
  return decoder.aliasesOf('in', topic)?.has(parts.alias) === true && decoder.aliasesOf('out', topic)?.has(parts.alias) === true;
}

/** What `$.<field>` selects in the packet's value (ABSENT: nothing; UNSURE: the decoder's state says). */
function fieldValue(slab: Buffer, parts: PacketParts, field: string, scratch: { value: number; size: number }): JsonValue | typeof ABSENT | typeof UNSURE {
  const publish = parts.type === PUBLISH;
  switch (field) {
    case 'cmd':
      return NAMES[parts.type] ?? UNSURE;
    case 'retain':
      return (parts.header & 1) !== 0;
    case 'qos':
      return (parts.header >> 1) & 3;
    case 'dup':
      return (parts.header & 8) !== 0;
    case 'length':
      return parts.length;
    case 'messageId':
      return parts.messageId >= 0 ? parts.messageId : ABSENT;
    case 'reasonCode':
      return parts.reasonCode >= 0 ? parts.reasonCode : ABSENT;
    case 'topic':
      if (!publish) return ABSENT;
      return topicFromState(slab, parts) ? UNSURE : slab.toString('utf8', parts.topicStart, parts.topicEnd);
    case 'topicFromAlias':
      return topicFromState(slab, parts) ? UNSURE : ABSENT;
    case 'payload':
      return publish ? textOrBytes(slab.subarray(parts.payloadStart, parts.end)) : ABSENT;
    case 'properties':
      return (publish ? propertiesValue(slab, parts, scratch) : undefined) ?? ABSENT;
    default:
      return ABSENT;
  }
}

/**
 * What `$.payload` then `steps` select in a PUBLISH's payload, read from its bytes without making
 * its text (UNSURE: read it as the decoder does). When followCheckedJsonPath takes the bytes as one
 * JSON object or array (strict UTF-8, so textOrBytes shows them as that text) and they are at most
 * MAX_JSON_TEXT_CHARS bytes (so the text is at most that many characters), selectPath goes on
 * into JSON.parse's value of the text (jsonTextValue), which the follower reads: its answer is
 * exact, but for a number past a double, which it shows as text where JSON.parse keeps Infinity.
 */
function payloadFollowed(slab: Buffer, parts: PacketParts, steps: readonly ProbeStep[]): ReturnType<typeof followCheckedJsonPath> {
  if (parts.end - parts.payloadStart > MAX_JSON_TEXT_CHARS) return UNSURE;
  const found = followCheckedJsonPath(slab, parts.payloadStart, parts.end, steps);
  return found === NOT_JSON || found === 'Infinity' || found === '-Infinity' ? UNSURE : found;
}

/**
 * What the exact reading says of a message: true (it matches), false (it surely does not: one
 * whole packet read as the file comment says, that decoding leaves the decoder as it was, and a
 * clause fails on the value it builds) or undefined (not known: refused, or a clause's value the
 * decoder's state gives). `decoder` as the proof is given it (undefined: a fresh one).
 */
type MqttReading = (slab: Buffer, start: number, end: number, opcode: string, decoder: StreamDecoder | undefined) => boolean | undefined;

/**
 * Whether [start, end) holds two or more whole packets, each one readPacket reads (none but the
 * last reaching past its own end) and keepsAliases passes: decoding the message then leaves the
 * decoder as it was, and its value is `{packets: [...]}` (decoded-frame.ts joined).
 */
function severalPackets(slab: Buffer, start: number, end: number, v5: boolean, parts: PacketParts, scratch: { value: number; size: number }, decoder: MqttDecoder | undefined, rules: MqttReadingRules): boolean {
  let at = start;
  let count = 0;
  while (at < end) {
    if (!readVarint(slab, at + 1, end, scratch)) return false;
    const packetEnd = at + 1 + scratch.size + scratch.value;
    if (packetEnd > end || !readPacket(slab, at, packetEnd, v5, parts, scratch) || (rules.aliases && !keepsAliases(slab, parts, decoder))) return false;
    at = packetEnd;
    count++;
  }
  return count >= 2;
}

/** The reading for this query, or undefined when it reads no clause (see the file comment). */
function mqttReading(query: DecodedQuery, rules: MqttReadingRules): MqttReading | undefined {
  // A clause that selects nothing in `{packets: [...]}` (a first name but `packets`, or an index) and does not hold then.
  const joinedFails = query.clauses.some((clause) => {
    const first = clause.path[0];
    return first !== undefined && !(first.kind === 'key' && first.name === 'packets') && !holdsWhenAbsent(clause.test);
  });
  const clauses: ProvenClause[] = [];
  for (const clause of query.clauses) {
    const [first, ...rest] = clause.path;
    if (first?.kind !== 'key') return undefined;
    // Another name selects nothing in one PUBLISH or ping: only `!=` holds there (a proof of
    // nothing else; the rule-out reads such a clause as surely failing).
    if (!FIELDS.has(first.name) && !holdsWhenAbsent(clause.test) && !rules.otherNames) return undefined;
    const payloadSteps = first.name === 'payload' && rest.length > 0 ? probeSteps(rest) : undefined;
    const [property] = rest;
    const singleProperty = first.name === 'properties' && rest.length === 1 && property?.kind === 'key' && rules.singleProperties ? SINGLE_PROPERTIES[property.name] : undefined;
    clauses.push({ field: first.name, rest, payloadSteps, singleProperty, test: clause.test });
  }
  if (clauses.length === 0) return undefined;
  const parts: PacketParts = { type: 0, header: 0, length: 0, topicStart: 0, topicEnd: 0, messageId: -1, reasonCode: -1, propertiesStart: 0, propertiesEnd: 0, alias: -1, payloadStart: 0, end: 0 };
  const scratch = { value: 0, size: 0 };
  return (slab, start, end, opcode, decoder) => {
    // A fresh decoder reads MQTT 3.1.1 and maps no alias; another protocol's is not read.
    const mqtt = decoder === undefined ? undefined : decoder instanceof MqttDecoder ? decoder : null;
    if (mqtt === null) return undefined;
    // Not a binary message: no match (a text frame is not valid; control frames decode to nothing or not valid).
    if (opcode !== 'binary' && (rules.textFrames || opcode !== 'text')) return false;
    const v5 = mqtt?.protocolVersion === 5;
    if (!readPacket(slab, start, end, v5, parts, scratch)) {
      // Several whole packets: a clause that selects nothing in their joined value fails there.
      return rules.joined && joinedFails && severalPackets(slab, start, end, v5, parts, scratch, mqtt, rules) ? false : undefined;
    }
    if (rules.aliases && !keepsAliases(slab, parts, mqtt)) return undefined;
    // Every clause must hold for a match; one that surely fails settles it.
    let verdict: boolean | undefined = true;
    for (let k = 0; k < clauses.length; k++) {
      const clause = clauses[k];
      if (!clause) continue;
      if (clause.payloadSteps && parts.type === PUBLISH) {
        const found = payloadFollowed(slab, parts, clause.payloadSteps);
        if (found !== UNSURE) {
          if (found === ABSENT ? !holdsWhenAbsent(clause.test) : !holdsForValue(clause.test, found)) return false;
          continue;
        }
      }
      // One property alone: read without building the properties.
      const single = clause.singleProperty;
      if (single !== undefined && parts.type === PUBLISH) {
        const found = singleProperty(slab, parts, single, scratch);
        if (found === ABSENT ? !holdsWhenAbsent(clause.test) : !holdsForValue(clause.test, found)) return false;
        continue;
      }
      const value = fieldValue(slab, parts, clause.field, scratch);
      if (value === UNSURE) {
        verdict = undefined;
        continue;
      }
      if (value === ABSENT) {
        if (!holdsWhenAbsent(clause.test)) return false;
        continue;
      }
      if (clause.rest.length === 0) {
        if (!holdsForValue(clause.test, value)) return false;
        continue;
      }
      // Steps past the field, as selectPath takes them (into JSON text a string holds).
      const found = selectPath(value, clause.rest);
      if (found.length === 0 ? !holdsWhenAbsent(clause.test) : !found.some((item) => holdsForValue(clause.test, item))) return false;
    }
    return verdict;
  };
}

/** What the reading checks, each switchable off only to show that the tests catch it. */
export interface MqttReadingRules {
  /** Refuse a PUBLISH whose Topic Alias decoding would set (keepsAliases). */
  readonly aliases: boolean;
  /** The rule-out asks the decoder to be idle for the message's direction (the proof has the walk's gate). */
  readonly idle: boolean;
  /** Read clauses on names no proven packet has (always true for the rule-out; the proof has no use for them). */
  readonly otherNames: boolean;
  /** The rule-out passes over only what the reading says fails (false only to see the test fail: what it does not know too). */
  readonly onlyFails: boolean;
  /** Read a message of several whole packets (the joined `{packets}`; the proof proves none of them). */
  readonly joined: boolean;
  /** Read `$.properties.<name>` of one property alone (false: build the properties; the test compares both). */
  readonly singleProperties: boolean;
  /** A text frame is not MQTT (false: read as a binary one, as the decoder once did, only to see the test fail). */
  readonly textFrames: boolean;
}

export const MQTT_PROOF_RULES: MqttReadingRules = { aliases: true, idle: true, otherNames: false, onlyFails: true, joined: false, singleProperties: true, textFrames: true };
export const MQTT_REFUTATION_RULES: MqttReadingRules = { aliases: true, idle: true, otherNames: true, onlyFails: true, joined: true, singleProperties: true, textFrames: true };

/** The proof for this query over MQTT messages, or undefined when it can prove none (see the file comment). */
export function mqttMatchProof(query: DecodedQuery, rules: MqttReadingRules = MQTT_PROOF_RULES): MatchProof | undefined {
  const reading = mqttReading(query, rules);
  return reading && ((slab, start, end, opcode, decoder) => reading(slab, start, end, opcode, decoder) === true);
}

/**
 * The reading's rule-out (a stateful prefilter the query walk asks, stateful-prefilter.ts): a
 * message whose reading says false, while the decoder is idle for its direction (holding nothing,
 * so the packet is this message's bytes alone), cannot match and leaves the decoder as it was;
 * also a message of several whole packets the proof's reading reads, none setting an alias, for
 * a clause that selects nothing in their joined value `{packets: [...]}` and does not hold then: a
 * query few packets match on what no key or probe rule reads (`$.properties.topicAlias == 3`,
 * `$.properties.userProperties.k == 'v'`) is no longer decoded at every message.
 */
export function mqttRefutation(query: DecodedQuery, rules: MqttReadingRules = MQTT_REFUTATION_RULES): StatefulPrefilter | undefined {
  const reading = mqttReading(query, rules);
  if (!reading) return undefined;
  return {
    kind: 'stateful',
    key: `mqtt refutation\u0000${JSON.stringify(query.clauses.map((clause) => [clause.path, clause.test ? [clause.test.op, 'regex' in clause.test ? String(clause.test.regex) : clause.test.value] : null]))}`,
    needles: [],
    passable(decoder, slab, start, end, opcode, dir) {
      if (rules.idle && decoder.idle?.(dir) !== true) return false;
      const holds = reading(slab, start, end, opcode, decoder);
      return holds === false || (!rules.onlyFails && holds === undefined);
    },
  };
}
