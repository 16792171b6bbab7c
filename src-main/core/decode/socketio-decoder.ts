/**
 * Socket.IO (protocol 4 and 5, i.e. socket.io v2–v4) over Engine.IO 3 and 4 on a WebSocket
 * transport. engine.io-parser reads each message's Engine.IO packet (open, close, ping, pong,
 * message, upgrade, noop); a message packet is handed to socket.io-parser's Decoder, one per
 * direction, which joins a binary event's attachments (the WebSocket messages that follow it)
 * to their placeholders. The joined event is shown on its last attachment; the header and the
 * attachments before say what they wait for, and are in its conversation (socketio-binary-part.ts). What socket.io-parser refuses, or a socket.io peer
 * closes the connection for, is not valid (socketio-problem.ts says what and where); what they
 * take is summarised as the receiver dispatches it (test/net/real-servers/socketio-raw-frames.test.ts).
 * Which namespaces the server has connected is followed too (socketio-namespaces.ts): a client's
 * packet the server closes the connection for in that state says so in its summary; its value,
 * validity and fields stay those of its bytes, so a message decodes alone as in order but for
 * that note (the searches' prefilters and proofs rely on it).
 */
import { decodePacket } from 'engine.io-parser';
import { Decoder, PacketType, type Packet } from 'socket.io-parser';
import { decoded, messageBuffer, notValid, partial, quote, type DecodeOutcome, type StreamDecoder, type WireFrame } from './decoded-frame';
import { ENTRY_OVERHEAD_BYTES, MAX_SNAPSHOT_BYTES, wrongSnapshot, type DecoderSnapshot, type SocketIoDirectionState } from './decoder-snapshot';
import type { JsonValue } from './json-value';
import { parsedJsonValue } from './parsed-json';
import { binaryPartOfHeader, withBinaryPart, type BinaryPart } from './socketio-binary-part';
import { SocketIoNamespaces } from './socketio-namespaces';
import { socketIoPacketProblem } from './socketio-problem';

export interface SocketIoOptions {
  /** Engine.IO 3 prefixes a binary message with its packet type (4); 4 sends the bytes alone. */
  engineVersion: 3 | 4;
}

const PACKET_NAMES: Readonly<Record<PacketType, string>> = {
  [PacketType.CONNECT]: 'CONNECT',
  [PacketType.DISCONNECT]: 'DISCONNECT',
  [PacketType.EVENT]: 'EVENT',
  [PacketType.ACK]: 'ACK',
  [PacketType.CONNECT_ERROR]: 'CONNECT_ERROR',
  [PacketType.BINARY_EVENT]: 'BINARY_EVENT',
  [PacketType.BINARY_ACK]: 'BINARY_ACK',
};

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function onNamespace(nsp: string): string {
  return nsp === '/' ? '' : ` on ${nsp}`;
}

/**
 * The sid a v5 server's CONNECT answer carries, as socket.io-client v3+ reads it: `data.sid`
 * when truthy (the client connects with it), else undefined (the client gives `connect_error`).
 */
function connectSid(data: unknown): string | undefined {
  if (typeof data !== 'object' || data === null || !('sid' in data) || !data.sid) return undefined;
  return typeof data.sid === 'string' ? data.sid : JSON.stringify(data.sid);
}

/** An event's name as the receiver dispatches it: a string, or a number (handlers of its digits run: EventEmitter keys are strings). */
function eventName(data: unknown): string | undefined {
  const name: unknown = Array.isArray(data) ? data[0] : undefined;
  if (typeof name === 'string') return quote(name);
  return typeof name === 'number' ? String(name) : undefined;
}

/**
 * A server's CONNECT_ERROR as its client reads it. A socket.io v3+ client (Engine.IO 4) makes its
 * connect_error from the data's `message` (`new Error(data.message)`, so a string's text is lost:
 * the message is empty); a v2 client (Engine.IO 3) emits `error` with the data itself.
 */
function connectError(nsp: string, data: unknown, engineVersion: 3 | 4): string {
  const head = `connect error on ${nsp}`;
  if (engineVersion === 3) {
    const message = typeof data === 'string' ? data : typeof data === 'object' && data !== null && 'message' in data && typeof data.message === 'string' ? data.message : '';
    return `${head}${message ? `: ${quote(message)}` : ''}`;
  }
  if (typeof data === 'object' && data !== null && 'message' in data && data.message !== undefined) {
    return `${head}: ${quote(typeof data.message === 'string' ? data.message : JSON.stringify(data.message))}`;
  }
  const what = typeof data === 'string' ? `its data is the string ${quote(data)}, not an object with a message` : 'no message';
  return `${head} (${what}: a socket.io v3+ client's connect_error has an empty message)`;
}

