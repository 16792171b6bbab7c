/**
 * What a session tells the relay of an intercepted connection (core/intercept/): the session
 * is the upstream leg (resolve, proxy, TLS, upgrade, then frames, all recorded as usual), and
 * the relay passes what the server sends on to the intercepted client.
 */
import type { HttpCapture } from '../../shared/model';
export interface SessionRelay {
  /**
   * The server accepted the upgrade: what it chose, and the upgrade as it went (the request
   * sent to the server and its 101, secrets redacted). Called before any of its frames.
   */
  onOpen(opened: { protocol: string; extensions: string; request: HttpCapture; response: HttpCapture }): void;
  /** A message from the server, already recorded (direction `in`). */
  onMessage(kind: 'text' | 'binary', payload: Buffer): void;
  /** The session is about to end (closed or failed): what the relay still holds can go nowhere now. */
  onEnding?(): void;
}

/** Who an intercepted session's client is, as `session-created` and `session:list` say (shared/captured-from.ts). */
export type { CapturedFrom } from '../../shared/captured-from';
