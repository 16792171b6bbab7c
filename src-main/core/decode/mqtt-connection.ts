/**
 * What an MQTT server does with a client's packets given its CONNECT, and a CONNACK in words.
 * MQTT 3.1.1 and 5 §3.1: the client's first packet on a network connection must be CONNECT
 * ([MQTT-3.1.0-1]), and a second CONNECT is a protocol violation ([MQTT-3.1.0-2]); either way the
 * server closes the connection. mqtt-decoder.ts follows the CONNECT per connection (a reconnect's
 * walk starts with a fresh decoder: attempt-boundaries.ts) and adds the note to the packet's
 * summary, as socketio-namespaces.ts does for a namespace not connected.
 *
 * The note needs to know where the packet is in the connection, so it is given only by a decoder
 * that knows: one that read from the connection's start, or that has read a CONNECT since. A
 * decoder whose walk started where earlier frames were not read (evicted, after a gap, a far
 * row's context: `startsMidway`, fresh-decoder.ts), rows marked `≈`, does not know whether a
 * CONNECT came before, so it says nothing of a packet before one; a CONNECT it reads tells it,
 * and a later CONNECT is a second one. A walk that passed over frames without a decoder (a
 * search's prefilter, which never passes over a CONNECT) still makes it whole, so the state is
 * what reading every frame from the start gives, checkpoints included.
 */
import type mqtt from 'mqtt-packet';
import type { DecoderSnapshot } from './decoder-snapshot';

const SPEC = '(MQTT 3.1.1 and 5 §3.1)';

/**
 * What the decoder knows of the client's CONNECT on this connection: 'before' (read from the
 * start, none yet), 'after' (one read), 'unknown' (started midway, none read since).
 */
export type ConnectState = 'before' | 'after' | 'unknown';

/** The note for a client packet of type `cmd` (mqtt-packet's name) in that state; '' when nothing needs saying (or nothing is known). */
export function connectionNote(cmd: string, state: ConnectState): string {
  if (cmd === 'connect') return state === 'after' ? ` — a second CONNECT: the server closes the connection ${SPEC}` : '';
  return state === 'before' ? ` — before CONNECT: the server closes the connection ${SPEC}` : '';
}

/** MQTT 3.1.1 §3.2.2.3: the CONNACK return codes (6–255 reserved). */
const RETURN_CODES: readonly string[] = ['accepted', 'unacceptable protocol version', 'identifier rejected', 'server unavailable', 'bad user name or password', 'not authorized'];

/** MQTT 5 §3.2.2.2: the CONNACK reason codes. */
const REASON_CODES: ReadonlyMap<number, string> = new Map([
  [0x00, 'success'],
  [0x80, 'unspecified error'],
  [0x81, 'malformed packet'],
  [0x82, 'protocol error'],
  [0x83, 'implementation specific error'],
  [0x84, 'unsupported protocol version'],
  [0x85, 'client identifier not valid'],
  [0x86, 'bad user name or password'],
  [0x87, 'not authorized'],
  [0x88, 'server unavailable'],
  [0x89, 'server busy'],
  [0x8a, 'banned'],
  [0x8c, 'bad authentication method'],
  [0x90, 'topic name invalid'],
  [0x95, 'packet too large'],
  [0x97, 'quota exceeded'],
  [0x99, 'payload format invalid'],
  [0x9a, 'retain not supported'],
  [0x9b, 'QoS not supported'],
  [0x9c, 'use another server'],
  [0x9d, 'server moved'],
  [0x9f, 'connection rate exceeded'],
]);

const hex = (code: number): string => `0x${code.toString(16).padStart(2, '0')}`;

/**
 * "CONNACK rc=0", "CONNACK reason 0" (accepted), "CONNACK refused: unacceptable protocol version
 * (rc=1)", "CONNACK refused: bad user name or password (reason 0x86)". mqtt-packet sets
 * `reasonCode` under MQTT 5 and `returnCode` before.
 */
export function connackSummary(packet: mqtt.IConnackPacket): string {
  const present = packet.sessionPresent ? ' session present' : '';
  if (packet.reasonCode !== undefined) {
    const code = packet.reasonCode;
    if (code === 0) return `CONNACK reason 0${present}`;
    const words = REASON_CODES.get(code);
    return words !== undefined ? `CONNACK refused: ${words} (reason ${hex(code)})${present}` : `CONNACK reason ${hex(code)} (not a CONNACK reason code in MQTT 5)${present}`;
  }
  const code = packet.returnCode ?? 0;
  if (code === 0) return `CONNACK rc=0${present}`;
  const words = RETURN_CODES[code];
  return `CONNACK refused: ${words ?? 'a return code MQTT 3.1.1 reserves'} (rc=${code})${present}`;
}

/** A snapshot that says what is known of the client's CONNECT (beside decoder-snapshot.ts's fields). */
type ConnectedSnapshot = DecoderSnapshot & { readonly clientConnect: ConnectState };

export function withConnectState(snapshot: DecoderSnapshot, state: ConnectState): DecoderSnapshot {
  const marked: ConnectedSnapshot = { ...snapshot, clientConnect: state };
  return marked;
}

function hasConnectState(snapshot: DecoderSnapshot): snapshot is ConnectedSnapshot {
  return 'clientConnect' in snapshot;
}

/** The state a snapshot carries ('before' for one without: a fresh decoder's). */
export function connectState(snapshot: DecoderSnapshot): ConnectState {
  return hasConnectState(snapshot) ? snapshot.clientConnect : 'before';
}
