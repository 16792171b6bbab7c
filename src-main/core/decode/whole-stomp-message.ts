/**
 * Whether a message is unmistakably STOMP: nothing but whole STOMP frames (and heart-beats), each
 * a command line of the STOMP set, at least one header line (`name:value`, UTF-8), the empty
 * line, a body and its NUL (or its content-length bytes then the NUL), as the decoder reads them
 * (stomp-frame.ts; escapes not required, so a STOMP 1.0 frame counts). A command word alone, a
 * frame without a header or without its NUL end, or bytes after the last frame are no sign.
 */
import { stompFrameStartsAt } from './midway-frame-starts';
import { parseStompFrame } from './stomp-frame';

export function isWholeStompMessage(bytes: Uint8Array): boolean {
  // The command line first, bounded (most messages that are not STOMP stop here).
  if (!stompFrameStartsAt(bytes, 0)) return false;
  let frames = 0;
  let at = 0;
  while (at < bytes.length) {
    const parsed = parseStompFrame(bytes, at, false);
    if (parsed.kind === 'heartbeat') {
      at = parsed.end;
      continue;
    }
    if (parsed.kind !== 'frame' || parsed.frame.headers.length === 0) return false;
    frames++;
    at = parsed.end;
  }
  return frames > 0;
}
