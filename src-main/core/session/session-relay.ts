/**
 * What a session tells the relay of an intercepted connection (core/intercept/): the session
 * is the upstream leg (resolve, proxy, TLS, upgrade, then frames, all recorded as usual), and
 * the relay passes what the server sends on to the intercepted client.
 */
export interface SessionRelay {
  /** The server accepted the upgrade: what it chose. Called before any of its frames. */
  onOpen(opened: { protocol: string; extensions: string }): void;
  /** A message from the server, already recorded (direction `in`). */
  onMessage(kind: 'text' | 'binary', payload: Buffer): void;
}

/** Who an intercepted session's client is, as `session-created` and `session:list` say. */
export interface CapturedFrom {
  /** The intercepted client's address and port (`127.0.0.1:51234`). */
  clientAddress: string;
}
