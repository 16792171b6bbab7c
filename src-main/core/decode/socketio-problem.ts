/**
 * Why socket.io-parser refused a Socket.IO packet, as "what and where" (issue 14). The parser
 * throws bare messages ("invalid payload", "unknown packet type NaN"); this reads the packet's
 * header the way its decodeString does (socket.io-parser 4.2.7) to say which part is wrong and
 * at which character of the WebSocket message (the Engine.IO type `4` is character 0, the
 * Socket.IO packet starts at 1). Asked only after the parser threw, so it costs nothing on the
 * common path; an error it does not know is given as the parser said it.
 */
import { PacketType } from 'socket.io-parser';
import { quote } from './decoded-frame';
import { SOCKETIO_RESERVED_EVENTS } from './socketio-match-proof';

const A_PACKET: Readonly<Record<PacketType, string>> = {
  [PacketType.CONNECT]: 'a CONNECT',
  [PacketType.DISCONNECT]: 'a DISCONNECT',
  [PacketType.EVENT]: 'an EVENT',
  [PacketType.ACK]: 'an ACK',
  [PacketType.CONNECT_ERROR]: 'a CONNECT_ERROR',
  [PacketType.BINARY_EVENT]: 'a BINARY_EVENT',
  [PacketType.BINARY_ACK]: 'a BINARY_ACK',
};

/** Number(c) == c in decodeString: whatever Number() does not read as NaN ('' and whitespace read as 0). */
function readsAsNumber(c: string): boolean {
  return !Number.isNaN(Number(c));
}

function packetTypeOf(char: string): PacketType | undefined {
  const type = Number(char);
  return Number.isInteger(type) && type >= PacketType.CONNECT && type <= PacketType.BINARY_ACK ? (type as PacketType) : undefined;
}

/** Where decodeString starts the JSON payload of `packet` (its length: none), stepping over attachments, namespace and id as it does. */
export function payloadIndex(packet: string): number {
  let i = 0;
  const type = packetTypeOf(packet.charAt(0));
  if (type === PacketType.BINARY_EVENT || type === PacketType.BINARY_ACK) {
    while (packet.charAt(++i) !== '-' && i !== packet.length) {
      // to the '-' that ends the attachment count
    }
  }
  if (packet.charAt(i + 1) === '/') {
    while (++i) {
      if (packet.charAt(i) === ',' || i === packet.length) break;
    }
  }
  const next = packet.charAt(i + 1);
  if (next !== '' && readsAsNumber(next)) {
    while (++i) {
      if (!readsAsNumber(packet.charAt(i))) {
        --i;
        break;
      }
      if (i === packet.length) break;
    }
  }
  return Math.min(i + 1, packet.length);
}

/** What is wrong with a payload isPayloadValid refused (socket.io-parser), at `at` in the message. */
function payloadProblem(type: PacketType, payload: string, at: number): string {
  const what = A_PACKET[type];
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload);
  } catch {
    return type === PacketType.DISCONNECT
      ? `${what} with a payload at character ${at} (it takes none): ${quote(payload)}`
      : `${what} whose payload at character ${at} is not JSON: ${quote(payload)}`;
  }
  switch (type) {
    case PacketType.CONNECT:
      return `${what} whose payload at character ${at} is not a JSON object: ${quote(payload)}`;
    case PacketType.DISCONNECT:
      return `${what} with a payload at character ${at} (it takes none): ${quote(payload)}`;
    case PacketType.CONNECT_ERROR:
      return `${what} whose payload at character ${at} is neither a string nor a JSON object: ${quote(payload)}`;
    case PacketType.ACK:
    case PacketType.BINARY_ACK:
      return `${what} whose payload at character ${at} is not an array: ${quote(payload)}`;
    case PacketType.EVENT:
    case PacketType.BINARY_EVENT: {
      if (!Array.isArray(parsed)) return `${what} whose payload at character ${at} is not an array: ${quote(payload)}`;
      const name: unknown = parsed[0];
      if (parsed.length === 0) return `${what} with an empty array at character ${at} (no event name)`;
      if (typeof name === 'string' && SOCKETIO_RESERVED_EVENTS.includes(name)) return `${what} named ${quote(name)} at character ${at}, a name Socket.IO reserves`;
      return `${what} whose name at character ${at} is not a string or a number: ${quote(payload)}`;
    }
  }
}

/**
 * The problem with `packet` (the Socket.IO text after the Engine.IO `4`) that made
 * socket.io-parser throw `message`; `joining` names the binary packet waiting for attachments.
 */
export function socketIoPacketProblem(packet: string, message: string, joining: string | undefined): string {
  const type = packetTypeOf(packet.charAt(0));
  if (message.startsWith('got plaintext data')) return `a text message while ${joining ?? 'a binary packet'} waits for its attachments`;
  if (message.startsWith('unknown packet type') || type === undefined) return `unknown Socket.IO packet type ${quote(packet.charAt(0))} at character 1`;
  if (message === 'Illegal attachments') {
    const count = packet.slice(1, packet.indexOf('-') < 0 ? undefined : packet.indexOf('-'));
    return `${A_PACKET[type]}'s attachment count at character 2 is not a whole number of 1 or more followed by '-': ${quote(count)}`;
  }
  if (message === 'too many attachments') {
    return `${A_PACKET[type]} with ${packet.slice(1, packet.indexOf('-'))} attachments at character 2 (socket.io-parser takes at most 10)`;
  }
  if (message === 'invalid payload') {
    const at = payloadIndex(packet);
    return payloadProblem(type, packet.slice(at), at + 1);
  }
  return `${message} in the Socket.IO packet ${quote(packet)}`;
}
