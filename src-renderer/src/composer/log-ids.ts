/**
 * What a frame of the log does to the ids the composer proposes (composer-ids.ts), whoever sent
 * it: the composer, the Text box (a subscribe typed as JSON), a profile's messages on open, a
 * reconnect's resend, or the server. The client's ids are opened by the client's frames and
 * closed by either side: the server completing a GraphQL operation (complete, error), answering
 * an MQTT packet id (PUBACK, PUBCOMP, SUBACK, UNSUBACK), a Socket.IO ack id (ACK) or a SignalR
 * invocation id (Completion), the client ending a subscription (UNSUBSCRIBE, complete, stop) or
 * a SignalR stream (CancelInvocation).
 *
 * The server's own ids are another space: MQTT brokers and clients number their packets
 * independently (MQTT 3.1.1 §2.3.1), and a Socket.IO server's ack ids answer the client's ACKs,
 * so a broker's PUBLISH id 5 or a server's emit with ack 5 does not make 5 taken for the client
 * (the log's conversations keep them apart too: core/decode/conversation-of.ts keys them by the
 * direction that asked). The rules follow conversation-of.ts.
 */
import type { DecodedJson } from '../../../src-main/shared/decoding';
import type { IdFamily } from './composer-ids';

export interface IdEvent {
  family: IdFamily;
  id: string;
  role: 'opens' | 'closes';
}

type JsonObject = { [key: string]: DecodedJson };

function isObject(value: DecodedJson | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: DecodedJson | undefined): string | undefined {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
}

/** A message that holds several protocol frames lists them (core/decode/decoded-fields.ts valueParts). */
function parts(value: DecodedJson): JsonObject[] {
  if (!isObject(value)) return [];
  for (const list of ['frames', 'packets', 'messages']) {
    const inner = value[list];
    if (Array.isArray(inner) && Object.keys(value).length === 1) return inner.filter(isObject);
  }
  return [value];
}

const GRAPHQL_OPENS = new Set(['subscribe', 'start']);
const GRAPHQL_CLOSES = new Set(['complete', 'error', 'stop']);
const MQTT_CLIENT_OPENS = new Set(['subscribe', 'unsubscribe']);
/** A broker's answers that free the client's packet id (PUBREC does not: PUBREL and PUBCOMP follow). */
const MQTT_SERVER_CLOSES = new Set(['puback', 'pubcomp', 'suback', 'unsuback']);

function graphql(part: JsonObject, dir: 'in' | 'out'): IdEvent | null {
  const id = str(part.id);
  const type = str(part.type);
  if (id === undefined || type === undefined) return null;
  if (GRAPHQL_OPENS.has(type) && dir === 'out') return { family: 'graphql', id, role: 'opens' };
  if (GRAPHQL_CLOSES.has(type)) return { family: 'graphql', id, role: 'closes' };
  return null;
}

function stomp(part: JsonObject, dir: 'in' | 'out'): IdEvent | null {
  const headers = part.headers;
  const command = str(part.command);
  if (dir !== 'out' || !isObject(headers)) return null;
  const id = str(headers.id);
  if (id === undefined) return null;
  if (command === 'SUBSCRIBE') return { family: 'stomp', id, role: 'opens' };
  if (command === 'UNSUBSCRIBE') return { family: 'stomp', id, role: 'closes' };
  return null;
}

function mqtt(part: JsonObject, dir: 'in' | 'out'): IdEvent | null {
  const id = str(part.messageId);
  const cmd = str(part.cmd);
  if (id === undefined || cmd === undefined) return null;
  if (dir === 'out' && (MQTT_CLIENT_OPENS.has(cmd) || (cmd === 'publish' && typeof part.qos === 'number' && part.qos > 0))) return { family: 'mqtt', id, role: 'opens' };
  if (dir === 'in' && MQTT_SERVER_CLOSES.has(cmd)) return { family: 'mqtt', id, role: 'closes' };
  return null;
}

const SIGNALR_OPENS = new Set(['Invocation', 'StreamInvocation']);

/** SignalR: the client's Invocation or StreamInvocation with an id opens it; the server's Completion or the client's CancelInvocation closes it. */
function signalr(part: JsonObject, dir: 'in' | 'out'): IdEvent | null {
  const id = str(part.invocationId);
  const type = str(part.messageType);
  if (id === undefined || type === undefined) return null;
  if (dir === 'out' && SIGNALR_OPENS.has(type)) return { family: 'signalr', id, role: 'opens' };
  if ((dir === 'in' && type === 'Completion') || (dir === 'out' && type === 'CancelInvocation')) return { family: 'signalr', id, role: 'closes' };
  return null;
}

function streamEvent(part: JsonObject, dir: 'in' | 'out'): LogEvent | null {
  const id = str(part.invocationId);
  return dir === 'out' && part.messageType === 'StreamInvocation' && id !== undefined ? { kind: 'stream', id } : null;
}

function socketIo(part: JsonObject, dir: 'in' | 'out'): IdEvent | null {
  const id = str(part.id);
  if (id === undefined) return null;
  if (dir === 'out' && (part.type === 'EVENT' || part.type === 'BINARY_EVENT')) return { family: 'socketio', id, role: 'opens' };
  if (dir === 'in' && (part.type === 'ACK' || part.type === 'BINARY_ACK')) return { family: 'socketio', id, role: 'closes' };
  return null;
}

