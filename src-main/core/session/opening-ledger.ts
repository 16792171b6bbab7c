/**
 * What opened the protocol session in one attempt of a reconnecting connection, read from the
 * messages sent (ws-connection.ts hands every user send here): a STOMP CONNECT/STOMP, an MQTT
 * CONNECT, a GraphQL connection_init (graphql-transport-ws and the legacy graphql-ws), a SignalR
 * handshake, Socket.IO namespace CONNECTs; and the subscriptions still active (STOMP SUBSCRIBE,
 * MQTT SUBSCRIBE, GraphQL subscribe/start of a subscription operation). The messages are read
 * with the protocol's own decoder (decoder-registry.ts), outgoing direction only; a packet split
 * over several messages is kept as those messages. opening-replay.ts sends the plan again when a
 * later attempt opens. The bytes (a CONNECT's password too) stay in this object's memory only.
 *
 * The server can end what the client opened: a GraphQL operation (`complete`) and a Socket.IO
 * namespace (its DISCONNECT). It can refuse it: a GraphQL operation (an `error` that ends it, in
 * both subprotocols), a Socket.IO namespace (CONNECT_ERROR), an MQTT SUBSCRIBE whose every filter the SUBACK refused
 * (code ≥ 0x80), a STOMP frame answered with ERROR (the ERROR names its receipt, or comes after
 * it before anything shows it taken). The connection hands the server's messages here
 * (`received`, read by opening-server-reader.ts) while they may say so (`wantsIncoming`); what
 * was ended is no longer sent again, what was refused neither, and the plan says why. A SUBSCRIBE
 * the broker refused in part is sent again whole, as the user sent it, and its label says which
 * filters were refused before. Messages are ordered by their seq in the log, so a subscription
 * sent again after the server ended the earlier one with its id stays.
 */
import { RESENT_LIMITS } from '../../shared/attempts';
import { quote, type DecodeOutcome, type DecoderName, type StreamDecoder } from '../decode/decoded-frame';
import { createDecoder } from '../decode/decoder-registry';
import type { JsonValue } from '../decode/json-value';
import { RECOGNITION_FRAMES, recogniseFirstFrame, recogniseSubprotocol, recogniseUrl, type ProtocolGuess } from '../decode/recognise-protocol';
import { OpeningServerReader, type ServerSays } from './opening-server-reader';
import { subackRefusals } from './suback-refusals';

/** The protocols that have an opening message to send again. */
export type ReplayProtocol = 'stomp' | 'mqtt' | 'graphql-ws' | 'signalr' | 'socketio';
const REPLAY_PROTOCOLS: readonly DecoderName[] = ['stomp', 'mqtt', 'graphql-ws', 'signalr', 'socketio'];

/** At most this many messages and bytes are kept to send again (the rest is named as not sent). */
export const MAX_KEPT_MESSAGES = 200;
export const MAX_KEPT_BYTES = 1024 * 1024;

export interface KeptMessage {
  kind: 'text' | 'binary';
  payload: Buffer;
}

/** One protocol packet (or frame) to send again, as the message(s) that carried it. */
export interface ReplayItem {
  role: 'opening' | 'subscription';
  /** Words for the notice, never a credential: "STOMP CONNECT", "MQTT SUBSCRIBE a/b". */
  label: string;
  messages: KeptMessage[];
  /** What makes it replaced or cancelled by a later message: the namespace, the subscription id, the topics. */
  key: string;
  /** MQTT SUBSCRIBE: its topics (an UNSUBSCRIBE of some of them makes it unsafe to send again). */
  topics?: string[];
  /** The seq of its (last) message: the server's end of an earlier one with this key does not end it. */
  seq: number;
  /** STOMP: the receipt headers of its frames (an ERROR naming one refuses it). */
  receipts?: string[];
  /** MQTT SUBSCRIBE: its packet id, until its SUBACK came (`answered`). */
  messageId?: number;
  answered?: boolean;
  /** MQTT SUBSCRIBE the broker refused in part: which filters, in words (the plan's label says it). */
  refusedBefore?: string;
}

