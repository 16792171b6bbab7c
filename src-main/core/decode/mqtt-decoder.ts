/**
 * MQTT 3.1.1 and 5 over WebSocket with mqtt-packet's parser. Packets need not line up with
 * WebSocket messages (the standard says so), so each direction has its own parser that keeps a
 * packet's first bytes until the rest arrives; one message may also hold several packets. The
 * version is the CONNECT's: both directions' parsers share the settings object mqtt-packet reads
 * (it keeps the reference), so MQTT 5 properties are read from the packet after CONNECT on.
 * MQTT 5 topic aliases are kept per direction (the standard's mappings are per sender): a
 * PUBLISH with a topic and a Topic Alias sets one, a PUBLISH with an empty topic and a known
 * alias is shown with that topic (`topicFromAlias` in its value).
 *
 * MQTT over WebSocket is sent in binary frames only (MQTT 3.1.1 and 5 §6, [MQTT-6.0.0-1]: a
 * receiver of any other data frame closes the connection): a text frame is not valid and is not
 * read as MQTT. As the broker would have closed the connection there, it also ends the packet
 * under way in its direction (said with how much of it arrived); the next binary message in that
 * direction is read as a new packet. Nothing says at a message whether more will come, so a
 * message that leaves a packet unfinished says how much of it has arrived so far; a close frame
 * in that direction (nothing may follow it: RFC 6455 §5.5.1) says the packet was cut short. A
 * close changes nothing in the decoder (search prefilters pass over control frames unread). Such
 * an answer also carries what it becomes when the session ends with no later message in its
 * direction (`ifEnded`: "…: 7 of the 24 B after its fixed header arrived; the session ended
 * before the rest"), picked where the answer is read (session-end.ts). An empty binary message
 * holds no packet ([MQTT-6.0.0-2] lets a message hold whole or partial packets; none forbids an
 * empty one): while idle it is decoded as that, with no packets; inside a packet it is a part
 * that adds nothing.
 * The client's CONNECT is followed too (mqtt-connection.ts): a client packet before it, or a
 * second CONNECT, is one the server closes the connection for, and its summary says so (before
 * CONNECT only when the decoder read from the connection's start: not when started midway); its value,
 * validity and fields stay those of its bytes (searches' prefilters and proofs rely on it: they
 * never pass over a CONNECT, and no other packet changes what is followed).
 */
import mqtt from 'mqtt-packet';
import { decoded, joined, messageBuffer, notValid, partial, type DecodeOutcome, type StreamDecoder, type WireFrame } from './decoded-frame';
import { decodedFields, type DecodedFields } from './decoded-fields';
import { ENTRY_OVERHEAD_BYTES, MAX_SNAPSHOT_BYTES, wrongSnapshot, type DecoderSnapshot, type MqttParserState } from './decoder-snapshot';
import { textOrBytes, toJsonValue, type JsonValue } from './json-value';
import { withIfEnded } from './session-end';
import { connackSummary, connectionNote, connectState, withConnectState, type ConnectState } from './mqtt-connection';
import { formatBytes } from '../../shared/format-bytes';

type MqttPacket = mqtt.Packet;

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** A PUBLISH's topic for its summary; an empty one (an alias the decoder has not seen set, or none) said in words. */
function publishTopic(packet: mqtt.IPublishPacket): string {
  if (packet.topic !== '') return packet.topic;
  const alias = packet.properties?.topicAlias;
  return typeof alias === 'number' ? `(empty topic, alias ${alias} unknown)` : '(empty topic)';
}

