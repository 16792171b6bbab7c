/**
 * Which binary packet a Socket.IO header or attachment belongs to. socket.io-parser joins a
 * BINARY_EVENT's or BINARY_ACK's attachments to its header and gives the packet on the last one;
 * the header and the attachments before it show no packet (their values say what they wait for),
 * yet they are frames of it: following an emit's ack must show them all, or a filtered export
 * re-imports an attachment with no header before it. The decoder marks them with the packet's
 * type, namespace and ack id beside the value (not in it: searches read values, and theirs stay
 * what their bytes say), and conversation-of.ts reads the mark as it reads a joined packet.
 */
import { Decoder, PacketType, type Packet } from 'socket.io-parser';
import type { DecodeOutcome } from './decoded-frame';

/** The packet a header or attachment is part of (only one with an ack id is in a conversation). */
export interface BinaryPart {
  readonly type: 'BINARY_EVENT' | 'BINARY_ACK';
  readonly nsp: string;
  readonly id: number;
}

export type BinaryPartOutcome = DecodeOutcome & { readonly binaryPart: BinaryPart };

export function withBinaryPart(outcome: DecodeOutcome, part: BinaryPart | undefined): DecodeOutcome {
  if (!part) return outcome;
  // A property of its own, so the copies that mark an answer (unread-answers.ts, session-end.ts) keep it.
  const marked: BinaryPartOutcome = { ...outcome, binaryPart: part };
  return marked;
}

function hasBinaryPart(outcome: DecodeOutcome): outcome is BinaryPartOutcome {
  return 'binaryPart' in outcome;
}

export function binaryPartOf(outcome: DecodeOutcome): BinaryPart | undefined {
  return hasBinaryPart(outcome) ? outcome.binaryPart : undefined;
}

const BINARY_HEADER = /^([56])\d+-/;

/**
 * The namespace and ack id of a header socket.io-parser took (`61-/chat,5[...]`): the same text
 * read as the plain EVENT or ACK it becomes (`3/chat,5[...]`) by a parser of its own, so the
 * namespace and id are read by socket.io-parser's own rules. Undefined without an ack id.
 */
export function binaryPartOfHeader(header: string): BinaryPart | undefined {
  const match = BINARY_HEADER.exec(header);
  if (!match) return undefined;
  const event = match[1] === '5';
  const decoder = new Decoder();
  let packet: Packet | undefined;
  decoder.on('decoded', (p: Packet) => {
    packet = p;
  });
  try {
    decoder.add(`${event ? PacketType.EVENT : PacketType.ACK}${header.slice(match[0].length)}`);
  } catch {
    return undefined;
  } finally {
    decoder.destroy();
  }
  if (packet?.id === undefined) return undefined;
  return { type: event ? 'BINARY_EVENT' : 'BINARY_ACK', nsp: packet.nsp, id: packet.id };
}
