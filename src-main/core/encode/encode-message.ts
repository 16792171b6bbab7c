/**
 * Encodes a message the composer built (shared/protocol-message.ts) with the protocol's own
 * library: socket.io-parser and engine.io-parser for a Socket.IO emit, mqtt-packet's generate
 * for MQTT, msgpackr and cbor-x for MessagePack and CBOR; a STOMP frame by the spec's grammar
 * (stomp-encode.ts: its body in its content-type's charset, as bytes when that is not UTF-8); GraphQL over WebSocket as its JSON messages;
 * a SignalR JSON hub protocol record ended by 0x1E (signalr-encode.ts). The summary is what the log
 * will show for it: the encoded bytes read back by the same decoder the log uses.
 */
import { encodePacket } from 'engine.io-parser';
import mqtt from 'mqtt-packet';
import { Packr } from 'msgpackr';
import { Encoder as CborEncoder } from 'cbor-x';
import { Encoder as SocketIoEncoder, PacketType } from 'socket.io-parser';
import type { EncodedMessage, ProtocolMessage } from '../../shared/protocol-message';
import { parseExactJson } from '../../shared/exact-json';
import { fail, ok, type Result } from '../../shared/result';
import { isDecoderName } from '../decode/decoded-frame';
import { createDecoder } from '../decode/decoder-registry';
import { encodeStompFrame } from './stomp-encode';
import { encodeSignalRRecord } from './signalr-encode';

const packr = new Packr({ useRecords: false });
const cbor = new CborEncoder({ useRecords: false });

type Wire = { kind: 'text'; text: string } | { kind: 'binary'; bytes: Uint8Array };

function socketIo(message: Extract<ProtocolMessage, { protocol: 'socketio' }>): Result<Wire> {
  const args = JSON.parse(message.args) as unknown[];
  const packet =
    message.type === 'connect'
      ? { type: PacketType.CONNECT, nsp: message.namespace }
      : { type: PacketType.EVENT, nsp: message.namespace, data: [message.event, ...args], ...(message.ackId !== undefined ? { id: message.ackId } : {}) };
  const [encoded] = new SocketIoEncoder().encode(packet) as unknown[];
  if (typeof encoded !== 'string') return fail('INVALID_ARGUMENT', 'message:encode: the Socket.IO packet did not encode as text', 'message');
  let text: string | undefined;
  // engine.io-parser answers through a callback, at once for text.
  encodePacket({ type: 'message', data: encoded }, false, (data) => {
    if (typeof data === 'string') text = data;
  });
  return text === undefined ? fail('INTERNAL', 'message:encode: engine.io-parser gave no text packet') : ok({ kind: 'text', text });
}

function mqttPacket(message: Extract<ProtocolMessage, { protocol: 'mqtt' }>): Result<Wire> {
  const p = message.packet;
  let packet: mqtt.Packet;
  if (p.cmd === 'connect') {
    packet = {
      cmd: 'connect',
      protocolId: 'MQTT',
      protocolVersion: p.protocolVersion,
      clientId: p.clientId,
      clean: p.clean,
      keepalive: p.keepalive,
      ...(p.username !== undefined ? { username: p.username } : {}),
      ...(p.password !== undefined ? { password: Buffer.from(p.password, 'utf8') } : {}),
    };
  } else if (p.cmd === 'subscribe') {
    packet = { cmd: 'subscribe', messageId: p.messageId, subscriptions: [{ topic: p.topic, qos: p.qos }] };
  } else if (p.cmd === 'unsubscribe') {
    packet = { cmd: 'unsubscribe', messageId: p.messageId, unsubscriptions: p.topics };
  } else if (p.cmd === 'pingreq' || p.cmd === 'disconnect') {
    packet = { cmd: p.cmd };
  } else if (p.cmd !== 'publish') {
    packet = { cmd: p.cmd, messageId: p.messageId };
  } else {
    if (p.qos > 0 && p.messageId === undefined) return fail('INVALID_ARGUMENT', 'message:encode: a PUBLISH with QoS 1 or 2 needs a packet id', 'message.packet.messageId');
    packet = { cmd: 'publish', topic: p.topic, payload: Buffer.from(p.payload, 'utf8'), qos: p.qos, retain: p.retain, dup: false, ...(p.messageId !== undefined ? { messageId: p.messageId } : {}) };
  }
  try {
    // As the session's CONNECT chose: an MQTT 5 broker reads a 3.1.1 SUBSCRIBE as malformed (no property length) and disconnects.
    return ok({ kind: 'binary', bytes: mqtt.generate(packet, { protocolVersion: p.protocolVersion }) });
  } catch (error) {
    return fail('INVALID_ARGUMENT', `message:encode: mqtt-packet refused the packet: ${error instanceof Error ? error.message : String(error)}`, 'message.packet');
  }
}

