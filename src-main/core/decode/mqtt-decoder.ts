/**
 * MQTT 3.1.1 and 5 over WebSocket with mqtt-packet's parser. Packets need not line up with
 * WebSocket messages (the standard says so), so each direction has its own parser that keeps a
 * packet's first bytes until the rest arrives; one message may also hold several packets. The
 * version is the CONNECT's: both directions' parsers share the settings object mqtt-packet reads
 * (it keeps the reference), so MQTT 5 properties are read from the packet after CONNECT on.
 */
import mqtt from 'mqtt-packet';
import { joined, notValid, partial, type DecodeOutcome, type StreamDecoder, type WireFrame } from './decoded-frame';
import { textOrBytes, toJsonValue, type JsonValue } from './json-value';

type MqttPacket = mqtt.Packet;

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** "PUBLISH sensors/1 QoS 1 12 B id=5": the packet type and what it is about. */
export function mqttSummary(packet: MqttPacket): string {
  const id = packet.messageId !== undefined ? ` id=${packet.messageId}` : '';
  switch (packet.cmd) {
    case 'connect':
      return `CONNECT client=${packet.clientId === '' ? '(empty)' : packet.clientId} MQTT ${packet.protocolVersion === 4 ? '3.1.1' : packet.protocolVersion === 3 ? '3.1' : String(packet.protocolVersion ?? '?')} keepalive ${packet.keepalive ?? 0}${packet.clean ? ' clean' : ''}${packet.will ? ` will ${packet.will.topic}` : ''}`;
    case 'connack':
      return `CONNACK ${packet.reasonCode !== undefined ? `reason ${packet.reasonCode}` : `rc=${packet.returnCode ?? 0}`}${packet.sessionPresent ? ' session present' : ''}`;
    case 'publish': {
      const size = typeof packet.payload === 'string' ? Buffer.byteLength(packet.payload) : packet.payload.byteLength;
      return `PUBLISH ${packet.topic} QoS ${packet.qos} ${size} B${id}${packet.retain ? ' retain' : ''}${packet.dup ? ' dup' : ''}`;
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

function packetValue(packet: MqttPacket): JsonValue {
  const value = toJsonValue(packet);
  if (packet.cmd === 'publish' && value !== null && typeof value === 'object' && !Array.isArray(value)) {
    value.payload = textOrBytes(typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload);
  }
  return value;
}

interface DirectionParser {
  parser: mqtt.Parser;
  packets: MqttPacket[];
  error: string | undefined;
}

export class MqttDecoder implements StreamDecoder {
  readonly protocol = 'mqtt' as const;
  /** Read by mqtt-packet on every packet; set from the CONNECT. */
  private readonly settings: { protocolVersion: number } = { protocolVersion: 4 };
  private readonly parsers: Record<WireFrame['dir'], DirectionParser>;

  constructor() {
    this.parsers = { in: this.makeParser(), out: this.makeParser() };
  }

  private makeParser(): DirectionParser {
    const state: DirectionParser = { parser: mqtt.parser(this.settings), packets: [], error: undefined };
    state.parser.on('packet', (packet: MqttPacket) => {
      if (packet.cmd === 'connect' && packet.protocolVersion !== undefined) this.settings.protocolVersion = packet.protocolVersion;
      state.packets.push(packet);
    });
    state.parser.on('error', (error: unknown) => {
      state.error ??= error instanceof Error ? error.message : String(error);
    });
    return state;
  }

  decode(frame: WireFrame): DecodeOutcome | undefined {
    if (frame.opcode !== 'text' && frame.opcode !== 'binary') return undefined;
    const state = this.parsers[frame.dir];
    state.packets = [];
    state.error = undefined;
    let left: number;
    try {
      left = state.parser.parse(Buffer.from(frame.bytes.buffer, frame.bytes.byteOffset, frame.bytes.byteLength));
    } catch (error) {
      state.error ??= error instanceof Error ? error.message : String(error);
      left = 0;
    }
    const packets = state.packets;
    if (state.error !== undefined) {
      const problem = state.error;
      // Start clean: what follows an invalid packet cannot be found again.
      this.parsers[frame.dir] = this.makeParser();
      const done = packets.length > 0 ? ` after ${plural(packets.length, 'whole packet')}` : '';
      return notValid('mqtt', `packet ${packets.length + 1} of this message${done}: ${problem}`);
    }
    if (packets.length === 0) {
      return partial('mqtt', 'part of an MQTT packet (continues in a later message)', { continues: true });
    }
    const result = joined('mqtt', packets.map((packet) => ({ summary: mqttSummary(packet), value: packetValue(packet) })), 'packets');
    if (left > 0 && result.kind === 'decoded') return { ...result, summary: `${result.summary} · then the start of a packet (continues)` };
    return result;
  }
}