export interface ReplayPlan {
  protocol: ReplayProtocol;
  openings: ReplayItem[];
  subscriptions: ReplayItem[];
  /** What was sent but will not be sent again, in words (a split packet tangled with the next, a CONNECT sent with a SEND). */
  notSent: string[];
}

export interface LedgerSigns {
  url: string;
  /** The subprotocols the connection asked for (the server chooses one of them). */
  subprotocols: readonly string[];
}

type Role = ReplayItem['role'] | 'cancel' | 'forget' | 'other' | 'neutral' | 'auth';
interface Classified {
  role: Role;
  label: string;
  key: string;
  topics?: string[];
  /** MQTT 5 enhanced authentication: the method a CONNECT or AUTH names. */
  authMethod?: string;
  /** STOMP: the frame's receipt header, its command, its subscription id. */
  receipt?: string;
  command?: string;
  subId?: string;
  /** MQTT SUBSCRIBE: its packet id. */
  messageId?: number;
}

/** STOMP: the server's messages after a kept frame in which an ERROR without receipt-id is taken as its answer. */
export const STOMP_ANSWER_WINDOW = 64;

/** An own field of a decoded JSON object. */
function field(value: JsonValue | undefined, key: string): JsonValue | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.hasOwn(value, key) ? value[key] : undefined;
}