function graphql(message: Extract<ProtocolMessage, { protocol: 'graphql' }>): Wire {
  const legacy = message.subprotocol === 'graphql-ws';
  if (message.type === 'connection_init') return { kind: 'text', text: JSON.stringify({ type: 'connection_init', payload: {} }) };
  if (message.type === 'complete') return { kind: 'text', text: JSON.stringify({ id: message.id, type: legacy ? 'stop' : 'complete' }) };
  const payload = { query: message.query, variables: JSON.parse(message.variables) as unknown, ...(message.operationName ? { operationName: message.operationName } : {}) };
  return { kind: 'text', text: JSON.stringify({ id: message.id, type: legacy ? 'start' : 'subscribe', payload }) };
}

const UINT64_MAX = 2n ** 64n - 1n;
const INT64_MIN = -(2n ** 63n);

/**
 * MessagePack or CBOR of the JSON with its big integers exact (shared/exact-json.ts). MessagePack
 * has no integer beyond 64 bits: such a literal is refused, saying where, rather than rounded.
 */
function exactPayload(protocol: 'msgpack' | 'cbor', json: string): Result<Wire> {
  const parsed = parseExactJson(json);
  if (!parsed.ok) return fail('INVALID_ARGUMENT', `message:encode: the value must be JSON: ${parsed.error}`, 'message.json');
  if (protocol === 'cbor') return ok({ kind: 'binary', bytes: cbor.encode(parsed.value) });
  const tooBig = parsed.bigIntegers.find((b) => b.value > UINT64_MAX || b.value < INT64_MIN);
  if (tooBig) {
    return fail(
      'INVALID_ARGUMENT',
      `message:encode: line ${tooBig.line}, column ${tooBig.column}: ${tooBig.text} is beyond 64 bits, and MessagePack has no larger integer (CBOR has: a bignum); write it as a string`,
      'message.json',
    );
  }
  return ok({ kind: 'binary', bytes: packr.pack(parsed.value) });
}

function wireOf(message: ProtocolMessage): Result<Wire> {
  switch (message.protocol) {
    case 'stomp':
      return encodeStompFrame(message);
    case 'socketio':
      return socketIo(message);
    case 'mqtt':
      return mqttPacket(message);
    case 'graphql':
      return ok(graphql(message));
    case 'signalr': {
      const record = encodeSignalRRecord(message);
      return record.ok ? ok({ kind: 'text', text: record.value }) : record;
    }
    case 'msgpack':
    case 'cbor':
      return exactPayload(message.protocol, message.json);
  }
}

/** The decoder that reads this protocol back, when the engine has one ("graphql-ws" for GraphQL). */
function decoderNameOf(message: ProtocolMessage): string {
  return message.protocol === 'graphql' ? 'graphql-ws' : message.protocol;
}

function summaryOf(message: ProtocolMessage, wire: Wire): string {
  const bytes = wire.kind === 'text' ? Buffer.from(wire.text, 'utf8') : wire.bytes;
  const name = decoderNameOf(message);
  const fallback = message.protocol === 'graphql' ? `${message.type} ${message.type === 'connection_init' ? '' : `#${message.id}`}`.trim() : `${bytes.byteLength} B`;
  if (!isDecoderName(name)) return fallback;
  const decoder = createDecoder(name);
  // The MQTT decoder reads packets as the CONNECT it saw said (an MQTT 5 packet is read after one),
  // and notes a client packet sent before any CONNECT: a composed packet is read as on a connection
  // that has CONNECTed (mqtt-connection.ts).
  if (message.protocol === 'mqtt' && message.packet.cmd !== 'connect') {
    const protocolVersion = message.packet.protocolVersion === 5 ? 5 : 4;
    decoder.decode({ seq: 0, dir: 'out', opcode: 'binary', bytes: mqtt.generate({ cmd: 'connect', protocolId: 'MQTT', protocolVersion, clientId: '', clean: true, keepalive: 0 }, { protocolVersion }) });
  }
  const outcome = decoder.decode({ seq: 1, dir: 'out', opcode: wire.kind, bytes });
  return outcome?.summary ?? fallback;
}

export function encodeMessage(message: ProtocolMessage): Result<EncodedMessage> {
  const wire = wireOf(message);
  if (!wire.ok) return wire;
  const w = wire.value;
  const summary = summaryOf(message, w);
  if (w.kind === 'text') return ok({ kind: 'text', data: w.text, bytes: Buffer.byteLength(w.text, 'utf8'), summary });
  return ok({ kind: 'binary', data: Buffer.from(w.bytes).toString('base64'), bytes: w.bytes.byteLength, summary });
}