/** "PUBLISH sensors/1 QoS 1 12 B id=5": the packet type and what it is about. */
export function mqttSummary(packet: MqttPacket): string {
  const id = packet.messageId !== undefined ? ` id=${packet.messageId}` : '';
  switch (packet.cmd) {
    case 'connect':
      return `CONNECT client=${packet.clientId === '' ? '(empty)' : packet.clientId} MQTT ${packet.protocolVersion === 4 ? '3.1.1' : packet.protocolVersion === 3 ? '3.1' : String(packet.protocolVersion ?? '?')} keepalive ${packet.keepalive ?? 0}${packet.clean ? ' clean' : ''}${packet.will ? ` will ${packet.will.topic}` : ''}`;
    case 'connack':
      return connackSummary(packet);
    case 'publish': {
      const size = typeof packet.payload === 'string' ? Buffer.byteLength(packet.payload) : packet.payload.byteLength;
      const alias = 'topicFromAlias' in packet && packet.topicFromAlias === true ? ` (alias ${String(packet.properties?.topicAlias)})` : '';
      return `PUBLISH ${publishTopic(packet)}${alias} QoS ${packet.qos} ${formatBytes(size)}${id}${packet.retain ? ' retain' : ''}${packet.dup ? ' dup' : ''}`;
    }
    case 'subscribe':
      return `SUBSCRIBE ${packet.subscriptions.map((s) => `${s.topic} QoS ${s.qos}`).join(', ')}${id}`;
    case 'suback':
      return `SUBACK${id} granted ${packet.granted.map((g: unknown) => (typeof g === 'number' ? String(g) : typeof g === 'object' && g !== null && 'qos' in g ? String(g.qos) : '?')).join(',')}`;
    case 'unsubscribe':
      return `UNSUBSCRIBE ${packet.unsubscriptions.join(', ')}${id}`;
    case 'disconnect':
      return `DISCONNECT${packet.reasonCode !== undefined ? ` reason ${packet.reasonCode}` : ''}`;
    case 'auth':
      return `AUTH reason ${packet.reasonCode}`;
    default:
      return `${packet.cmd.toUpperCase()}${id}${'reasonCode' in packet && typeof packet.reasonCode === 'number' && packet.reasonCode !== 0 ? ` reason ${packet.reasonCode}` : ''}`;
  }
}

/**
 * The packet as toJsonValue makes it, but a PUBLISH's payload as its text (else its bytes), put in
 * the payload's place: read once, not first as Base64 and then again as text. Every packet
 * mqtt-packet 9 makes starts with `topic: null` and `payload: null` (packet.js), and only a PUBLISH
 * sets them (parser.js), so another packet's value leaves them out: they said nothing.
 */
function packetValue(packet: MqttPacket): JsonValue {
  const publish = packet.cmd === 'publish';
  const value: { [key: string]: JsonValue } = {};
  for (const key of Object.keys(packet) as (keyof typeof packet)[]) {
    const field: unknown = packet[key];
    const name: string = key;
    if (field === undefined) continue;
    if (publish && name === 'payload') value.payload = textOrBytes(typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload);
    // Not a PUBLISH: mqtt-packet's placeholders, left out.
    else if (!publish && field === null && (name === 'topic' || name === 'payload')) continue;
    // One level in, as toJsonValue(packet) reads it (the packet's own keys are mqtt-packet's names).
    else value[key] = toJsonValue(field, 1);
  }
  return value;
}

interface DirectionParser {
  parser: mqtt.Parser;
  packets: MqttPacket[];
  /** By packet: what the server does with it given the CONNECT ('' when nothing needs saying). */
  notes: string[];
  error: string | undefined;
}

/** What mqtt-packet's parser holds between messages (not in its types): bytes kept, the state it is in. */
interface ParserInternals {
  _list?: { length?: unknown; slice?: unknown; append?: unknown };
  _stateCounter?: unknown;
  /** The packet being read: its fixed header's fields once read (1), its remaining length once read (2). */
  packet?: { cmd?: unknown; retain?: unknown; qos?: unknown; dup?: unknown; length?: unknown };
}

/** The parser's state between messages, copied; undefined when it is not the shape mqtt-packet 9 has. */
function parserState(parser: mqtt.Parser): MqttParserState | undefined {
  const internals = parser as unknown as ParserInternals;
  const list = internals._list;
  const packet = internals.packet;
  const stateCounter = internals._stateCounter;
  if (typeof stateCounter !== 'number' || stateCounter < 0 || stateCounter > 2 || !list || typeof list.slice !== 'function' || !packet) return undefined;
  const { cmd, retain, qos, dup, length } = packet;
  if ((cmd !== null && typeof cmd !== 'string') || typeof retain !== 'boolean' || typeof qos !== 'number' || typeof dup !== 'boolean' || typeof length !== 'number') return undefined;
  const held: unknown = list.slice.call(list);
  if (!(held instanceof Uint8Array)) return undefined;
  return { stateCounter, cmd, retain, qos, dup, length, bytes: Uint8Array.from(held) };
}