function text(value: JsonValue | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** The protocol frames a decoded message holds (joined values list them under a noun). */
function framesOf(outcome: DecodeOutcome & { kind: 'decoded' }): JsonValue[] {
  const list = field(outcome.value, 'frames') ?? field(outcome.value, 'packets') ?? field(outcome.value, 'messages');
  return Array.isArray(list) ? list : [outcome.value];
}

const NEUTRAL: Classified = { role: 'neutral', label: '', key: '' };

function classifyStomp(frame: JsonValue): Classified {
  if (field(frame, 'heartbeat') === true) return NEUTRAL;
  const command = text(field(frame, 'command')) ?? '';
  const headers = field(frame, 'headers');
  const id = text(field(headers, 'id')) ?? '';
  const receipt = text(field(headers, 'receipt'));
  const about = { command, ...(receipt !== undefined ? { receipt } : {}) };
  if (command === 'CONNECT' || command === 'STOMP') return { role: 'opening', label: `STOMP ${command}`, key: 'connect', ...about };
  if (command === 'SUBSCRIBE') return { role: 'subscription', label: `STOMP SUBSCRIBE ${text(field(headers, 'destination')) ?? ''}`.trimEnd(), key: `id:${id}`, subId: id, ...about };
  if (command === 'UNSUBSCRIBE') return { role: 'cancel', label: `STOMP UNSUBSCRIBE ${id}`, key: `id:${id}` };
  if (command === 'DISCONNECT') return { role: 'forget', label: 'STOMP DISCONNECT', key: '' };
  return { role: 'other', label: `STOMP ${command}`, key: '', ...about };
}

function classifyMqtt(packet: JsonValue): Classified {
  const cmd = text(field(packet, 'cmd')) ?? '';
  if (cmd === 'connect') return { role: 'opening', label: 'MQTT CONNECT', key: 'connect' };
  if (cmd === 'auth') {
    // MQTT 5 enhanced authentication: an AUTH answers the broker's challenge on this connection.
    const authMethod = text(field(field(packet, 'properties'), 'authenticationMethod'));
    return { role: 'auth', label: 'MQTT AUTH', key: '', ...(authMethod !== undefined ? { authMethod } : {}) };
  }
  if (cmd === 'pingreq') return NEUTRAL;
  const topicsOf = (list: JsonValue | undefined): string[] =>
    Array.isArray(list) ? list.map((entry) => (typeof entry === 'string' ? entry : (text(field(entry, 'topic')) ?? ''))) : [];
  if (cmd === 'subscribe') {
    const topics = topicsOf(field(packet, 'subscriptions'));
    const messageId = field(packet, 'messageId');
    return { role: 'subscription', label: `MQTT SUBSCRIBE ${topics.join(', ')}`.trimEnd(), key: `topics:${topics.join('\n')}`, topics, ...(typeof messageId === 'number' ? { messageId } : {}) };
  }
  if (cmd === 'unsubscribe') {
    const topics = topicsOf(field(packet, 'unsubscriptions'));
    return { role: 'cancel', label: `MQTT UNSUBSCRIBE ${topics.join(', ')}`, key: '', topics };
  }
  if (cmd === 'disconnect') return { role: 'forget', label: 'MQTT DISCONNECT', key: '' };
  return { role: 'other', label: `MQTT ${cmd.toUpperCase()}`, key: '' };
}

function classifyGraphql(message: JsonValue): Classified {
  const type = text(field(message, 'type')) ?? '';
  const id = text(field(message, 'id')) ?? '';
  if (type === 'connection_init') return { role: 'opening', label: 'GraphQL connection_init', key: 'init' };
  if (type === 'subscribe' || type === 'start') {
    // A query or a mutation sent again would run again: only subscriptions are restored.
    const operation = field(message, 'operation');
    if (text(field(operation, 'type')) !== 'subscription') return { role: 'other', label: `GraphQL ${type} #${id}`, key: '' };
    const name = text(field(operation, 'name'));
    return { role: 'subscription', label: `GraphQL ${type} #${id}${name !== undefined ? ` (${name})` : ''}`, key: `id:${id}` };
  }
  if (type === 'complete' || type === 'stop') return { role: 'cancel', label: `GraphQL ${type} #${id}`, key: `id:${id}` };
  if (type === 'connection_terminate') return { role: 'forget', label: 'GraphQL connection_terminate', key: '' };
  if (type === 'ping' || type === 'pong' || type === 'ka') return NEUTRAL;
  return { role: 'other', label: `GraphQL ${type}`, key: '' };
}

function classifySignalR(record: JsonValue): Classified {
  const type = text(field(record, 'messageType')) ?? '';
  if (type === 'HandshakeRequest') return { role: 'opening', label: `SignalR handshake (${text(field(record, 'protocol')) ?? '?'})`, key: 'handshake' };
  if (type === 'Ping') return NEUTRAL;
  if (type === 'Close') return { role: 'forget', label: 'SignalR close', key: '' };
  return { role: 'other', label: `SignalR ${type}`, key: '' };
}

function classifySocketIo(packet: JsonValue): Classified {
  const type = text(field(packet, 'type')) ?? '';
  const nsp = text(field(packet, 'nsp')) ?? '/';
  if (type === 'CONNECT') return { role: 'opening', label: `Socket.IO CONNECT ${nsp}`, key: `nsp:${nsp}` };
  if (type === 'DISCONNECT') return { role: 'cancel', label: `Socket.IO DISCONNECT ${nsp}`, key: `nsp:${nsp}` };
  // Engine.IO's own packets (pong, a ping typed by the user) carry no session.
  if (field(packet, 'engineIO') !== 'message') return NEUTRAL;
  return { role: 'other', label: `Socket.IO ${type}`, key: '' };
}

const CLASSIFIERS: Readonly<Record<ReplayProtocol, (frame: JsonValue) => Classified>> = {
  stomp: classifyStomp,
  mqtt: classifyMqtt,
  'graphql-ws': classifyGraphql,
  signalr: classifySignalR,
  socketio: classifySocketIo,
};

function isReplayProtocol(name: DecoderName): name is ReplayProtocol {
  return REPLAY_PROTOCOLS.includes(name);
}

/** The protocol the connection's own signs name (a subprotocol asked for, the URL), if they agree on one. */
export function protocolOfSigns(signs: LedgerSigns): ProtocolGuess | undefined {
  const named = signs.subprotocols.map(recogniseSubprotocol).filter((guess) => guess !== undefined);
  const first = named[0];
  if (first && named.every((guess) => guess.protocol === first.protocol)) return first;
  return recogniseUrl(signs.url);
}

/**
 * The messages one protocol session was opened with, as they are sent. Feed it every message the
 * user (or a replay) sends in an attempt, in order; `plan()` is what a later attempt sends again.
 */
export class OpeningLedger {
  private protocol: ReplayProtocol | undefined;
  private decoder: StreamDecoder | undefined;
  /** Data messages looked at without recognising a protocol; at RECOGNITION_FRAMES, none is looked at again. */
  private looked = 0;
  private givenUp = false;
  private engineVersion: 3 | 4 = 4;
  /** Messages of a packet under way (split over messages), and whether they began inside another packet. */
  private pending: KeptMessage[] = [];
  private pendingBytes = 0;
  /** The packet under way outgrew MAX_KEPT_BYTES: its pieces are no longer kept (a large SEND body, never an opening). */
  private oversize = false;
  private tangled = false;
  private items: ReplayItem[] = [];
  private notSent: string[] = [];
  private keptBytes = 0;
  /** The server's messages, read only for what they end or refuse (a decoder of its own: the client's keeps its state). */
  private reader: OpeningServerReader | undefined;
  /** What the server refused, and why (the plan says it; a later item with the key takes it back). */
  private refusals: { key: string; line: string }[] = [];
  /** STOMP: the last frame sent, when it is kept and nothing showed it taken yet (an ERROR after it answers it). */
  private stompWaiting: { key: string; seq: number; command: string; receipt?: string; subId?: string; looked: number } | undefined;
  /** The latest seq seen (a caller without seqs: the order of the calls). */
  private lastSeq = 0;
  /** MQTT 5 enhanced authentication: AUTH packets sent since the CONNECT, and the method named. */
  private mqttAuth: { method: string | undefined } | undefined;

  constructor(signs: LedgerSigns) {
    const guess = protocolOfSigns(signs);
    if (guess && isReplayProtocol(guess.protocol)) this.choose(guess.protocol, guess.engineVersion);
    // Socket.IO's Engine.IO version is the URL's even when a subprotocol named the protocol.
    const eio = recogniseUrl(signs.url)?.engineVersion;
    if (eio !== undefined) this.engineVersion = eio;
  }

  /** Whether anything would be sent again. */
  get empty(): boolean {
    return this.items.length === 0;
  }

  /** Bytes held: the packets kept to send again and the pieces of the one under way. */
  get heldBytes(): number {
    return this.keptBytes + this.pendingBytes;
  }

  /** Whether the server's messages may end something kept (a GraphQL subscription, a Socket.IO namespace): else `received` need not be called. */
  get wantsIncoming(): boolean {
    // Socket.IO, MQTT, STOMP: from the start, so the stream's packets and frames are followed whole.
    if (this.protocol === 'socketio' || this.protocol === 'mqtt' || this.protocol === 'stomp') return true;
    return this.protocol === 'graphql-ws' && this.items.some((item) => item.role === 'subscription');
  }

  /** A message the client sent (`seq`: its seq in the log; without it, the calls' order). */
  sent(kind: 'text' | 'binary', payload: Buffer, seq = this.lastSeq + 1): void {
    this.lastSeq = Math.max(this.lastSeq, seq);
    if (this.givenUp) return;
    if (!this.decoder) {
      const guess = recogniseFirstFrame(kind, payload);
      if (guess && isReplayProtocol(guess.protocol)) this.choose(guess.protocol, guess.engineVersion);
      else if (++this.looked >= RECOGNITION_FRAMES) this.givenUp = true;
      if (!this.decoder) return;
    }
    const decoder = this.decoder;
    const outcome = decoder.decode({ seq: 0, dir: 'out', opcode: kind, bytes: payload });
    if (outcome === undefined) return;
    // Copied only when kept: the pieces of a packet under way, an opening, a subscription (the caller may reuse its buffer).
    const message: KeptMessage = { kind, payload };
    if (outcome.kind === 'partial') {
      this.keepPending(message);
      return;
    }
    const messages = [...this.pending, message];
    const tangledBefore = this.tangled;
    const oversize = this.oversize;
    this.pending = [];
    this.pendingBytes = 0;
    this.oversize = false;
    // A message that completes one packet and starts the next: both are tangled in its bytes.
    this.tangled = decoder.idle ? !decoder.idle('out') : false;
    if (this.tangled) this.keepPending(message);
    if (outcome.kind === 'invalid') return;
    const frames = framesOf(outcome).map((frame) => CLASSIFIERS[this.protocol ?? 'stomp'](frame));
    if (oversize) {
      if (frames.some((frame) => frame.role === 'opening' || frame.role === 'subscription')) this.note(`a packet of more than 1 MiB over several messages: not kept to send again`);
      return;
    }
    this.take(frames, messages, tangledBefore || this.tangled, seq);
  }

  /**
   * A message the server sent (`seq` as for `sent`). What it ends or refuses (a GraphQL
   * operation, a Socket.IO namespace, an MQTT SUBSCRIBE, a STOMP frame) and was sent before it
   * is not sent again.
   */
  received(kind: 'text' | 'binary', payload: Buffer, seq = this.lastSeq + 1): void {
    this.lastSeq = Math.max(this.lastSeq, seq);
    const reader = this.readerNow();
    if (!reader) return;
    const waiting = this.stompWaiting;
    for (const says of reader.read(kind, payload, waiting !== undefined)) this.heard(says, seq);
    // An ERROR long after the frame answers something else ("right after it", before the close).
    if (waiting !== undefined && this.stompWaiting === waiting && ++waiting.looked >= STOMP_ANSWER_WINDOW) this.stompWaiting = undefined;
  }

  private readerNow(): OpeningServerReader | undefined {
    const protocol = this.protocol;
    if (protocol === undefined || protocol === 'signalr') return undefined;
    this.reader ??= new OpeningServerReader(protocol, this.engineVersion);
    return this.reader;
  }

  /** What one server frame says, at `seq`. */
  private heard(says: ServerSays, seq: number): void {
    const before = (item: ReplayItem): boolean => item.seq < seq;
    switch (says.kind) {
      case 'ended':
        this.drop((item) => item.key === says.key && before(item));
        return;
      case 'refused':
        this.refuse((item) => item.key === says.key && before(item), says.why);
        return;
      case 'suback':
        this.subacked(says.messageId, says.codes, seq);
        return;
      case 'stomp-taken': {
        const w = this.stompWaiting;
        if (!w) return;
        const taken = says.command === 'CONNECTED' ? w.command === 'CONNECT' || w.command === 'STOMP' : says.command === 'RECEIPT' ? says.ref === w.receipt : says.ref === w.subId;
        if (taken) this.stompWaiting = undefined;
        return;
      }
      case 'stomp-error': {
        const w = this.stompWaiting;
        this.stompWaiting = undefined;
        const why = `the server answered it with ERROR${says.message !== undefined ? ` ${quote(says.message, 80)}` : ''}`;
        // The receipt names the frame; without one, the ERROR answers the last frame sent (the server closes after it).
        if (says.receiptId !== undefined) this.refuse((item) => before(item) && (item.receipts?.includes(says.receiptId ?? '') ?? false), why);
        else if (w && w.seq < seq) this.refuse((item) => item.key === w.key && item.seq === w.seq, why);
        return;
      }
    }
  }

  /** An MQTT SUBACK for packet id `messageId`: a SUBSCRIBE refused whole is not sent again; refused in part, its label says so. */
  private subacked(messageId: number, codes: readonly number[], seq: number): void {
    const item = this.items.findLast((entry) => entry.messageId === messageId && entry.answered !== true && entry.seq < seq);
    if (!item) return;
    const refusals = subackRefusals(item.topics ?? [], codes);
    if (refusals.all) {
      this.refuse((entry) => entry === item, `the broker refused ${(item.topics?.length ?? 0) === 1 ? 'it' : 'every filter'} (SUBACK ${refusals.words})`);
      return;
    }
    const answered: ReplayItem = { ...item, answered: true, ...(refusals.words !== '' ? { refusedBefore: refusals.words } : {}) };
    this.items = this.items.map((entry) => (entry === item ? answered : entry));
  }

  /** Drops the items `which` picks and says why in the plan. */
  private refuse(which: (item: ReplayItem) => boolean, why: string): void {
    for (const item of this.items.filter(which)) {
      this.drop((entry) => entry === item);
      this.refusals = this.refusals.filter((r) => r.key !== item.key);
      if (this.refusals.length < 20) this.refusals.push({ key: item.key, line: `${item.label}: ${why}` });
    }
  }

  private keepPending(message: KeptMessage): void {
    if (this.oversize) return;
    this.pendingBytes += message.payload.length;
    if (this.pendingBytes <= MAX_KEPT_BYTES) {
      this.pending.push({ kind: message.kind, payload: Buffer.from(message.payload) });
      return;
    }
    this.pending = [];
    this.pendingBytes = 0;
    this.oversize = true;
  }

  /** What a later attempt sends again: the openings, then the subscriptions, each in the order sent. */
  plan(): ReplayPlan | undefined {
    // Nothing to send but a refusal to tell: the next attempt's notice still says why.
    if (!this.protocol || (this.items.length === 0 && this.refusals.length === 0)) return undefined;
    const auth = this.mqttAuth;
    // Said, not sent: an AUTH answers the challenge the broker made on that connection; a new connection gets a new challenge.
    const authLine = auth
      ? [`MQTT AUTH (MQTT 5 enhanced authentication${auth.method !== undefined ? `, ${auth.method}` : ''}): not sent again, each AUTH answers the broker's challenge on that connection and a new connection gets a new one; the CONNECT went again, answer the broker's AUTH if it asks`]
      : [];
    return {
      protocol: this.protocol,
      openings: this.items.filter((item) => item.role === 'opening'),
      subscriptions: this.items.filter((item) => item.role === 'subscription').map(withRefusedBefore),
      notSent: [...this.notSent, ...this.refusals.map((r) => r.line), ...authLine],
    };
  }

  private choose(protocol: ReplayProtocol, engineVersion: 3 | 4 | undefined): void {
    this.protocol = protocol;
    if (engineVersion !== undefined) this.engineVersion = engineVersion;
    this.decoder = createDecoder(protocol, { engineVersion: this.engineVersion });
  }

  private take(frames: Classified[], messages: KeptMessage[], tangled: boolean, seq: number): void {
    const kept = frames.filter((frame) => frame.role === 'opening' || frame.role === 'subscription');
    for (const frame of frames) {
      if (frame.role === 'forget') {
        // The user ended the protocol session: a later attempt starts none.
        this.items = [];
        this.notSent = [];
        this.refusals = [];
        this.stompWaiting = undefined;
        this.keptBytes = 0;
        this.mqttAuth = undefined;
      } else if (frame.role === 'cancel') this.cancel(frame);
      // A CONNECT starts its own authentication; the AUTHs after it belong to it.
      else if (frame.role === 'opening' && this.protocol === 'mqtt') this.mqttAuth = undefined;
      // (A client's AUTH names its method: MQTT 5.0 §3.15.2.2.2.)
      else if (frame.role === 'auth') this.mqttAuth = { method: frame.authMethod ?? this.mqttAuth?.method };
    }
    // STOMP: a frame sent after the one waiting is what a later ERROR answers.
    if (this.protocol === 'stomp' && frames.some((frame) => frame.role !== 'neutral')) this.stompWaiting = undefined;
    if (kept.length === 0) return;
    const label = kept.map((frame) => frame.label).join(' + ');
    const others = frames.filter((frame) => frame.role === 'other' || frame.role === 'auth');
    if (tangled) {
      this.note(`${label}: its message also carried part of another packet`);
      return;
    }
    if (others.length > 0) {
      // Sending it again would send the rest again too (a SEND, a PUBLISH, a query).
      this.note(`${label}: sent in one message with ${others.map((frame) => frame.label).join(', ')}`);
      return;
    }
    const first = kept[0];
    if (!first) return;
    const role: ReplayItem['role'] = kept.some((frame) => frame.role === 'opening') ? 'opening' : 'subscription';
    const key = kept.length === 1 ? first.key : `several:${label}`;
    const topics = kept.flatMap((frame) => frame.topics ?? []);
    // A new opening (or the same subscription id) replaces the earlier one.
    this.drop((item) => item.role === role && item.key === key && (role === 'opening' || key !== 'id:'));
    const bytes = messages.reduce((sum, m) => sum + m.payload.length, 0);
    if (this.items.length >= MAX_KEPT_MESSAGES || this.keptBytes + bytes > MAX_KEPT_BYTES) {
      this.note(`${label}: more than ${MAX_KEPT_MESSAGES} messages or 1 MiB to send again`);
      return;
    }
    this.keptBytes += bytes;
    const copies = messages.map((m) => ({ kind: m.kind, payload: Buffer.from(m.payload) }));
    const receipts = kept.flatMap((frame) => (frame.receipt !== undefined ? [frame.receipt] : []));
    const messageId = kept.length === 1 ? first.messageId : undefined;
    this.items.push({ role, label, messages: copies, key, seq, ...(topics.length > 0 ? { topics } : {}), ...(receipts.length > 0 ? { receipts } : {}), ...(messageId !== undefined ? { messageId } : {}) });
    // Sent again after a refusal: this one is what goes, and the refusal is history.
    this.refusals = this.refusals.filter((r) => r.key !== key);
    if (this.protocol === 'mqtt' && role === 'opening') this.readerNow()?.clientConnect(copies);
    const last = kept.at(-1);
    if (this.protocol === 'stomp' && last && frames.at(-1) === last) {
      this.stompWaiting = { key, seq, command: last.command ?? '', looked: 0, ...(last.receipt !== undefined ? { receipt: last.receipt } : {}), ...(last.subId !== undefined ? { subId: last.subId } : {}) };
    }
  }

  private cancel(frame: Classified): void {
    if (frame.topics !== undefined) {
      const gone = new Set(frame.topics);
      for (const item of this.items.filter((entry) => entry.topics?.some((topic) => gone.has(topic)))) {
        this.drop((entry) => entry === item);
        // Only some of its topics were unsubscribed: sending it again would subscribe them again.
        if (item.topics?.some((topic) => !gone.has(topic))) this.note(`${item.label}: some of its topics were unsubscribed since`);
      }
      return;
    }
    this.drop((item) => item.key === frame.key);
  }

  private drop(which: (item: ReplayItem) => boolean): void {
    this.items = this.items.filter((item) => {
      if (!which(item)) return true;
      this.keptBytes -= item.messages.reduce((sum, m) => sum + m.payload.length, 0);
      return false;
    });
  }

  private note(line: string): void {
    if (this.notSent.length < 20) this.notSent.push(line);
  }
}

/** A SUBSCRIBE refused in part is sent again whole, as sent: its label says which filters were refused before, and that the broker answers again. */
function withRefusedBefore(item: ReplayItem): ReplayItem {
  if (item.refusedBefore === undefined) return item;
  const why = ` (the broker refused ${item.refusedBefore} before; sent again as you sent it, the broker answers again)`;
  const room = RESENT_LIMITS.label - why.length;
  const label = item.label.length > room ? `${item.label.slice(0, Math.max(0, room - 1))}…` : item.label;
  return { ...item, label: `${label}${why}` };
}
