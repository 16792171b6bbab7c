/**
 * In the desktop app a window is a client: the sessions its page opens are its own. A reload
 * keeps the window (and so its sessions, which the reloaded page lists and takes back); closing
 * the window is the client going away for good, so its sessions are closed and disposed at once
 * (no grace: a closed window never comes back).
 */

/** What this needs of the engine (core/engine.ts implements it). */
export interface ClientTracker {
  clientConnected?(clientId: string): void;
  clientDisconnected?(clientId: string, options?: { graceMs?: number }): void;
}

/** The part of a WebContents used here: its `destroyed` event. */
export interface ClientSender {
  once?(event: 'destroyed', listener: () => void): unknown;
}

export class WindowClients {
  private readonly ids = new WeakMap<object, string>();
  private next = 1;

  constructor(private readonly engine: ClientTracker) {}

  /** The client id of the window whose page sent a call; the first call registers the window and arranges for it going away. */
  of(sender: ClientSender): string {
    const known = this.ids.get(sender);
    if (known !== undefined) return known;
    const clientId = `window-${this.next++}`;
    this.ids.set(sender, clientId);
    this.engine.clientConnected?.(clientId);
    // A sender that cannot say when it goes (not a real WebContents) keeps its sessions until the app quits.
    if (typeof sender.once === 'function') {
      sender.once('destroyed', () => this.engine.clientDisconnected?.(clientId, { graceMs: 0 }));
    }
    return clientId;
  }
}
