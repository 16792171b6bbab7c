/**
 * Where a protocol frame surely starts in a message that may continue one begun in a message
 * that was dropped (evicted from the store, or gone while an export ran): everything before that
 * point may be the rest of a credential whose start is unknown (midway-credentials.ts masks it).
 *
 *   STOMP  a frame starts at the message's start or right after a NUL (a frame's end), after any
 *          EOLs (heart-beats), with a whole command line of the STOMP set. A NUL followed by
 *          anything else is taken to be inside a body (content-length bodies hold NULs) or a
 *          value, and the next NUL is tried.
 *   MQTT   a packet's remaining length is unknown in the middle of one, so a message is either
 *          read as packets from its first byte (whole, well-formed packets: a valid type and
 *          flags, a remaining length that fits the type; the last may go on into the next
 *          message after at least one whole one) or not at all.
 *   GraphQL-ws, Socket.IO  a message is one JSON message (Socket.IO: an Engine.IO packet):
 *          read from its first byte when it is whole (GraphQL: a JSON object; Socket.IO: a
 *          packet's type, namespace and ack id, then JSON or nothing; an Engine.IO open, ping or
 *          pong), else not at all. The rest of an object cut across messages never is: it holds
 *          the closing brace of an object begun before it.
 *
 * A rest that happens to be exactly such a start (a passcode's rest that is a command line, a
 * password's rest that is whole MQTT packets) cannot be told from one.
 */
import { STOMP_COMMANDS } from './stomp-frame';

const NUL = 0;
const LF = 0x0a;
const CR = 0x0d;
/** UNSUBSCRIBE. */
const LONGEST_COMMAND = 11;

/** Where the masking ends and the protocol's reader may start: undefined when no start was found (the next message is looked at again). */
export interface MidwayVerdict {
  maskEnd: number;
  resume: number | undefined;
}

/** Whether a STOMP frame starts at `at`: EOLs, then a whole command line of the STOMP set. */
export function stompFrameStartsAt(bytes: Uint8Array, at: number): boolean {
  const length = bytes.length;
  let p = at;
  while (p < length) {
    if (bytes[p] === LF) p++;
    else if (bytes[p] === CR && bytes[p + 1] === LF) p += 2;
    else break;
  }
  let end = p;
  while (end < length && end - p <= LONGEST_COMMAND + 1 && bytes[end] !== LF) end++;
  if (end >= length || bytes[end] !== LF) return false;
  if (end > p && bytes[end - 1] === CR) end--;
  if (end === p || end - p > LONGEST_COMMAND) return false;
  return STOMP_COMMANDS.has(Buffer.from(bytes.buffer, bytes.byteOffset + p, end - p).toString('latin1'));
}

export function stompMidway(bytes: Uint8Array): MidwayVerdict {
  let p = 0;
  for (;;) {
    if (stompFrameStartsAt(bytes, p)) return { maskEnd: p, resume: p };
    const nul = bytes.indexOf(NUL, p);
    if (nul < 0) return { maskEnd: bytes.length, resume: undefined };
    p = nul + 1;
  }
}

/** The least remaining length of each packet type (MQTT 3.1.1 and 5), -1 for a type/flags pair that is not valid. */
function leastRemaining(first: number): number {
  const type = first >> 4;
  const flags = first & 0x0f;
  switch (type) {
    case 1:
      return flags === 0 ? 10 : -1; // CONNECT: name, level, flags, keep alive
    case 3:
      return ((flags >> 1) & 3) !== 3 ? 2 : -1; // PUBLISH: a topic's length
    case 6:
      return flags === 2 ? 2 : -1; // PUBREL
    case 8:
    case 10:
      return flags === 2 ? 5 : -1; // SUBSCRIBE, UNSUBSCRIBE: id and a topic filter
    case 12:
    case 13:
      return flags === 0 ? 0 : -1; // PINGREQ, PINGRESP
    case 2:
    case 4:
    case 5:
    case 7:
    case 11:
      return flags === 0 ? 2 : -1;
    case 9:
      return flags === 0 ? 3 : -1; // SUBACK
    case 14:
    case 15:
      return flags === 0 ? 0 : -1; // DISCONNECT, AUTH
    default:
      return -1;
  }
}

/** Whether the message reads as MQTT packets from its first byte. */
export function mqttStartsPackets(bytes: Uint8Array): boolean {
  const length = bytes.length;
  let at = 0;
  let whole = 0;
  while (at < length) {
    const least = leastRemaining(bytes[at] ?? 0);
    if (least < 0) return false;
    let remaining = 0;
    let factor = 1;
    let size = 0;
    for (;;) {
      size++;
      if (at + size >= length) return whole > 0; // the fixed header goes on in the next message
      const byte = bytes[at + size] ?? 0;
      remaining += (byte & 0x7f) * factor;
      if ((byte & 0x80) === 0) break;
      if (size === 4) return false;
      factor *= 128;
    }
    if (remaining < least) return false;
    const total = 1 + size + remaining;
    if (at + total > length) return whole > 0;
    at += total;
    whole++;
  }
  return whole > 0;
}

export function mqttMidway(bytes: Uint8Array): MidwayVerdict {
  return mqttStartsPackets(bytes) ? { maskEnd: 0, resume: 0 } : { maskEnd: bytes.length, resume: undefined };
}

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** Socket.IO's packet head (Engine.IO message '4', type, attachments, namespace, ack id) before its JSON. */
const SOCKETIO_HEAD = /^4[0-6](\d+-)?(\/[^,]*,)?\d*/;
const ENGINE_IO_OPEN = /^0\{"sid":/;

/** Whether a text message is a whole JSON message of the protocol. */
function wholeJsonMessage(protocol: 'graphql-ws' | 'socketio', bytes: Uint8Array): boolean {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  if (protocol === 'graphql-ws') return text.trimStart().startsWith('{') && parses(text);
  const head = SOCKETIO_HEAD.exec(text);
  if (head) return head[0].length === text.length || parses(text.slice(head[0].length));
  if (ENGINE_IO_OPEN.test(text)) return parses(text.slice(1));
  return /^[1-6](probe)?$/.test(text);
}

export function jsonMidway(protocol: 'graphql-ws' | 'socketio', bytes: Uint8Array): MidwayVerdict {
  return wholeJsonMessage(protocol, bytes) ? { maskEnd: 0, resume: 0 } : { maskEnd: bytes.length, resume: undefined };
}
