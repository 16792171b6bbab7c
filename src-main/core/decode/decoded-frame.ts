/**
 * What a decoder takes and gives. A decoder reads one WebSocket message at a time (in the
 * session's order, each direction on its own where the protocol needs it) and answers with a
 * one-line summary and a plain JSON value, or with why the message is not valid, or with
 * "continues" when the message holds only part of a protocol frame. Decoders never throw.
 */
import type { DecodedFields } from './decoded-fields';
import type { DecoderSnapshot } from './decoder-snapshot';
import type { JsonValue } from './json-value';

/** The decoders there are (the names `--decode` takes). */
export const DECODER_NAMES = ['socketio', 'stomp', 'mqtt', 'graphql-ws', 'signalr', 'msgpack', 'cbor', 'protobuf', 'compressed', 'base64'] as const;
export type DecoderName = (typeof DECODER_NAMES)[number];

/** How each protocol is named in summaries and problems. */
export const DECODER_TITLES: Readonly<Record<DecoderName, string>> = {
  socketio: 'Socket.IO',
  stomp: 'STOMP',
  mqtt: 'MQTT',
  'graphql-ws': 'GraphQL over WebSocket',
  signalr: 'SignalR',
  msgpack: 'MessagePack',
  cbor: 'CBOR',
  protobuf: 'Protocol Buffers',
  compressed: 'compressed payload',
  base64: 'Base64',
};

export function isDecoderName(value: string): value is DecoderName {
  return (DECODER_NAMES as readonly string[]).includes(value);
}

/** One WebSocket message as the store holds it. */
export interface WireFrame {
  seq: number;
  dir: 'in' | 'out';
  opcode: 'text' | 'binary' | 'ping' | 'pong' | 'close';
  bytes: Uint8Array;
}

export type DecodeOutcome =
  /** The message read as the protocol means it. */
  | { kind: 'decoded'; protocol: DecoderName; summary: string; value: JsonValue }
  /** Part of a protocol frame: the rest comes in a later message (the frame is decoded there). */
  | { kind: 'partial'; protocol: DecoderName; summary: string; value: JsonValue }
  /** Not what the protocol allows: `summary` is "not valid <protocol>: what and where". */
  | { kind: 'invalid'; protocol: DecoderName; summary: string; problem: string };

/** A protocol's reader for one session: keeps what spans messages (split frames, attachments). */
export interface StreamDecoder {
  readonly protocol: DecoderName;
  /** undefined: nothing to decode in this message (a WebSocket ping, pong or close). */
  decode(frame: WireFrame): DecodeOutcome | undefined;
  /**
   * Whether the decoder holds nothing a message in `dir` would continue (a prefiltered search
   * passes over a self-contained message only then: raw-prefilter.ts). Absent: never said.
   */
  idle?(dir: WireFrame['dir']): boolean;
  /**
   * What `decode` would give decoded-fields.ts for this message, moving the decoder on exactly as
   * `decode` does, without building summaries and values (a search's in-order walk). Absent: the
   * walk decodes.
   */
  fields?(frame: WireFrame): DecodedFields;
  /**
   * The state between messages as a plain deep copy (decoder-snapshot.ts); undefined when it is
   * too large to keep now. Absent: no checkpoints (a walk starts from the oldest frame).
   */
  snapshot?(): DecoderSnapshot | undefined;
  /** Takes a snapshot's state; called on a fresh decoder made by the same factory. */
  restore?(snapshot: DecoderSnapshot): void;
  /**
   * Told, on a fresh decoder, that its walk starts where earlier frames of the connection were not
   * read (evicted, after a gap, a far frame's context: fresh-decoder.ts): what it follows from the
   * connection's start (MQTT's CONNECT) is not known. Absent: nothing is.
   */
  startsMidway?(): void;
}

/** V8 keeps a typed array of up to this many bytes on its heap (its typed_array_max_size_in_heap). */
const ON_HEAP_BYTES = 64;

/**
 * A message's bytes as a Buffer for a parser or for text: a view when they are off V8's heap,
 * else a copy from Node's pool (a small typed array's `.buffer` first moves its bytes off the
 * heap: 300 ns against 100 for a 40-byte MQTT message). Either way the caller may keep it.
 */
export function messageBuffer(bytes: Uint8Array): Buffer {
  return bytes.byteLength > ON_HEAP_BYTES ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) : Buffer.from(bytes);
}

export function decoded(protocol: DecoderName, summary: string, value: JsonValue): DecodeOutcome {
  return { kind: 'decoded', protocol, summary, value };
}

export function partial(protocol: DecoderName, summary: string, value: JsonValue): DecodeOutcome {
  return { kind: 'partial', protocol, summary, value };
}

export function notValid(protocol: DecoderName, problem: string): DecodeOutcome {
  return { kind: 'invalid', protocol, summary: `not valid ${DECODER_TITLES[protocol]}: ${problem}`, problem };
}

/** Several protocol frames in one message: one summary joined with " · ", their values in a list. */
export function joined(protocol: DecoderName, parts: readonly { summary: string; value: JsonValue }[], noun = 'frames'): DecodeOutcome {
  const first = parts[0];
  if (parts.length === 1 && first) return decoded(protocol, first.summary, first.value);
  return decoded(protocol, `${parts.length} ${noun}: ${parts.map((p) => p.summary).join(' · ')}`, { [noun]: parts.map((p) => p.value) });
}

const CONTROL = /[\u0000-\u001f\u007f]/;
const CONTROLS = /[\u0000-\u001f\u007f]/g;

/** A short printable quote of outside text for a summary or a problem. */
export function quote(text: string, max = 60): string {
  const cut = text.length > max ? `${text.slice(0, max)}…` : text;
  // Most quoted text (event names in every Socket.IO summary) has no control character: no replace then.
  if (!CONTROL.test(cut)) return `'${cut}'`;
  return `'${cut.replace(CONTROLS, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)}'`;
}