/** Puts a parser made afresh into a state parserState took. */
function restoreParser(parser: mqtt.Parser, state: MqttParserState): void {
  const internals = parser as unknown as ParserInternals;
  const list = internals._list;
  if (!list || typeof list.append !== 'function' || !internals.packet) throw new Error('mqtt-packet parser internals are not as expected (a snapshot cannot be restored)');
  list.append.call(list, Buffer.from(state.bytes));
  Object.assign(internals.packet, { cmd: state.cmd, retain: state.retain, qos: state.qos, dup: state.dup, length: state.length });
  internals._stateCounter = state.stateCounter;
}

export class MqttDecoder implements StreamDecoder {
  readonly protocol = 'mqtt' as const;
  /** Read by mqtt-packet on every packet; set from the CONNECT. */
  private readonly settings: { protocolVersion: number; bridgeMode: boolean } = { protocolVersion: 4, bridgeMode: false };
  private readonly parsers: Record<WireFrame['dir'], DirectionParser>;
  /** MQTT 5 topic aliases by sender: alias → topic, and topic → its aliases (a search's prefilter asks). */
  private readonly aliases: Record<WireFrame['dir'], Map<number, string>> = { in: new Map(), out: new Map() };
  private readonly aliasesByTopic: Record<WireFrame['dir'], Map<string, Set<number>>> = { in: new Map(), out: new Map() };
  /**
   * What is known of the client's CONNECT on this connection (a reconnect's walk starts with a
   * fresh decoder): none yet from the start, one read, or not known (started midway: startsMidway).
   */
  private connect: ConnectState = 'before';

  constructor() {
    this.parsers = { in: this.makeParser('in'), out: this.makeParser('out') };
  }

  /** This decoder's walk starts where earlier frames were not read: whether a CONNECT came before is not known (fresh-decoder.ts). */
  startsMidway(): void {
    if (this.connect === 'before') this.connect = 'unknown';
  }

  /** The protocol version packets are read as (the CONNECT's; 4 before one). */
  get protocolVersion(): number {
    return this.settings.protocolVersion;
  }

  /** The aliases of messages `dir` sends that stand for `topic`. */
  aliasesOf(dir: WireFrame['dir'], topic: string): ReadonlySet<number> | undefined {
    return this.aliasesByTopic[dir].get(topic);
  }

  /** The parser for `dir` holds no part of a packet (raw-prefilter.ts passes over whole packets only then). */
  idle(dir: WireFrame['dir']): boolean {
    const internals = this.parsers[dir].parser as unknown as ParserInternals;
    return internals._stateCounter === 0 && internals._list?.length === 0;
  }

  /**
   * The version, each direction's parser (the bytes of a packet not complete yet, copied, and the
   * header read from them) and the topic aliases (at most 65,535 a direction by MQTT, counted 32 B
   * each: the topics are the decoder's strings, shared, not copied). Over MAX_SNAPSHOT_BYTES
   * (a packet of more than 4 MB under way) none is taken.
   */
  snapshot(): DecoderSnapshot | undefined {
    let bytes = 0;
    const parsers: Record<WireFrame['dir'], MqttParserState | null> = { in: null, out: null };
    const aliases: Record<WireFrame['dir'], (number | string)[]> = { in: [], out: [] };
    for (const dir of ['in', 'out'] as const) {
      if (!this.idle(dir)) {
        const state = parserState(this.parsers[dir].parser);
        if (!state) return undefined;
        parsers[dir] = state;
        bytes += state.bytes.byteLength + ENTRY_OVERHEAD_BYTES;
      }
      for (const [alias, topic] of this.aliases[dir]) {
        aliases[dir].push(alias, topic);
        bytes += ENTRY_OVERHEAD_BYTES;
      }
      if (bytes > MAX_SNAPSHOT_BYTES) return undefined;
    }
    return withConnectState({ protocol: 'mqtt', bytes, protocolVersion: this.settings.protocolVersion, bridgeMode: this.settings.bridgeMode, parsers, aliases }, this.connect);
  }

