/**
 * What the Engine.IO heartbeat switch says under it. The heartbeat follows the server's first
 * message, not the Decode choice: Decode only changes how frames are shown (and can change
 * mid-session), while an Engine.IO open packet is what shows the server will close a session
 * whose pings go unanswered. So a tab decoding as None or as another protocol still answers,
 * and the hint says so.
 */
import { DECODE_PROTOCOLS } from '../../../src-main/shared/decoding';

export function engineioHeartbeatHint(on: boolean): string {
  return on
    ? "Only for a server whose first message is an Engine.IO open packet (Socket.IO): each ping 2 is answered with 3 (EIO=3 in the URL: a 2 every pingInterval), shown as sent frames."
    : 'Engine.IO pings go unanswered: a Socket.IO server closes the session at its ping timeout (the status bar then says why).';
}

/** A note for a Decode choice other than Auto or Socket.IO (null for those two). */
export function engineioDecodeNote(on: boolean, decode: string): string | null {
  if (!on || decode === 'auto' || decode === 'socketio') return null;
  const shown = decode === 'none' ? 'None' : (DECODE_PROTOCOLS.find((p) => p.name === decode)?.title ?? decode);
  return `Decode is ${shown}: that changes only how frames are shown. A server that opens with Engine.IO is still answered.`;
}