/**
 * "emit 'chat' on /admin ack 12": what a Socket.IO packet does. `engineVersion` 4 (Socket.IO
 * protocol 5) expects a sid in the server's CONNECT; Engine.IO 3 (protocol 4) sends none.
 */
export function socketIoSummary(packet: Packet, dir: WireFrame['dir'], attachments: number, engineVersion: 3 | 4 = 4): string {
  const ack = packet.id !== undefined ? ` ack ${packet.id}` : '';
  const withBinary = attachments > 0 ? ` with ${plural(attachments, 'binary attachment')}` : '';
  const data: unknown = packet.data;
  switch (packet.type) {
    case PacketType.CONNECT: {
      if (dir === 'out') return `connect ${packet.nsp}`;
      const sid = connectSid(data);
      if (sid !== undefined) return `connected ${packet.nsp} sid=${sid}`;
      return engineVersion === 3 ? `connected ${packet.nsp}` : `connected ${packet.nsp} without a sid (a socket.io v3+ client takes it as a connect error)`;
    }
    case PacketType.DISCONNECT:
      return `disconnect ${packet.nsp}`;
    case PacketType.CONNECT_ERROR:
      return connectError(packet.nsp, data, engineVersion);
    case PacketType.EVENT:
    case PacketType.BINARY_EVENT: {
      // socket.io-parser takes an EVENT with no payload; the receiver dispatches it with no name and no arguments.
      if (data === undefined) return `emit with no payload${onNamespace(packet.nsp)}${ack}${withBinary} (no event name: only catch-all listeners run)`;
      return `emit ${eventName(data) ?? '(no event name)'}${onNamespace(packet.nsp)}${ack}${withBinary}`;
    }
    case PacketType.ACK:
    case PacketType.BINARY_ACK: {
      const args = plural(Array.isArray(data) ? data.length : 0, 'arg');
      // Without an id the receiver finds no emit waiting for it (its acks are keyed by id).
      if (packet.id === undefined) return `ack with no id${onNamespace(packet.nsp)} (${args}; it answers no emit)${withBinary}`;
      return `ack ${packet.id}${onNamespace(packet.nsp)} (${args})${withBinary}`;
    }
  }
}

function packetValue(packet: Packet, attachments: number): JsonValue {
  const data: unknown = packet.data;
  const base: { [key: string]: JsonValue } = { engineIO: 'message', type: PACKET_NAMES[packet.type], nsp: packet.nsp };
  if (packet.id !== undefined) base.id = packet.id;
  if (attachments > 0) base.attachments = attachments;
  if ((packet.type === PacketType.EVENT || packet.type === PacketType.BINARY_EVENT) && Array.isArray(data)) {
    const [event, ...args] = data as unknown[];
    // What socket.io-parser parsed, not copied when it is already plain JSON (parsed-json.ts).
    base.event = parsedJsonValue(event);
    base.args = args.map((arg) => parsedJsonValue(arg));
  } else if (data !== undefined) {
    base[packet.type === PacketType.ACK || packet.type === PacketType.BINARY_ACK ? 'args' : 'data'] = parsedJsonValue(data);
  }
  return base;
}

interface Direction {
  decoder: Decoder;
  /** Attachments the binary packet being joined still waits for, and how many it has in all. */
  waiting: number;
  attachments: number;
  packets: Packet[];
  /**
   * socket.io-parser holds a binary packet's header until its attachments come (set whenever a
   * text message gave no packet: the parser's own count decides, not the header regex above).
   */
  joining: boolean;
  /** While joining: the header's text and the attachments handed to the parser since (a snapshot hands them over again). */
  header: string;
  received: Uint8Array[];
  /** While joining: the packet the header and its attachments are frames of, when it has an ack id (socketio-binary-part.ts). */
  part: BinaryPart | undefined;
}

/** Heartbeat data that is shown quoted (escaped): control characters, or bytes that were not UTF-8. */
const NOT_PLAIN = /[\u0000-\u001f\u007f\ufffd]/;

export class SocketIoDecoder implements StreamDecoder {
  readonly protocol = 'socketio' as const;
  private readonly directions: Record<WireFrame['dir'], Direction>;
  private readonly namespaces: SocketIoNamespaces;

  constructor(private readonly options: SocketIoOptions = { engineVersion: 4 }) {
    this.directions = { in: this.makeDirection(), out: this.makeDirection() };
    this.namespaces = new SocketIoNamespaces(options.engineVersion);
  }

  private makeDirection(): Direction {
    const direction: Direction = { decoder: new Decoder(), waiting: 0, attachments: 0, packets: [], joining: false, header: '', received: [], part: undefined };
    direction.decoder.on('decoded', (packet: Packet) => direction.packets.push(packet));
    return direction;
  }