  restore(snapshot: DecoderSnapshot): void {
    if (snapshot.protocol !== 'mqtt') throw wrongSnapshot(this.protocol, snapshot);
    this.settings.protocolVersion = snapshot.protocolVersion;
    this.settings.bridgeMode = snapshot.bridgeMode;
    this.connect = connectState(snapshot);
    for (const dir of ['in', 'out'] as const) {
      const state = snapshot.parsers[dir];
      if (state) restoreParser(this.parsers[dir].parser, state);
      this.aliases[dir].clear();
      this.aliasesByTopic[dir].clear();
      const list = snapshot.aliases[dir];
      for (let i = 0; i + 1 < list.length; i += 2) {
        const alias = list[i];
        const topic = list[i + 1];
        if (typeof alias === 'number' && typeof topic === 'string') this.setAlias(dir, alias, topic);
      }
    }
  }

  private makeParser(dir: WireFrame['dir']): DirectionParser {
    const state: DirectionParser = { parser: mqtt.parser(this.settings), packets: [], notes: [], error: undefined };
    state.parser.on('packet', (packet: MqttPacket) => {
      // Only the client connects (a CONNECT the other way is read for its version, as before).
      if (dir === 'out') {
        state.notes[state.packets.length] = connectionNote(packet.cmd, this.connect);
        if (packet.cmd === 'connect') this.connect = 'after';
      }
      if (packet.cmd === 'connect') {
        if (packet.protocolVersion !== undefined) this.settings.protocolVersion = packet.protocolVersion;
        this.settings.bridgeMode = 'bridgeMode' in packet && packet.bridgeMode === true; // set by the parser, not in its types
        // mqtt-packet makes the CONNECT its parser's settings: back to the shared ones, so both
        // directions read by the one version (and a parser made afresh after a bad packet reads
        // as the one it replaces).
        (state.parser as unknown as { settings: unknown }).settings = this.settings;
      }
      if (packet.cmd === 'publish') this.applyAlias(dir, packet);
      state.packets.push(packet);
    });
    state.parser.on('error', (error: unknown) => {
      state.error ??= error instanceof Error ? error.message : String(error);
    });
    return state;
  }

  /** A PUBLISH's Topic Alias: set with a topic, read without one (the packet then shows the topic). */
  private applyAlias(dir: WireFrame['dir'], packet: mqtt.IPublishPacket & { topicFromAlias?: boolean }): void {
    const alias = packet.properties?.topicAlias;
    if (typeof alias !== 'number') return;
    if (packet.topic !== '') {
      this.setAlias(dir, alias, packet.topic);
      return;
    }
    const topic = this.aliases[dir].get(alias);
    if (topic === undefined) return;
    packet.topic = topic;
    packet.topicFromAlias = true;
  }

  private setAlias(dir: WireFrame['dir'], alias: number, topic: string): void {
    const before = this.aliases[dir].get(alias);
    if (before !== undefined) this.aliasesByTopic[dir].get(before)?.delete(alias);
    this.aliases[dir].set(alias, topic);
    let set = this.aliasesByTopic[dir].get(topic);
    if (!set) this.aliasesByTopic[dir].set(topic, (set = new Set()));
    set.add(alias);
  }

