/**
 * Which conversation a decoded frame belongs to, derived in this one place for every protocol:
 * requests and their answers share a key. A decoder that names it itself (a `conversation`
 * member in its value: {key, role, label}) is taken at its word; otherwise:
 * - Socket.IO: an emit with an ack id and the ACK with that id (the other direction), per namespace;
 *   a binary one's header and attachments too (marked beside the value: socketio-binary-part.ts),
 *   each in the role of the packet they make up;
 * - STOMP: a frame with `receipt` and the RECEIPT (or ERROR) with that receipt-id; a SUBSCRIBE
 *   and the MESSAGEs of its subscription id (a stream), its UNSUBSCRIBE; a SUBSCRIBE or
 *   UNSUBSCRIBE with a `receipt` is in both (the receipt's first, the subscription's as `also`);
 * - MQTT: a packet with an id (PUBLISH QoS 1/2, SUBSCRIBE, UNSUBSCRIBE) and PUBACK, PUBREC,
 *   PUBREL, PUBCOMP, SUBACK, UNSUBACK with that id, keyed by the direction that asked; QoS 2 is two
 *   rounds, PUBLISH → PUBREC then PUBREL → PUBCOMP, so PUBREL (from the asker) is a request too and
 *   PUBCOMP's latency runs from it, not from the PUBLISH;
 * - GraphQL over WebSocket: a subscribe/start and the next/data/error/complete of its id.
 */
import type { ConversationRef } from '../../shared/decoding';
import type { DecodeOutcome } from './decoded-frame';
import type { JsonValue } from './json-value';
import { valueParts } from './decoded-fields';
import { binaryPartOf } from './socketio-binary-part';

type Dir = 'in' | 'out';
type JsonObject = { [key: string]: JsonValue };

const ARROW: Record<Dir, string> = { out: '↑', in: '↓' };
const other = (dir: Dir): Dir => (dir === 'in' ? 'out' : 'in');

function str(value: JsonValue | undefined): string | undefined {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
}

function declared(part: JsonObject): ConversationRef | undefined {
  const c = part.conversation;
  if (typeof c !== 'object' || c === null || Array.isArray(c)) return undefined;
  const key = str(c.key) ?? str(c.id);
  const role = c.role === 'request' || c.role === 'answer' || c.role === 'stream' ? c.role : undefined;
  if (key === undefined || role === undefined) return undefined;
  return { key, role, label: str(c.label) ?? key };
}

function socketIo(part: JsonObject, dir: Dir): ConversationRef | undefined {
  const id = str(part.id);
  const nsp = str(part.nsp) ?? '/';
  if (id === undefined) return undefined;
  if (part.type === 'EVENT' || part.type === 'BINARY_EVENT') return { key: `socketio ${nsp} ack ${id} ${ARROW[dir]}`, role: 'request', label: `ack ${id}` };
  if (part.type === 'ACK' || part.type === 'BINARY_ACK') return { key: `socketio ${nsp} ack ${id} ${ARROW[other(dir)]}`, role: 'answer', label: `ack ${id}` };
  return undefined;
}

/** The client frames that may ask for a RECEIPT (STOMP 1.2). */
const STOMP_ASKS_RECEIPT = new Set(['SEND', 'SUBSCRIBE', 'UNSUBSCRIBE', 'BEGIN', 'COMMIT', 'ABORT', 'ACK', 'NACK', 'DISCONNECT']);

function stomp(part: JsonObject): ConversationRef | undefined {
  const headers = part.headers;
  if (typeof headers !== 'object' || headers === null || Array.isArray(headers)) return undefined;
  const h = (name: string): string | undefined => str(headers[name]);
  const command = str(part.command);
  if ((command === 'RECEIPT' || command === 'ERROR') && h('receipt-id') !== undefined) return { key: `stomp receipt ${h('receipt-id') ?? ''}`, role: 'answer', label: `receipt ${h('receipt-id') ?? ''}` };
  // Only a client frame asks for a receipt (STOMP 1.2: any but CONNECT); a broker may copy a SEND's
  // `receipt` header into the MESSAGEs it delivers (RabbitMQ does), which belong to their subscription.
  const receipt = h('receipt');
  const asksReceipt = receipt !== undefined && command !== undefined && STOMP_ASKS_RECEIPT.has(command);
  const id = h('id');
  const subscription: ConversationRef | undefined =
    (command === 'SUBSCRIBE' || command === 'UNSUBSCRIBE') && id !== undefined ? { key: `stomp subscription ${id}`, role: 'request', label: `subscription ${id}` } : undefined;
  if (asksReceipt) {
    const asked: ConversationRef = { key: `stomp receipt ${receipt}`, role: 'request', label: `receipt ${receipt}` };
    // A SUBSCRIBE (UNSUBSCRIBE) with a receipt asks in both: its RECEIPT, and its subscription's MESSAGEs.
    return subscription ? { ...asked, also: subscription } : asked;
  }
  if (subscription) return subscription;
  if (command === 'MESSAGE' && h('subscription') !== undefined) return { key: `stomp subscription ${h('subscription') ?? ''}`, role: 'stream', label: `subscription ${h('subscription') ?? ''}` };
  return undefined;
}

/** Requests from the side that asks (PUBREL, after PUBREC, opens QoS 2's second round). */
const MQTT_ASKS = new Set(['publish', 'subscribe', 'unsubscribe', 'pubrel']);
/** Answers from the side that was asked. */
const MQTT_ANSWERS = new Set(['puback', 'pubrec', 'pubcomp', 'suback', 'unsuback']);

function mqtt(part: JsonObject, dir: Dir): ConversationRef | undefined {
  const id = str(part.messageId);
  const cmd = str(part.cmd);
  if (id === undefined || cmd === undefined) return undefined;
  if (MQTT_ASKS.has(cmd)) return { key: `mqtt id ${id} ${ARROW[dir]}`, role: 'request', label: `packet id ${id}` };
  if (MQTT_ANSWERS.has(cmd)) return { key: `mqtt id ${id} ${ARROW[other(dir)]}`, role: 'answer', label: `packet id ${id}` };
  return undefined;
}

const GRAPHQL_ASKS = new Set(['subscribe', 'start']);
const GRAPHQL_STREAM = new Set(['next', 'data']);
const GRAPHQL_ENDS = new Set(['complete', 'error', 'stop']);

function graphql(part: JsonObject): ConversationRef | undefined {
  const id = str(part.id);
  const type = str(part.type);
  if (id === undefined || type === undefined) return undefined;
  const ref = (role: ConversationRef['role']): ConversationRef => ({ key: `graphql operation ${id}`, role, label: `operation ${id}` });
  if (GRAPHQL_ASKS.has(type)) return ref('request');
  if (GRAPHQL_STREAM.has(type)) return ref('stream');
  if (GRAPHQL_ENDS.has(type)) return ref('answer');
  return undefined;
}

export function conversationOf(outcome: DecodeOutcome, dir: Dir): ConversationRef | undefined {
  if (outcome.kind === 'invalid') return undefined;
  const part = outcome.protocol === 'socketio' ? binaryPartOf(outcome) : undefined;
  if (part) return socketIo({ type: part.type, nsp: part.nsp, id: part.id }, dir);
  for (const part of valueParts(outcome.value)) {
    const ref =
      declared(part) ??
      (outcome.protocol === 'socketio' ? socketIo(part, dir) : outcome.protocol === 'stomp' ? stomp(part) : outcome.protocol === 'mqtt' ? mqtt(part, dir) : String(outcome.protocol).startsWith('graphql') ? graphql(part) : undefined);
    if (ref) return ref;
  }
  return undefined;
}
