/**
 * Which namespaces a socket.io 4.8 server has connected for this client, as socketio-decoder.ts
 * follows them from both directions, and what the server does with a client's packet given that
 * (socket.io's Client.ondecoded; test/net/real-servers/socketio-raw-frames.test.ts shows each):
 * - a CONNECT to a namespace the server has not connected connects it (its answer: CONNECT, or
 *   CONNECT_ERROR when refused); any other packet there (EVENT, ACK, DISCONNECT), and a CONNECT to
 *   one it has connected, is an "invalid state": the server closes the whole connection;
 * - a namespace is connected once the server sends its CONNECT (the server adds it just before),
 *   and no longer once either side sends DISCONNECT for it;
 * - under Engine.IO 3 (socket.io v2 clients) the server keys namespaces by the path of the packet's
 *   namespace (`/admin?token=1` is `/admin`, the query being the auth) and connects `/` itself.
 * A client packet sent after its CONNECT but before the server's answer was recorded may reach the
 * server before or after it connected the namespace: the note says so.
 * "Not connected" is said only once the Engine.IO open packet was read (the connection's start:
 * frames before it may have been evicted from the store, and a decoder started after them knows
 * nothing). The state is plain data for snapshots (decoder-snapshot.ts).
 */
import { PacketType, type Packet } from 'socket.io-parser';
import type { WireFrame } from './decoded-frame';

/** The server has connected the namespace (`joined`), or the client asked and no answer is recorded yet. */
type NamespaceState = 'joined' | 'asked';

const ENGINE_OPEN = 0x30; // '0': the Engine.IO open packet
const ENGINE_MESSAGE = 0x34; // '4'
const CONNECT = 0x30;
const DISCONNECT = 0x31;
const CONNECT_ERROR = 0x34;

/**
 * Whether a text message may change the namespaces (socketio-namespaces.ts): the Engine.IO open,
 * a CONNECT, DISCONNECT or CONNECT_ERROR (`40…`, `41…`, `44…`). A prefilter never passes it over,
 * so a walk's decoder (and the checkpoints it offers) knows what decoding every frame would.
 */
export function socketIoSetsNamespaces(slab: Buffer, start: number, end: number): boolean {
  if (end <= start) return false;
  if (slab[start] === ENGINE_OPEN) return true;
  if (slab[start] !== ENGINE_MESSAGE || end - start < 2) return false;
  const type = slab[start + 1];
  return type === CONNECT || type === DISCONNECT || type === CONNECT_ERROR;
}

export class SocketIoNamespaces {
  /** The Engine.IO open packet was read: what is not recorded as connected is not. */
  private opened = false;
  private readonly namespaces = new Map<string, NamespaceState>();
  /** Engine.IO 3's namespace names by packet nsp (new URL is slow; a connection uses few). */
  private readonly paths = new Map<string, string | undefined>();

  constructor(private readonly engineVersion: 3 | 4) {}

  /** The Engine.IO open packet: a new connection, nothing connected yet. */
  open(): void {
    this.opened = true;
    this.namespaces.clear();
  }

  /**
   * Takes a packet the decoder read in order and returns what the server does with it given the
   * namespaces (a note for the summary, '' when nothing needs saying).
   */
  packet(packet: Packet, dir: WireFrame['dir']): string {
    const name = this.nameOf(packet.nsp);
    if (name === undefined) return '';
    const state = this.namespaces.get(name);
    if (dir === 'in') {
      if (packet.type === PacketType.CONNECT) this.namespaces.set(name, 'joined');
      else if (packet.type === PacketType.CONNECT_ERROR || packet.type === PacketType.DISCONNECT) this.namespaces.delete(name);
      return '';
    }
    if (packet.type === PacketType.CONNECT) {
      if (state === 'joined') return ` — ${name} is already connected: the server closes the connection (a second CONNECT)`;
      if (state === 'asked') return ` — again before the server's answer to the first was recorded: a server still connecting it connects it a second time, one that has connected it closes the connection`;
      this.namespaces.set(name, 'asked');
      return '';
    }
    if (packet.type === PacketType.CONNECT_ERROR) return '';
    if (packet.type === PacketType.DISCONNECT && state === 'joined') this.namespaces.delete(name);
    if (state === 'joined') return '';
    if (state === 'asked') return ` — before the server's answer to connect ${name} was recorded: a server that has not connected it yet closes the connection`;
    return this.opened ? ` — ${name} not connected: the server closes the connection (a client's first packet on a namespace must be CONNECT)` : '';
  }

  /** Plain data for a snapshot: whether the open was read, then name, state, name, state… */
  snapshot(): { opened: boolean; namespaces: string[] } {
    return { opened: this.opened, namespaces: [...this.namespaces].flat() };
  }

  restore(state: { readonly opened: boolean; readonly namespaces: readonly string[] }): void {
    this.opened = state.opened;
    this.namespaces.clear();
    for (let i = 0; i + 1 < state.namespaces.length; i += 2) {
      const name = state.namespaces[i];
      const value = state.namespaces[i + 1];
      if (name !== undefined && (value === 'joined' || value === 'asked')) this.namespaces.set(name, value);
    }
  }

  /** The server's name for a packet's namespace (undefined: Engine.IO 3's URL parser refuses it, and so does the server). */
  private nameOf(nsp: string): string | undefined {
    if (this.engineVersion === 4 || nsp === '/') return nsp;
    if (this.paths.has(nsp)) return this.paths.get(nsp);
    let path: string | undefined;
    try {
      path = new URL(nsp, 'https://socket.io').pathname;
    } catch {
      path = undefined;
    }
    if (this.paths.size > 64) this.paths.clear();
    this.paths.set(nsp, path);
    return path;
  }
}
