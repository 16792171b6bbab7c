/**
 * Which protocol's credentials to mask when a session's first messages were evicted: a STOMP or
 * MQTT session without a subprotocol is recognised from its CONNECT, one of its first messages,
 * so once that is gone nothing said STOMP or MQTT and a later CONNECT (a reconnect's), or a
 * SEND's `Authorization:` / `passcode:` header, was written in clear.
 *
 * So the stored frames are looked through for a sign that cannot be mistaken: an MQTT CONNECT
 * (recognise-protocol.ts), a STOMP CONNECT/CONNECTED/STOMP, or a message that is wholly STOMP
 * frames (whole-stomp-message.ts: a command line of the STOMP set, header lines, the NUL end, and
 * nothing else). Text that merely looks like STOMP (a command word, a `passcode:` line, no NUL
 * end) is no sign, so such a session is never read as STOMP. Most messages are passed over by
 * their first byte.
 */
import type { DecoderName } from './decoded-frame';
import { recogniseFirstFrame } from './recognise-protocol';
import { isWholeStompMessage } from './whole-stomp-message';

/** What this reads: the stored frames. */
export interface StoredFrames {
  readonly lastSeq: number;
  entry(seq: number): { opcode: string; payload: Uint8Array } | undefined;
}

const MQTT_CONNECT = 0x10;
/** The first letters of STOMP's commands (ABORT, ACK, BEGIN, COMMIT, CONNECT…, DISCONNECT, ERROR, MESSAGE, NACK, RECEIPT, SEND, STOMP, SUBSCRIBE, UNSUBSCRIBE). */
const COMMAND_INITIALS = new Set([...'ABCDEMNRSU'].map((c) => c.charCodeAt(0)));
const LF = 0x0a;

/** The credential protocol the frames from `from` on show, or undefined when none does. */
export function storedCredentialProtocol(frames: StoredFrames, from: number): Extract<DecoderName, 'stomp' | 'mqtt'> | undefined {
  for (let seq = from; seq <= frames.lastSeq; seq++) {
    const stored = frames.entry(seq);
    if (!stored || (stored.opcode !== 'text' && stored.opcode !== 'binary')) continue;
    const bytes = stored.payload;
    const first = bytes[0] ?? 0;
    if (first === MQTT_CONNECT && stored.opcode === 'binary') {
      if (recogniseFirstFrame('binary', bytes)?.protocol === 'mqtt') return 'mqtt';
    } else if ((COMMAND_INITIALS.has(first) || first === LF) && isWholeStompMessage(bytes)) return 'stomp';
  }
  return undefined;
}