/** The id events of one decoded frame, in the order of its parts. */
export function idEventsOfFrame(protocol: string, dir: 'in' | 'out', value: DecodedJson | undefined): IdEvent[] {
  if (value === undefined) return [];
  const read = protocol === 'stomp' ? stomp : protocol === 'mqtt' ? mqtt : protocol === 'socketio' ? socketIo : protocol === 'signalr' ? signalr : protocol.startsWith('graphql') ? graphql : null;
  if (!read) return [];
  return parts(value).flatMap((part) => read(part, dir) ?? []);
}

/**
 * Other things the composer says before a send: a STOMP receipt id a client frame carried (a
 * RECEIPT names one frame), and the Socket.IO namespaces of the connection, as
 * core/decode/socketio-namespaces.ts follows them (the server's CONNECT connects one, Engine.IO 3
 * servers connecting `/` themselves; DISCONNECT from either side or CONNECT_ERROR ends it).
 */
export type LogEvent =
  | { kind: 'receipt'; id: string }
  | { kind: 'joined' | 'asked' | 'left'; nsp: string }
  /** The broker's packet id the client is to answer with `answer` (awaits), or answered (MQTT 3.1.1 §4.3). */
  | { kind: 'mqtt-answer'; answer: MqttAnswer; id: string; role: 'awaits' | 'answered' }
  /** Topic filters the client's SUBSCRIBE opened or its UNSUBSCRIBE closed. */
  | { kind: 'subscribed'; topics: string[] }
  | { kind: 'unsubscribed'; topics: string[] }
  /** A SignalR StreamInvocation's id (a CancelInvocation cancels a stream). */
  | { kind: 'stream'; id: string };

/** The client's answers to the broker's QoS 1 and 2 deliveries. */
export type MqttAnswer = 'puback' | 'pubrec' | 'pubcomp';

function namespaceEvent(part: JsonObject, dir: 'in' | 'out'): LogEvent | null {
  const nsp = str(part.nsp);
  if (nsp === undefined) return null;
  // Engine.IO 3 servers key a namespace by its path (the query is the auth).
  const name = nsp.includes('?') ? nsp.slice(0, nsp.indexOf('?')) : nsp;
  if (part.type === 'CONNECT') return { kind: dir === 'in' ? 'joined' : 'asked', nsp: name };
  if (part.type === 'DISCONNECT' || (part.type === 'CONNECT_ERROR' && dir === 'in')) return { kind: 'left', nsp: name };
  return null;
}

function receiptEvent(part: JsonObject, dir: 'in' | 'out'): LogEvent | null {
  const receipt = dir === 'out' && isObject(part.headers) ? str(part.headers.receipt) : undefined;
  return receipt === undefined ? null : { kind: 'receipt', id: receipt };
}

const CLIENT_ANSWERS = new Set<string>(['puback', 'pubrec', 'pubcomp']);

function isClientAnswer(cmd: string): cmd is MqttAnswer {
  return CLIENT_ANSWERS.has(cmd);
}

/**
 * What the client owes the broker: a QoS 1 PUBLISH received awaits its PUBACK, a QoS 2 one its
 * PUBREC, a PUBREL its PUBCOMP (MQTT 3.1.1 §4.3.2, §4.3.3); the client's answer settles it.
 * And the topic filters its SUBSCRIBE and UNSUBSCRIBE name.
 */
function mqttEvent(part: JsonObject, dir: 'in' | 'out'): LogEvent | null {
  const cmd = str(part.cmd);
  const id = str(part.messageId);
  if (dir === 'out' && cmd === 'subscribe' && Array.isArray(part.subscriptions)) {
    return { kind: 'subscribed', topics: part.subscriptions.flatMap((s) => (isObject(s) && typeof s.topic === 'string' ? [s.topic] : [])) };
  }
  if (dir === 'out' && cmd === 'unsubscribe' && Array.isArray(part.unsubscriptions)) {
    return { kind: 'unsubscribed', topics: part.unsubscriptions.flatMap((t) => (typeof t === 'string' ? [t] : [])) };
  }
  if (cmd === undefined || id === undefined) return null;
  if (dir === 'in' && cmd === 'publish' && (part.qos === 1 || part.qos === 2)) return { kind: 'mqtt-answer', answer: part.qos === 1 ? 'puback' : 'pubrec', id, role: 'awaits' };
  if (dir === 'in' && cmd === 'pubrel') return { kind: 'mqtt-answer', answer: 'pubcomp', id, role: 'awaits' };
  if (dir === 'out' && isClientAnswer(cmd)) return { kind: 'mqtt-answer', answer: cmd, id, role: 'answered' };
  return null;
}

/** A decoded frame's receipts, namespace changes and MQTT deliveries and subscriptions, in the order of its parts. */
export function logEventsOfFrame(protocol: string, dir: 'in' | 'out', value: DecodedJson | undefined): LogEvent[] {
  if (value === undefined) return [];
  const read = protocol === 'stomp' ? receiptEvent : protocol === 'socketio' ? namespaceEvent : protocol === 'mqtt' ? mqttEvent : protocol === 'signalr' ? streamEvent : null;
  if (!read) return [];
  return parts(value).flatMap((part) => read(part, dir) ?? []);
}
