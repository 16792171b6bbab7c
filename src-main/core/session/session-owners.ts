/**
 * Who owns each session and how long it lives. A session belongs to the client (a web page,
 * an Electron window) that opened or adopted it. When a client has had no connection for the
 * grace period (long enough for a page reload to take its sessions back), its sessions are
 * closed and disposed. A closed session is disposed after the retention period unless the UI
 * pinned it (a tab shows it). And how many sessions a client and the engine may hold.
 *
 * The sessions themselves stay in the engine: this file only keeps the bookkeeping and the
 * timers (on the injected Clock, so tests drive them with fake time).
 */
import type { Clock, TimerHandle } from '../net/clock';

export interface SessionLimits {
  /** Sessions the engine holds at once, open or closed (imports too). */
  maxSessions: number;
  /** Sessions one client (page, window) holds at once. */
  maxSessionsPerClient: number;
  /** How long a client may be gone before its sessions are closed and disposed. */
  clientGraceMs: number;
  /** How long a closed session that no tab pins is kept before it is disposed. */
  closedRetentionMs: number;
}

export const DEFAULT_SESSION_LIMITS: SessionLimits = {
  maxSessions: 1000,
  maxSessionsPerClient: 100,
  clientGraceMs: 60_000,
  closedRetentionMs: 10 * 60_000,
};

/** How a session's owner looks to the client asking (`session:list`). */
export type OwnerView = 'you' | 'other' | 'gone' | 'none';

export interface OwnershipInfo {
  owner: OwnerView;
  pinned: boolean;
  /** When the engine will dispose the session unless something changes (ms since epoch). */
  disposeAt?: number;
}

export interface SessionOwnersOptions {
  clock: Clock;
  limits: SessionLimits;
  /**
   * Closes (where still open) and disposes a session; must not throw. `why`: closed with no tab
   * keeping it past the retention, or its owner gone past the grace (an export under way says which).
   */
  disposeSession: (sessionId: string, why: 'retention' | 'owner-gone') => Promise<unknown>;
  /** How to change each limit, for the error that names it (the web host's flags, …). */
  limitHints?: { maxSessions?: string; maxSessionsPerClient?: string };
}

interface SessionEntry {
  /** Its disposal has started (the grace and the retention may both end at the same moment). */
  disposing: boolean;
  owner: string | undefined;
  pinned: boolean;
  closed: boolean;
  retention: TimerHandle | undefined;
  retentionEndsAt: number | undefined;
}

interface ClientEntry {
  connections: number;
  grace: TimerHandle | undefined;
  graceEndsAt: number | undefined;
}

export class SessionOwners {
  private readonly options: SessionOwnersOptions;
  private readonly sessions = new Map<string, SessionEntry>();
  private readonly clients = new Map<string, ClientEntry>();

  constructor(options: SessionOwnersOptions) {
    this.options = options;
  }

  get limits(): SessionLimits {
    return this.options.limits;
  }

  /**
   * Why `clientId` may not hold one more session (the limit, its value and how to change it),
   * or undefined when it may. `newSession`: whether the engine's total grows too (an adoption
   * moves a session, it does not add one).
   */
  refusal(clientId: string | undefined, newSession = true): string | undefined {
    const { maxSessions, maxSessionsPerClient } = this.options.limits;
    const hints = this.options.limitHints ?? {};
    if (newSession && this.sessions.size >= maxSessions) {
      return (
        `the engine already holds ${this.sessions.size} sessions, its limit (maxSessions ${maxSessions}` +
        `${hints.maxSessions ? `; ${hints.maxSessions}` : ''}): remove sessions you no longer need (close their tabs)`
      );
    }
    if (clientId !== undefined) {
      const held = this.countOwnedBy(clientId);
      if (held >= maxSessionsPerClient) {
        return (
          `this client already holds ${held} sessions, the limit per client (maxSessionsPerClient ${maxSessionsPerClient}` +
          `${hints.maxSessionsPerClient ? `; ${hints.maxSessionsPerClient}` : ''}): remove sessions you no longer need (close their tabs)`
        );
      }
    }
    return undefined;
  }

  /** A new session (open or import) of `owner` (undefined: the host itself, e.g. the CLI). */
  add(sessionId: string, owner: string | undefined, options: { pinned?: boolean; closed?: boolean } = {}): void {
    const entry: SessionEntry = { disposing: false, owner, pinned: options.pinned === true, closed: false, retention: undefined, retentionEndsAt: undefined };
    this.sessions.set(sessionId, entry);
    if (options.closed === true) this.closed(sessionId);
    // A session opened by a call that was answered after its page had gone (the socket
    // dropped meanwhile) would otherwise have an owner that never comes back.
    if (owner !== undefined && !this.isPresent(owner)) this.startGrace(owner);
  }

  /** The session ended (closed or failed): it is disposed after the retention unless pinned. */
  closed(sessionId: string): void {
    const entry = this.sessions.get(sessionId);
    if (!entry || entry.closed) return;
    entry.closed = true;
    this.scheduleRetention(sessionId, entry);
  }

