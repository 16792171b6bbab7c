/**
 * How many of a direction's latest message bytes a decoder snapshot (decoder-snapshot.ts) holds
 * as they were read: an unfinished STOMP frame, MQTT packet or SignalR record is the tail of what
 * that direction sent (text and binary messages, in order), kept byte for byte. A decoded summary
 * or problem may quote that tail later, when the frame, packet or record ends.
 *
 * An export rejoining a checkpoint of the rows' (made from the stored bytes, credentials and all)
 * takes it only when that tail holds no byte the export masked (export/masked-checkpoints.ts).
 * Infinity: something is held that is not known to be such a tail (a Socket.IO binary packet
 * joining its attachments), so no tail of known bytes vouches for it.
 */
import type { WireFrame } from './decoded-frame';
import type { DecoderSnapshot } from './decoder-snapshot';

export function heldTailBytes(snapshot: DecoderSnapshot, dir: WireFrame['dir']): number {
  switch (snapshot.protocol) {
    case 'stomp':
      return snapshot.pending[dir].byteLength;
    case 'mqtt':
      // mqtt-packet's list keeps the bytes it has not consumed: the packet's tail.
      return snapshot.parsers[dir]?.bytes.byteLength ?? 0;
    case 'signalr': {
      const { pending, pendingBytes } = snapshot.directions[dir];
      // Text and MessagePack records both under way: their bytes are not one tail.
      if (pending !== '' && pendingBytes.byteLength > 0) return Infinity;
      // The text as decoded: its UTF-8 length is never less than the bytes it came from (each
      // U+FFFD, 3 bytes, stands for 1 to 3 bytes that were not UTF-8), so the tail it names covers them.
      return Buffer.byteLength(pending, 'utf8') + pendingBytes.byteLength;
    }
    case 'socketio':
      return snapshot.directions[dir] === null ? 0 : Infinity;
    default:
      // GraphQL's ids and operation names, and the stateless decoders: no message bytes.
      return 0;
  }
}