  decode(frame: WireFrame): DecodeOutcome | undefined {
    if (frame.opcode === 'text') return notValid('mqtt', this.textFrame(frame.dir));
    if (frame.opcode === 'close') {
      const cut = this.underWay(frame.dir);
      return cut && notValid('mqtt', `a close frame, which cuts short the ${cut.name} under way in this direction: ${cut.arrived} arrived`);
    }
    if (frame.opcode !== 'binary') return undefined;
    const { packets, problem } = this.read(frame);
    if (problem !== undefined) {
      const done = packets.length > 0 ? ` after ${plural(packets.length, 'whole packet')}` : '';
      return notValid('mqtt', `packet ${packets.length + 1} of this message${done}: ${inWords(problem)}`);
    }
    // Asked of the parser, not taken from what parse() leaves unread: its header alone leaves nothing.
    const rest = this.underWay(frame.dir);
    if (packets.length === 0) {
      // Nothing read and nothing held: an empty message, which MQTT over WebSocket allows ([MQTT-6.0.0-2]).
      if (!rest) return decoded('mqtt', EMPTY_MESSAGE, { packets: [] });
      const part = frame.bytes.byteLength === 0 ? `an empty binary message, with part of an MQTT ${rest.name} under way` : `part of an MQTT ${rest.name}`;
      return withIfEnded(partial('mqtt', `${part}: ${rest.arrived} so far (continues in a later message)`, { continues: true }), notValid('mqtt', `${part}: ${rest.arrived} arrived; ${ENDED_BEFORE_THE_REST}`));
    }
    const empty = packets.findIndex(withoutTopicFilter);
    if (empty >= 0) {
      const name = packets[empty]?.cmd === 'subscribe' ? 'a SUBSCRIBE' : 'an UNSUBSCRIBE';
      return notValid('mqtt', `packet ${empty + 1} of this message: ${name} with no topic filter (MQTT requires at least one)`);
    }
    const notes = this.parsers[frame.dir].notes;
    const result = joined('mqtt', packets.map((packet, i) => ({ summary: mqttSummary(packet) + (notes[i] ?? ''), value: packetValue(packet) })), 'packets');
    if (rest && result.kind === 'decoded') {
      const start = `${result.summary} · then the start of ${withArticle(rest.name)}: ${rest.arrived}`;
      // The whole packets stay decoded (a broker acts on each as it completes); the words say the last never did.
      return withIfEnded({ ...result, summary: `${start} so far (continues)` }, { ...result, summary: `${start} arrived; ${ENDED_BEFORE_THE_REST}` });
    }
    return result;
  }

  /**
   * A text frame's problem. A broker closes the connection at one ([MQTT-6.0.0-1]), so the packet
   * under way in its direction ends there: said with how much of it arrived, and dropped.
   */
  private textFrame(dir: WireFrame['dir']): string {
    const problem = 'a text frame (MQTT over WebSocket is sent in binary frames only)';
    const cut = this.underWay(dir);
    if (!cut) return problem;
    this.parsers[dir] = this.makeParser(dir);
    return `${problem}, which cuts short the ${cut.name} under way in this direction: ${cut.arrived} arrived`;
  }

  /**
   * The packet the parser for `dir` holds the start of: its type's name and how much of it has
   * arrived, counted as its remaining length counts (the bytes after the fixed header, which is
   * the type byte and the length's own one to four bytes, not kept once read); undefined when the
   * parser holds nothing.
   */
  private underWay(dir: WireFrame['dir']): { name: string; arrived: string } | undefined {
    if (this.idle(dir)) return undefined;
    const internals = this.parsers[dir].parser as unknown as ParserInternals;
    const held = typeof internals._list?.length === 'number' ? internals._list.length : 0;
    const cmd = internals.packet?.cmd;
    const length = internals.packet?.length;
    const name = typeof cmd === 'string' ? packetName(cmd) : 'packet';
    // 1: the type byte read, the remaining length not yet whole (its bytes so far are held).
    if (internals._stateCounter === 1) return { name, arrived: `its first ${1 + held} B (its type and part of its remaining length)` };
    if (internals._stateCounter === 2 && typeof length === 'number' && length >= 0) return { name, arrived: `${held} of the ${length} B after its fixed header` };
    return { name, arrived: `${held} B` };
  }

  /**
   * mqtt-packet's words for a packet under way in `dir` whose type MQTT reserves: 0 always, 15
   * before MQTT 5 (its AUTH); undefined when there is none.
   */
  private reservedUnderWay(dir: WireFrame['dir']): string | undefined {
    if (this.idle(dir)) return undefined;
    const cmd = (this.parsers[dir].parser as unknown as ParserInternals).packet?.cmd;
    if (cmd === 'reserved') return 'Not supported';
    if (cmd === 'auth' && this.settings.protocolVersion < 5) return AUTH_BEFORE_5;
    return undefined;
  }