  decode(frame: WireFrame): DecodeOutcome | undefined {
    if (frame.opcode === 'text') return this.text(frame.dir, messageBuffer(frame.bytes).toString('utf8'));
    if (frame.opcode === 'binary') return this.binary(frame.dir, frame.bytes);
    return undefined;
  }

  /**
   * Per direction, a binary packet still joining its attachments: its header and the attachments
   * so far, which restore hands to a fresh socket.io-parser Decoder (its reconstructor is not
   * copied), and the namespaces connected. Over MAX_SNAPSHOT_BYTES of attachments, none is taken.
   */
  snapshot(): DecoderSnapshot | undefined {
    const connection = this.namespaces.snapshot();
    let bytes = connection.namespaces.reduce((sum, text) => sum + text.length * 2 + ENTRY_OVERHEAD_BYTES, 0);
    const directions: Record<WireFrame['dir'], SocketIoDirectionState | null> = { in: null, out: null };
    for (const dir of ['in', 'out'] as const) {
      const direction = this.directions[dir];
      if (!direction.joining) continue;
      bytes += direction.header.length * 2 + direction.received.reduce((sum, part) => sum + part.byteLength + ENTRY_OVERHEAD_BYTES, 0);
      if (bytes > MAX_SNAPSHOT_BYTES) return undefined;
      directions[dir] = { header: direction.header, received: direction.received.map((part) => Uint8Array.from(part)), waiting: direction.waiting, attachments: direction.attachments };
    }
    return { protocol: 'socketio', bytes, directions, connection };
  }

  restore(snapshot: DecoderSnapshot): void {
    if (snapshot.protocol !== 'socketio') throw wrongSnapshot(this.protocol, snapshot);
    this.namespaces.restore(snapshot.connection);
    for (const dir of ['in', 'out'] as const) {
      const state = snapshot.directions[dir];
      const direction = this.makeDirection();
      this.directions[dir] = direction;
      if (!state) continue;
      // The parser took these before the snapshot; they give no packet (the last attachment has not come).
      direction.decoder.add(state.header);
      for (const part of state.received) direction.decoder.add(Buffer.from(part));
      direction.packets.length = 0;
      Object.assign(direction, { joining: true, header: state.header, received: state.received.map((part) => Uint8Array.from(part)), waiting: state.waiting, attachments: state.attachments, part: binaryPartOfHeader(state.header) });
    }
  }

  /** Nothing held for `dir`: no binary packet waits for its attachments (raw-prefilter.ts). */
  idle(dir: WireFrame['dir']): boolean {
    return !this.directions[dir].joining;
  }

  private text(dir: WireFrame['dir'], text: string): DecodeOutcome {
    if (text === '') return notValid('socketio', 'an empty message (no Engine.IO packet type)');
    const packet = decodePacket(text);
    switch (packet.type) {
      case 'error':
        return notValid('socketio', `unknown Engine.IO packet type ${quote(text.charAt(0))} at character 0`);
      case 'open': {
        const outcome = this.open(typeof packet.data === 'string' ? packet.data : '');
        // Only a server opens (a client's `0` connects nothing).
        if (outcome.kind === 'decoded' && dir === 'in') this.namespaces.open();
        return outcome;
      }
      case 'ping':
      case 'pong': {
        const data = typeof packet.data === 'string' ? packet.data : undefined;
        const wrongWay = this.wrongHeartbeat(dir, packet.type, data);
        if (wrongWay !== undefined) return notValid('socketio', wrongWay);
        // Its data as sent ('probe'), quoted when it holds what is not plain text (random bytes forced as Socket.IO).
        const shown = data === undefined ? '' : NOT_PLAIN.test(data) ? ` ${quote(data)}` : ` ${data}`;
        return decoded('socketio', `${packet.type}${shown}`, { engineIO: packet.type, ...(data !== undefined ? { data } : {}) });
      }
      case 'close':
      case 'upgrade':
      case 'noop':
        return decoded('socketio', packet.type, { engineIO: packet.type });
      case 'message':
        // `4` alone: engine.io-parser gives no data, which a socket.io peer's Decoder refuses (it throws, and the connection is closed).
        if (typeof packet.data !== 'string') {
          this.restart(dir);
          return notValid('socketio', "an Engine.IO message ('4') with no Socket.IO packet after it at character 1");
        }
        return this.socketIo(dir, packet.data);
    }
  }

  /**
   * A heartbeat the client sends the wrong way: Engine.IO 4 servers ping and clients answer, 3 the
   * reverse; an engine.io server closes the connection on the other ("invalid heartbeat
   * direction"). A probe (`2probe`) belongs to an upgrade from polling: not judged.
   */
  private wrongHeartbeat(dir: WireFrame['dir'], type: 'ping' | 'pong', data: string | undefined): string | undefined {
    if (dir !== 'out' || data === 'probe') return undefined;
    if (this.options.engineVersion === 4 && type === 'ping') return 'a ping from the client at character 0 (under Engine.IO 4 the server pings and the client answers with a pong)';
    if (this.options.engineVersion === 3 && type === 'pong') return 'a pong from the client at character 0 (under Engine.IO 3 the client pings and the server answers with a pong)';
    return undefined;
  }

