/**
 * A stream decoder's state between two messages as plain data: what it keeps across messages
 * (an unfinished STOMP frame or MQTT packet, a Socket.IO binary event waiting for attachments
 * and the namespaces connected, GraphQL ids and their operations, MQTT 5 topic aliases,
 * SignalR's unfinished records).
 * Checkpoints (decoder-checkpoints.ts) keep these so a frame far from where a walk stands is
 * decoded exactly from the nearest one before it, not from the session's first frame.
 *
 * A snapshot is a deep copy (bytes copied, arrays new; strings are immutable and may be shared):
 * the decoder going on never changes it, and restoring it into a fresh decoder made by the same
 * factory gives a decoder that decodes every later message as the one it was taken from.
 * Taking one may be refused (undefined) when the state is over MAX_SNAPSHOT_BYTES: a checkpoint
 * is then taken at a later frame, when the state is small again.
 */
import type { DecoderName, WireFrame } from './decoded-frame';
import type { StatelessProtocol } from './stateless-decoder';

/** A snapshot larger than this is not taken (a checkpoint is tried again at the next frame). */
export const MAX_SNAPSHOT_BYTES = 4 * 1024 * 1024;
/** What a snapshot's size estimate counts for each kept entry besides its strings and bytes. */
export const ENTRY_OVERHEAD_BYTES = 32;

type Dir = WireFrame['dir'];

/** mqtt-packet's parser between messages: past the header (1) or the length (2), and the bytes it holds. */
export interface MqttParserState {
  stateCounter: number;
  cmd: string | null;
  retain: boolean;
  qos: number;
  dup: boolean;
  length: number;
  bytes: Uint8Array;
}

export interface SocketIoDirectionState {
  /** The binary packet's header text and the attachments given to the parser since (to hand over again). */
  header: string;
  received: Uint8Array[];
  waiting: number;
  attachments: number;
}

export interface SignalRDirectionState {
  pending: string;
  pendingBytes: Uint8Array;
  handshaken: boolean;
}

export type DecoderSnapshot = { readonly bytes: number } & (
  | { readonly protocol: 'stomp'; readonly escapes: boolean; readonly pending: Readonly<Record<Dir, Uint8Array>> }
  | {
      readonly protocol: 'mqtt';
      readonly protocolVersion: number;
      readonly bridgeMode: boolean;
      /** null: the direction's parser holds nothing. */
      readonly parsers: Readonly<Record<Dir, MqttParserState | null>>;
      /** alias, topic, alias, topic… by sender, in the order they were set. */
      readonly aliases: Readonly<Record<Dir, readonly (number | string)[]>>;
    }
  | {
      readonly protocol: 'socketio';
      readonly directions: Readonly<Record<Dir, SocketIoDirectionState | null>>;
      /** The namespaces the server connected (socketio-namespaces.ts): name, state, name, state… */
      readonly connection: { readonly opened: boolean; readonly namespaces: readonly string[] };
    }
  /** id, type, name (null for none)… in the map's order (its oldest is dropped first past its bound). */
  | { readonly protocol: 'graphql-ws'; readonly operations: readonly (string | null)[] }
  | { readonly protocol: 'signalr'; readonly directions: Readonly<Record<Dir, SignalRDirectionState>> }
  /** Keeps nothing across messages: every message decodes alone as in order. */
  | { readonly protocol: StatelessProtocol }
);

/** Decoders that keep nothing across messages. */
export const STATELESS_DECODERS: ReadonlySet<DecoderName> = new Set<DecoderName>(['msgpack', 'cbor', 'protobuf', 'compressed', 'base64']);

/** The snapshot of a decoder that keeps nothing. */
export function statelessSnapshot(protocol: StatelessProtocol): DecoderSnapshot {
  return { protocol, bytes: 0 };
}

/** A snapshot given to a decoder of another protocol: a programming error, said plainly. */
export function wrongSnapshot(decoder: DecoderName, snapshot: DecoderSnapshot): Error {
  return new Error(`a ${snapshot.protocol} decoder's snapshot cannot be restored into a ${decoder} decoder`);
}

/** An independent copy of bytes (a decoder may keep a view into a buffer it goes on using). */
export function copyBytes(bytes: Uint8Array): Uint8Array {
  return Uint8Array.from(bytes);
}