  /**
   * What decode's answer gives decoded-fields.ts, without its summaries and values (a search's
   * in-order walk reads many messages): the same reading, so the decoder moves on alike.
   */
  fields(frame: WireFrame): DecodedFields {
    if (frame.opcode === 'text') this.textFrame(frame.dir);
    if (frame.opcode !== 'binary') return decodedFields(null);
    const { packets, problem } = this.read(frame);
    if (problem !== undefined || packets.length === 0 || packets.some(withoutTopicFilter)) return decodedFields(null);
    const parts = packets.map(fieldsOf);
    return decodedFields(parts.length === 1 ? (parts[0] ?? null) : { packets: parts });
  }

  /** The message's whole packets (the parser keeps the start of one that continues: underWay), or what is wrong. */
  private read(frame: WireFrame): { packets: MqttPacket[]; problem?: string } {
    const state = this.parsers[frame.dir];
    state.packets = [];
    state.notes = [];
    state.error = undefined;
    try {
      state.parser.parse(messageBuffer(frame.bytes));
    } catch (error) {
      state.error ??= error instanceof Error ? error.message : String(error);
    }
    const packets = state.packets;
    // mqtt-packet holds a reserved type's start until its remaining length has arrived (and only
    // then refuses it): the type byte alone says it is not MQTT, so the next message starts afresh.
    state.error ??= this.reservedUnderWay(frame.dir);
    if (state.error !== undefined) {
      // Start clean: what follows an invalid packet cannot be found again.
      this.parsers[frame.dir] = this.makeParser(frame.dir);
      return { packets, problem: state.error };
    }
    return { packets };
  }
}

/** An empty binary message read while no packet is under way in its direction. */
export const EMPTY_MESSAGE = 'empty binary message (no MQTT packet: MQTT over WebSocket sends whole or partial packets, and an empty message carries nothing)';

/** How a message's answer ends once the session ended with it the last of its direction and a packet under way (session-end.ts). */
export const ENDED_BEFORE_THE_REST = 'the session ended before the rest';

/** "PUBLISH" for mqtt-packet's 'publish'; its 'reserved' (type 0) in words. */
function packetName(cmd: string): string {
  return cmd === 'reserved' ? 'packet of type 0 (reserved)' : cmd.toUpperCase();
}

/** "a PUBLISH", "an UNSUBSCRIBE", "an AUTH". */
function withArticle(name: string): string {
  return `${/^[AEIOU]/.test(name) ? 'an' : 'a'} ${name}`;
}

/** mqtt-packet's refusal of an AUTH (type 15) before MQTT 5. */
const AUTH_BEFORE_5 = 'Not supported auth packet for this version MQTT';

/** mqtt-packet's terse words made plain (its 'Not supported' comes only for packet type 0, which MQTT reserves). */
function inWords(problem: string): string {
  if (problem === 'Not supported') return 'packet type 0 is reserved (MQTT gives it to no packet)';
  if (problem === AUTH_BEFORE_5) return 'packet type 15 is reserved before MQTT 5 (where it is AUTH)';
  return problem;
}

/**
 * A SUBSCRIBE or UNSUBSCRIBE without a topic filter: mqtt-packet reads one, but MQTT requires at
 * least one (3.1.1 §3.8.3, §3.10.3; 5 §3.8.3, §3.10.3), so decode() says it is not valid.
 */
function withoutTopicFilter(packet: MqttPacket): boolean {
  if (packet.cmd === 'subscribe') return !Array.isArray(packet.subscriptions) || packet.subscriptions.length === 0;
  if (packet.cmd === 'unsubscribe') return !Array.isArray(packet.unsubscriptions) || packet.unsubscriptions.length === 0;
  return false;
}

/** The parts of a packet's value decoded-fields.ts reads (its topic, subscriptions' and unsubscriptions' topics). */
function fieldsOf(packet: MqttPacket): JsonValue {
  const part: { [key: string]: JsonValue } = {};
  if ('topic' in packet && typeof packet.topic === 'string') part.topic = packet.topic;
  if ('subscriptions' in packet && Array.isArray(packet.subscriptions)) part.subscriptions = packet.subscriptions.map((s) => ({ topic: typeof s.topic === 'string' ? s.topic : null }));
  if ('unsubscriptions' in packet && Array.isArray(packet.unsubscriptions)) part.unsubscriptions = packet.unsubscriptions.map((t) => (typeof t === 'string' ? t : null));
  return part;
}
