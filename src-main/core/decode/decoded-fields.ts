/**
 * What the inspector filters decoded frames by, read from a decoded value in one place for every
 * protocol: the event (Socket.IO, SignalR target), the destination (STOMP), the topic (MQTT
 * PUBLISH, SUBSCRIBE's topics) and the operation (GraphQL's operationName, else the first field
 * of its query, else the operation the decoder named it after: a `next`/`data` result takes its
 * subscribe's). A message of several frames (`frames`/`packets`) has the fields of each.
 * A Socket.IO event named by a number (socket.io-parser takes one) has the number's text as its
 * event, as the decoder's summary shows it and the server's handlers are keyed (`42[1,2]`: `1`).
 */
import type { JsonValue } from './json-value';

export interface DecodedFields {
  events: string[];
  destinations: string[];
  topics: string[];
  operations: string[];
}

type JsonObject = { [key: string]: JsonValue };

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: JsonValue | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** The parts of a message that holds several protocol frames, else the value itself. */
export function valueParts(value: JsonValue): JsonObject[] {
  if (!isObject(value)) return [];
  for (const list of ['frames', 'packets', 'messages']) {
    const parts = value[list];
    if (Array.isArray(parts) && Object.keys(value).length === 1) return parts.filter(isObject);
  }
  return [value];
}

/** `subscription OnPrice { … }` → OnPrice; `{ prices { … } }` → prices. */
function operationOfQuery(query: string): string | undefined {
  const named = /\b(?:query|mutation|subscription)\s+([A-Za-z_]\w*)/.exec(query)?.[1];
  return named ?? /\{\s*([A-Za-z_]\w*)/.exec(query)?.[1];
}

/**
 * A Socket.IO event named by a number: `String(n)`, as socketio-decoder.ts writes it. Only on a
 * Socket.IO event's value (its `type` is a name, where a SignalR record's is a number), so no other
 * protocol's `event` key starts to count; raw-prefilter.ts decodes every such message in order.
 */
function numberedEvent(part: JsonObject): string | undefined {
  const event = part.event;
  if (typeof event !== 'number' || part.engineIO !== 'message') return undefined;
  return part.type === 'EVENT' || part.type === 'BINARY_EVENT' ? String(event) : undefined;
}

function add(list: string[], value: string | undefined): void {
  if (value !== undefined && !list.includes(value)) list.push(value);
}

export function decodedFields(value: JsonValue): DecodedFields {
  const fields: DecodedFields = { events: [], destinations: [], topics: [], operations: [] };
  for (const part of valueParts(value)) {
    add(fields.events, text(part.event) ?? numberedEvent(part) ?? text(part.target));
    const headers = part.headers;
    if (isObject(headers)) add(fields.destinations, text(headers.destination));
    add(fields.topics, text(part.topic));
    const subscriptions = part.subscriptions;
    if (Array.isArray(subscriptions)) for (const s of subscriptions) if (isObject(s)) add(fields.topics, text(s.topic));
    const unsubscriptions = part.unsubscriptions;
    if (Array.isArray(unsubscriptions)) for (const t of unsubscriptions) add(fields.topics, text(t));
    const payload = isObject(part.payload) ? part.payload : undefined;
    const named = isObject(part.operation) ? text(part.operation.name) : undefined;
    add(fields.operations, text(part.operationName) ?? text(payload?.operationName) ?? (text(payload?.query) !== undefined ? operationOfQuery(text(payload?.query) ?? '') : undefined) ?? named);
  }
  return fields;
}