  private open(data: string): DecodeOutcome {
    let handshake: unknown;
    try {
      handshake = JSON.parse(data);
    } catch {
      return notValid('socketio', `the Engine.IO open packet's handshake is not JSON: ${quote(data)}`);
    }
    if (typeof handshake !== 'object' || handshake === null || !('sid' in handshake) || typeof handshake.sid !== 'string') {
      return notValid('socketio', 'the Engine.IO open packet has no sid');
    }
    const interval = 'pingInterval' in handshake && typeof handshake.pingInterval === 'number' ? ` ping every ${handshake.pingInterval} ms` : '';
    return decoded('socketio', `open sid=${handshake.sid}${interval}`, { engineIO: 'open', handshake: parsedJsonValue(handshake) });
  }

  private socketIo(dir: WireFrame['dir'], text: string): DecodeOutcome {
    const direction = this.directions[dir];
    const joining = direction.joining ? `a binary ${direction.header.startsWith('5') ? 'event' : 'ack'}` : undefined;
    const problem = this.add(dir, text);
    if (problem !== undefined) return notValid('socketio', socketIoPacketProblem(text, problem, joining));
    const packet = direction.packets.shift();
    // Only a server refuses a connection: a socket.io server closes one whose client sends CONNECT_ERROR (Client.ondecoded).
    if (packet?.type === PacketType.CONNECT_ERROR && dir === 'out') return notValid('socketio', 'a CONNECT_ERROR from the client at character 1 (only a server sends it)');
    if (packet) return decoded('socketio', socketIoSummary(packet, dir, 0, this.options.engineVersion) + this.namespaces.packet(packet, dir), packetValue(packet, 0));
    // A binary packet's header: its attachments follow as binary messages.
    const count = Number(/^[56](\d+)-/.exec(text)?.[1] ?? '0');
    direction.joining = true;
    direction.header = text;
    direction.received = [];
    direction.waiting = count;
    direction.attachments = count;
    direction.part = binaryPartOfHeader(text);
    const header = partial('socketio', `binary ${text.startsWith('5') ? 'event' : 'ack'} header, ${plural(count, 'attachment')} ${count === 1 ? 'follows' : 'follow'}`, { engineIO: 'message', binaryHeader: text, attachments: count });
    return withBinaryPart(header, direction.part);
  }

  private binary(dir: WireFrame['dir'], bytes: Uint8Array): DecodeOutcome {
    const direction = this.directions[dir];
    let payload = bytes;
    if (this.options.engineVersion === 3) {
      if (bytes[0] !== 4) return notValid('socketio', `an Engine.IO 3 binary message starts with packet type ${bytes[0] ?? 'nothing'} at byte 0, not 4 (message)`);
      payload = bytes.subarray(1);
    }
    if (direction.waiting === 0) return notValid('socketio', `a binary message of ${bytes.byteLength} B with no binary event or ack before it to attach to`);
    const problem = this.add(dir, Buffer.from(payload));
    if (problem !== undefined) return notValid('socketio', problem);
    direction.waiting--;
    const packet = direction.packets.shift();
    if (packet) {
      direction.waiting = 0;
      direction.joining = false;
      direction.header = '';
      direction.received = [];
      direction.part = undefined;
      return decoded('socketio', socketIoSummary(packet, dir, direction.attachments, this.options.engineVersion) + this.namespaces.packet(packet, dir), packetValue(packet, direction.attachments));
    }
    direction.received.push(payload);
    const index = direction.attachments - direction.waiting;
    return withBinaryPart(partial('socketio', `attachment ${index} of ${direction.attachments} (${payload.byteLength} B)`, { attachment: index, of: direction.attachments, size: payload.byteLength }), direction.part);
  }

  /** Hands data to the direction's socket.io-parser; a problem as words (it throws on bad input). */
  private add(dir: WireFrame['dir'], data: string | Buffer): string | undefined {
    try {
      this.directions[dir].decoder.add(data);
      return undefined;
    } catch (error) {
      this.restart(dir);
      return error instanceof Error ? error.message : String(error);
    }
  }

  /** After a packet the peer's parser refuses (it closes the connection): the decoder may be mid-packet, so this direction starts afresh. */
  private restart(dir: WireFrame['dir']): void {
    this.directions[dir].decoder.destroy();
    this.directions[dir] = this.makeDirection();
  }
}
