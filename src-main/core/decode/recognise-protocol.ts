/**
 * Which protocol a session speaks, guessed from what is known in this order: the subprotocol
 * the server chose, the URL, then the first messages. Always a guess (with the reason in words)
 * until the user confirms it or picks another; only signs that cannot be mistaken are used, so
 * a MessagePack, CBOR or Protocol Buffers payload is never guessed from its bytes alone (any
 * bytes read as some value), nor is brotli or raw deflate; gzip is (its magic bytes), and Base64
 * text only when what it carries is gzip or JSON.
 */
import { readBase64 } from './base64-decoder';
import { isGzip } from './compressed-decoder';
import type { DecoderName } from './decoded-frame';

export interface ProtocolGuess {
  protocol: DecoderName;
  /** e.g. "the server chose the subprotocol v12.stomp". */
  reason: string;
  engineVersion?: 3 | 4;
}

/** How many data messages are looked at before giving up on recognising one. */
export const RECOGNITION_FRAMES = 8;

const SUBPROTOCOLS: readonly [RegExp, DecoderName][] = [
  [/^v1[0-2]\.stomp$|^stomp$/i, 'stomp'],
  [/^mqtt(v3\.1)?$/i, 'mqtt'],
  // graphql-transport-ws (graphql-ws) and the legacy graphql-ws (subscriptions-transport-ws): one decoder reads both.
  [/^graphql-(transport-)?ws$/i, 'graphql-ws'],
  [/protobuf|(^|[.\-_])proto($|[.\-_])/i, 'protobuf'],
  [/msgpack|messagepack/i, 'msgpack'],
  [/(^|[.\-_])cbor($|[.\-_])/i, 'cbor'],
];

export function recogniseSubprotocol(subprotocol: string | undefined): ProtocolGuess | undefined {
  if (subprotocol === undefined || subprotocol === '') return undefined;
  for (const [pattern, protocol] of SUBPROTOCOLS) {
    if (pattern.test(subprotocol)) return { protocol, reason: `the server chose the subprotocol ${subprotocol}` };
  }
  return undefined;
}

/** A URL or a request target ("/socket.io/?EIO=4&transport=websocket"). */
export function recogniseUrl(target: string): ProtocolGuess | undefined {
  let url: URL;
  try {
    url = new URL(target, 'ws://host');
  } catch {
    return undefined;
  }
  const eio = url.searchParams.get('EIO');
  const engineVersion = eio === '3' ? 3 : eio === '4' ? 4 : undefined;
  if (engineVersion !== undefined) return { protocol: 'socketio', reason: `the URL has EIO=${eio}`, engineVersion };
  if (/\/socket\.io\/?$/.test(url.pathname)) return { protocol: 'socketio', reason: 'the URL path is /socket.io/', engineVersion: 4 };
  return undefined;
}

const STOMP_START = /^(CONNECT|STOMP|CONNECTED)\r?\n/;
const ENGINE_IO_OPEN = /^0\{"sid":/;

function jsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const GRAPHQL_OPENERS = new Set(['connection_init', 'connection_ack']);

/** A graphql-ws message that could be nothing else: connection_init/ack, or a subscribe/start with a query. */
function isGraphqlWs(message: Record<string, unknown>): boolean {
  if (typeof message.type !== 'string') return false;
  if (GRAPHQL_OPENERS.has(message.type)) return true;
  const payload = message.payload;
  return (message.type === 'subscribe' || message.type === 'start') && typeof message.id === 'string' && typeof payload === 'object' && payload !== null && 'query' in payload && typeof payload.query === 'string';
}

/** SignalR: records ended by 0x1E, the first a handshake ({protocol, version}, or the server's {} / {error}) or a hub message. */
function isSignalR(text: string): boolean {
  const end = text.indexOf('\u001e');
  if (end < 0) return false;
  const first = jsonObject(text.slice(0, end));
  if (!first) return false;
  if (typeof first.protocol === 'string' && typeof first.version === 'number') return true;
  if (Object.keys(first).length === 0 || (Object.keys(first).length === 1 && typeof first.error === 'string')) return true;
  return typeof first.type === 'number' && first.type >= 1 && first.type <= 9;
}

/** A whole message of Base64 (at least 16 characters, not only hex digits) that carries gzip or JSON. */
function isBase64Payload(text: string): boolean {
  if (text.length < 16 || !/^[A-Za-z0-9+/\-_]+={0,2}$/.test(text) || /^[0-9a-fA-F]+$/.test(text)) return false;
  const read = readBase64(text);
  if ('problem' in read) return false;
  if (isGzip(read.bytes)) return true;
  const inner = read.bytes.toString('utf8').trim();
  return (inner.startsWith('{') || inner.startsWith('[')) && jsonObjectOrList(inner);
}

function jsonObjectOrList(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null;
  } catch {
    return false;
  }
}

/** One of the first data messages. */
export function recogniseFirstFrame(opcode: 'text' | 'binary', bytes: Uint8Array): ProtocolGuess | undefined {
  const head = Buffer.from(bytes.subarray(0, 16)).toString('latin1');
  if (STOMP_START.test(head)) return { protocol: 'stomp', reason: `a message starts with the STOMP command ${head.split(/\r?\n/)[0] ?? ''}` };
  if (opcode === 'text' && ENGINE_IO_OPEN.test(head)) return { protocol: 'socketio', reason: 'a message is an Engine.IO open packet', engineVersion: 4 };
  // MQTT CONNECT: type 1, then the remaining length (1–4 bytes), then the protocol name "MQTT" or "MQIsdp".
  if (opcode === 'binary' && bytes[0] === 0x10) {
    let at = 1;
    while (at < 5 && ((bytes[at] ?? 0) & 0x80) !== 0) at++;
    const name = Buffer.from(bytes.subarray(at + 3, at + 9)).toString('latin1');
    if (name.startsWith('MQTT') || name === 'MQIsdp') return { protocol: 'mqtt', reason: 'a message is an MQTT CONNECT packet' };
  }
  if (isGzip(bytes)) return { protocol: 'compressed', reason: 'a message starts with the gzip signature 1f 8b 08' };
  if (opcode !== 'text') return undefined;
  const text = Buffer.from(bytes).toString('utf8');
  if (text.startsWith('{') && isSignalR(text)) return { protocol: 'signalr', reason: 'a message is a SignalR record (JSON ended by 0x1E)' };
  if (text.startsWith('{')) {
    const message = jsonObject(text);
    if (message && isGraphqlWs(message)) return { protocol: 'graphql-ws', reason: `a message is the GraphQL over WebSocket ${String(message.type)}` };
  }
  if (isBase64Payload(text.trim())) return { protocol: 'base64', reason: 'a message is Base64 text that carries gzip or JSON' };
  return undefined;
}
