/**
 * Reads the server's messages for what they say about what the client opened (opening-ledger.ts
 * acts on it): a GraphQL operation ended (`complete`) or ended with an `error` (a refusal, named), a Socket.IO namespace left
 * (DISCONNECT) or refused (CONNECT_ERROR), an MQTT SUBACK and its codes, a STOMP ERROR and the
 * frames that show a client frame was taken (CONNECTED, RECEIPT, MESSAGE).
 *
 * Most messages are not decoded (`skippable`, a speed-up: what it reports equals reading every
 * message in order, test/unit/session/opening-ledger-server-end.test.ts). MQTT is framed, not
 * decoded (mqtt-framer.ts): only a SUBACK's bytes are kept and read.
 */
import type { DecoderName, StreamDecoder } from '../decode/decoded-frame';
import { createDecoder } from '../decode/decoder-registry';
import { parseStompFrame } from '../decode/stomp-frame';
import type { JsonValue } from '../decode/json-value';
import { MqttFramer } from './mqtt-framer';

export type ServerSays =
  /** It ended what the client opened with this key (GraphQL operation, Socket.IO namespace). */
  | { kind: 'ended'; key: string }
  /** It refused what the client opened with this key, in words (Socket.IO CONNECT_ERROR, a GraphQL error). */
  | { kind: 'refused'; key: string; why: string }
  /** An MQTT SUBACK: the SUBSCRIBE's packet id and one code per filter (≥ 0x80: refused). */
  | { kind: 'suback'; messageId: number; codes: number[] }
  /** A STOMP ERROR, with the receipt it names and its message header. */
  | { kind: 'stomp-error'; receiptId: string | undefined; message: string | undefined }
  /** A STOMP frame showing a client frame taken: CONNECTED, a RECEIPT (its receipt-id), a MESSAGE (its subscription). */
  | { kind: 'stomp-taken'; command: 'CONNECTED' | 'RECEIPT' | 'MESSAGE'; ref: string };

/** The protocols whose server messages say something here. */
export type ReadProtocol = 'graphql-ws' | 'socketio' | 'mqtt' | 'stomp';

const SUBACK = 9;
const NUL = 0x00;

function field(value: JsonValue | undefined, key: string): JsonValue | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.hasOwn(value, key) ? value[key] : undefined;
}