  /** Pins (a tab shows it: kept) or unpins (disposed after the retention once closed). */
  pin(sessionId: string, pinned: boolean): void {
    const entry = this.sessions.get(sessionId);
    if (!entry) return;
    entry.pinned = pinned;
    if (pinned) this.clearRetention(entry);
    else this.scheduleRetention(sessionId, entry);
  }

  /** `clientId` takes the session over (and pins it: its tab shows it). */
  adopt(sessionId: string, clientId: string | undefined): void {
    const entry = this.sessions.get(sessionId);
    if (!entry) return;
    entry.owner = clientId;
    this.pin(sessionId, true);
    if (clientId !== undefined && !this.isPresent(clientId)) this.startGrace(clientId);
  }

  /** The session was disposed: forget it and its timer. */
  remove(sessionId: string): void {
    const entry = this.sessions.get(sessionId);
    if (!entry) return;
    this.clearRetention(entry);
    this.sessions.delete(sessionId);
  }

  /** A connection of `clientId` opened (a page loaded or reloaded, a window called). */
  connected(clientId: string): void {
    const client = this.clients.get(clientId) ?? { connections: 0, grace: undefined, graceEndsAt: undefined };
    client.connections += 1;
    this.options.clock.clearTimeout(client.grace);
    client.grace = undefined;
    client.graceEndsAt = undefined;
    this.clients.set(clientId, client);
  }

  /**
   * A connection of `clientId` closed. With none left, its sessions are closed and disposed
   * after `graceMs` (default: the grace period) unless it connects again first.
   */
  disconnected(clientId: string, graceMs: number = this.options.limits.clientGraceMs): void {
    const client = this.clients.get(clientId);
    if (!client) return;
    client.connections = Math.max(0, client.connections - 1);
    if (client.connections > 0) return;
    if (this.countOwnedBy(clientId) === 0) {
      this.clients.delete(clientId);
      return;
    }
    this.startGrace(clientId, graceMs);
  }

  /** Owner, pin and planned disposal of a session, as seen by `callerId`. */
  info(sessionId: string, callerId: string | undefined): OwnershipInfo {
    const entry = this.sessions.get(sessionId);
    if (!entry) return { owner: 'none', pinned: false };
    const owner = entry.owner;
    const graceEndsAt = owner !== undefined ? this.clients.get(owner)?.graceEndsAt : undefined;
    const view: OwnerView =
      owner === undefined ? 'none' : owner === callerId ? 'you' : this.isPresent(owner) ? 'other' : 'gone';
    const ends = [graceEndsAt, entry.retentionEndsAt].filter((at): at is number => at !== undefined);
    return { owner: view, pinned: entry.pinned, ...(ends.length > 0 ? { disposeAt: Math.min(...ends) } : {}) };
  }

  /** Stops every timer (the engine is shutting down). */
  dispose(): void {
    for (const entry of this.sessions.values()) this.clearRetention(entry);
    for (const client of this.clients.values()) this.options.clock.clearTimeout(client.grace);
    this.clients.clear();
  }

  private isPresent(clientId: string): boolean {
    return (this.clients.get(clientId)?.connections ?? 0) > 0;
  }

  private countOwnedBy(clientId: string): number {
    let count = 0;
    for (const entry of this.sessions.values()) if (entry.owner === clientId) count += 1;
    return count;
  }

  private startGrace(clientId: string, graceMs: number = this.options.limits.clientGraceMs): void {
    const client = this.clients.get(clientId) ?? { connections: 0, grace: undefined, graceEndsAt: undefined };
    this.clients.set(clientId, client);
    if (client.grace !== undefined && (client.graceEndsAt ?? Infinity) <= this.options.clock.now() + graceMs) return;
    const { clock } = this.options;
    clock.clearTimeout(client.grace);
    client.graceEndsAt = clock.now() + graceMs;
    client.grace = clock.setTimeout(() => this.graceOver(clientId), graceMs);
    client.grace.unref();
  }

  private graceOver(clientId: string): void {
    const client = this.clients.get(clientId);
    if (!client || client.connections > 0) return;
    this.clients.delete(clientId);
    for (const [sessionId, entry] of [...this.sessions]) {
      if (entry.owner === clientId) this.disposeOnce(sessionId, entry, 'owner-gone');
    }
  }

  private disposeOnce(sessionId: string, entry: SessionEntry, why: 'retention' | 'owner-gone'): void {
    if (entry.disposing) return;
    entry.disposing = true;
    void this.options.disposeSession(sessionId, why);
  }

  private scheduleRetention(sessionId: string, entry: SessionEntry): void {
    if (!entry.closed || entry.pinned || entry.retention !== undefined) return;
    const { clock, limits } = this.options;
    entry.retentionEndsAt = clock.now() + limits.closedRetentionMs;
    entry.retention = clock.setTimeout(() => {
      entry.retention = undefined;
      entry.retentionEndsAt = undefined;
      if (this.sessions.get(sessionId) === entry && !entry.pinned) this.disposeOnce(sessionId, entry, 'retention');
    }, limits.closedRetentionMs);
    entry.retention.unref();
  }

  private clearRetention(entry: SessionEntry): void {
    this.options.clock.clearTimeout(entry.retention);
    entry.retention = undefined;
    entry.retentionEndsAt = undefined;
  }
}
