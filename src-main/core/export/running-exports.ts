/**
 * The exports under way, per session, so that one learns why its session went away while it
 * read it (session-removal.ts): the engine removes a session (InspectCommands.forget) between two
 * of an export's slices, and the export, at its next look, stops saying so. A session's removal
 * takes a while (a live connection's close is awaited before its frames are released), and an
 * export asked meanwhile still finds it: the last RECENT_REMOVALS removals are kept, so such an
 * export is told at once.
 */
import type { SessionRemoval } from './session-removal';

/** Removals remembered for exports that begin while their session is being removed. */
const RECENT_REMOVALS = 64;

export interface ExportWatch {
  readonly sessionId: string;
  /** Set when the session is removed while the export runs. */
  removal: SessionRemoval | undefined;
}

export class RunningExports {
  private readonly bySession = new Map<string, Set<ExportWatch>>();
  private readonly recent = new Map<string, SessionRemoval>();

  begin(sessionId: string): ExportWatch {
    const watch: ExportWatch = { sessionId, removal: this.recent.get(sessionId) };
    let running = this.bySession.get(sessionId);
    if (!running) {
      running = new Set();
      this.bySession.set(sessionId, running);
    }
    running.add(watch);
    return watch;
  }

  end(watch: ExportWatch): void {
    const running = this.bySession.get(watch.sessionId);
    running?.delete(watch);
    if (running?.size === 0) this.bySession.delete(watch.sessionId);
  }

  /** The session went away: each export still reading it is told why, and one that begins before it is gone too. */
  removed(sessionId: string, removal: SessionRemoval): void {
    for (const watch of this.bySession.get(sessionId) ?? []) watch.removal = removal;
    this.recent.delete(sessionId);
    this.recent.set(sessionId, removal);
    for (const oldest of this.recent.keys()) {
      if (this.recent.size <= RECENT_REMOVALS) break;
      this.recent.delete(oldest);
    }
  }
}