function text(value: JsonValue | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function framesOf(value: JsonValue): JsonValue[] {
  const list = field(value, 'frames') ?? field(value, 'packets') ?? field(value, 'messages');
  return Array.isArray(list) ? list : [value];
}

/** Bytes one of which a GraphQL message ending an operation must hold: its type unescaped, or an escape. */
const GRAPHQL_END_NEEDLES = [Buffer.from('complete'), Buffer.from('error'), Buffer.from('\\')];
/** STOMP: bytes a message must hold to carry a frame that matters while nothing waits for an answer (CONNECTED sets the escapes). */
const STOMP_NEEDLES = [Buffer.from('ERROR'), Buffer.from('CONNECTED')];
const CONTENT_LENGTH = Buffer.from('content-length');

/** A Socket.IO CONNECT_ERROR's words: the v3+ `{message}` or the v2 string. */
function connectErrorWords(data: JsonValue | undefined): string {
  const message = text(data) ?? text(field(data, 'message'));
  return message !== undefined && message !== '' ? `CONNECT_ERROR '${message.length > 80 ? `${message.slice(0, 80)}…` : message}'` : 'CONNECT_ERROR';
}

/** A GraphQL error message's words: the first error's message (a list in graphql-transport-ws, often one object in the legacy protocol). */
function graphqlErrorWords(payload: JsonValue | undefined): string {
  const first = Array.isArray(payload) ? payload[0] : payload;
  const message = text(field(first, 'message'));
  return message !== undefined && message !== '' ? `error '${message.length > 80 ? `${message.slice(0, 80)}…` : message}'` : 'error';
}

function whatItSays(protocol: ReadProtocol, frame: JsonValue): ServerSays | undefined {
  if (protocol === 'graphql-ws') {
    const type = text(field(frame, 'type'));
    const id = text(field(frame, 'id'));
    if (id === undefined) return undefined;
    if (type === 'complete') return { kind: 'ended', key: `id:${id}` };
    // An error ends the operation as a refusal (its resolver or the server's rules): the notice names it.
    if (type === 'error') return { kind: 'refused', key: `id:${id}`, why: `the server ended it with ${graphqlErrorWords(field(frame, 'payload'))}` };
    return undefined;
  }
  if (protocol === 'socketio') {
    if (field(frame, 'engineIO') !== 'message') return undefined;
    const type = field(frame, 'type');
    const key = `nsp:${text(field(frame, 'nsp')) ?? '/'}`;
    if (type === 'DISCONNECT') return { kind: 'ended', key };
    if (type === 'CONNECT_ERROR') return { kind: 'refused', key, why: `the server refused it (${connectErrorWords(field(frame, 'data'))})` };
    return undefined;
  }
  if (protocol === 'mqtt') {
    const granted = field(frame, 'granted');
    const messageId = field(frame, 'messageId');
    if (field(frame, 'cmd') !== 'suback' || typeof messageId !== 'number' || !Array.isArray(granted)) return undefined;
    // mqtt-packet gives numbers; an object with qos is a grant.
    return { kind: 'suback', messageId, codes: granted.map((code) => (typeof code === 'number' ? code : 0)) };
  }
  const command = text(field(frame, 'command'));
  const headers = field(frame, 'headers');
  if (command === 'ERROR') return { kind: 'stomp-error', receiptId: text(field(headers, 'receipt-id')), message: text(field(headers, 'message')) };
  if (command === 'CONNECTED') return { kind: 'stomp-taken', command, ref: '' };
  const ref = text(field(headers, command === 'RECEIPT' ? 'receipt-id' : 'subscription'));
  if ((command === 'RECEIPT' || command === 'MESSAGE') && ref !== undefined) return { kind: 'stomp-taken', command, ref };
  return undefined;
}

export class OpeningServerReader {
  private readonly protocol: ReadProtocol;
  private readonly engineVersion: 3 | 4;
  private decoder: StreamDecoder | undefined;
  /** MQTT: the packet boundaries of the server's stream; only SUBACKs are kept. */
  private framer: MqttFramer | undefined;

  constructor(protocol: ReadProtocol, engineVersion: 3 | 4) {
    this.protocol = protocol;
    this.engineVersion = engineVersion;
  }

  /**
   * MQTT: a CONNECT the client sent (its version is what a SUBACK is read with: an MQTT 5 SUBACK
   * has properties before its codes).
   */
  clientConnect(messages: readonly { kind: 'text' | 'binary'; payload: Buffer }[]): void {
    if (this.protocol !== 'mqtt') return;
    const decoder = this.decoderNow();
    for (const m of messages) decoder.decode({ seq: 0, dir: 'out', opcode: m.kind, bytes: m.payload });
  }

  /**
   * One server message, in order. `watching` (STOMP): a client frame waits for its answer, so
   * the frames that show it taken are read too.
   */
  read(kind: 'text' | 'binary', payload: Buffer, watching: boolean): ServerSays[] {
    if (this.protocol === 'mqtt') return this.readMqtt(kind, payload);
    const decoder = this.decoderNow();
    if (this.skippable(decoder, kind, payload, watching)) return [];
    const outcome = decoder.decode({ seq: 0, dir: 'in', opcode: kind, bytes: payload });
    if (outcome?.kind !== 'decoded') return [];
    return framesOf(outcome.value).flatMap((frame) => {
      const says = whatItSays(this.protocol, frame);
      return says ? [says] : [];
    });
  }

  private decoderNow(): StreamDecoder {
    this.decoder ??= createDecoder(this.protocol satisfies DecoderName, { engineVersion: this.engineVersion });
    return this.decoder;
  }

  private readMqtt(kind: 'text' | 'binary', payload: Buffer): ServerSays[] {
    // MQTT over WebSocket is binary only: a text message carries no packet (the decoder says it is not valid).
    if (kind === 'text') return [];
    this.framer ??= new MqttFramer((type) => type === SUBACK);
    const says: ServerSays[] = [];
    for (const packet of this.framer.push(payload)) {
      if (packet.type !== SUBACK || packet.bytes === undefined) continue;
      // A whole packet: the decoder (which read the CONNECT for the version) stays between packets.
      const outcome = this.decoderNow().decode({ seq: 0, dir: 'in', opcode: 'binary', bytes: packet.bytes });
      if (outcome?.kind !== 'decoded') continue;
      const read = whatItSays('mqtt', outcome.value);
      if (read) says.push(read);
    }
    return says;
  }

  /**
   * Whether a server message can be left unread. GraphQL: the decoder reads a message's type and
   * id from that message alone, and a type "complete" or "error" is written in its bytes as such
   * or with an escape. Socket.IO: only a text message starting `41` (DISCONNECT) or `44`
   * (CONNECT_ERROR) says something; while no binary packet waits for its attachments (`idle`),
   * only a binary packet's header (`45`, `46`) changes what later messages read as. STOMP, while
   * no client frame waits for its answer: from idle, a message ending in a NUL with no
   * content-length header ends every frame it holds at a NUL (or fails to parse, which resets),
   * so the decoder is idle after it, as after one whole frame (content-length or not) that ends
   * at the message's end; without the bytes ERROR and CONNECTED it holds neither.
   */
  private skippable(decoder: StreamDecoder, kind: 'text' | 'binary', payload: Buffer, watching: boolean): boolean {
    if (this.protocol === 'graphql-ws') return kind === 'binary' || !GRAPHQL_END_NEEDLES.some((needle) => payload.includes(needle));
    if (decoder.idle && !decoder.idle('in')) return false;
    if (this.protocol === 'stomp') {
      if (watching || payload.length === 0 || payload[payload.length - 1] !== NUL) return false;
      if (STOMP_NEEDLES.some((needle) => payload.includes(needle))) return false;
      if (!payload.includes(CONTENT_LENGTH)) return true;
      // A body of content-length bytes may hold NULs: one whole frame that ends at the message's end leaves it idle too
      // (parsed as the decoder parses it; escapes change no header that frames it, and no CONNECTED passes here).
      const parsed = parseStompFrame(payload, 0, true);
      return parsed.kind === 'frame' && parsed.end === payload.length;
    }
    if (kind === 'binary' || payload.length < 2 || payload[0] !== 0x34) return true;
    const type = payload[1];
    return type !== 0x31 && type !== 0x34 && type !== 0x35 && type !== 0x36;
  }
}
