/**
 * The exports under way, per session, so that one learns why its session went away while it
 * read it (session-removal.ts): the engine removes a session (InspectCommands.forget) between two
 * of an export's slices, and the export, at its next look, stops saying so.
 */
import type { SessionRemoval } from './session-removal';

export interface ExportWatch {
  readonly sessionId: string;
  /** Set when the session is removed while the export runs. */
  removal: SessionRemoval | undefined;
}

export class RunningExports {
  private readonly bySession = new Map<string, Set<ExportWatch>>();

  begin(sessionId: string): ExportWatch {
    const watch: ExportWatch = { sessionId, removal: undefined };
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

  /** The session went away: each export still reading it is told why. */
  removed(sessionId: string, removal: SessionRemoval): void {
    for (const watch of this.bySession.get(sessionId) ?? []) watch.removal = removal;
  }
}
