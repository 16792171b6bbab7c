/**
 * Why a session went away while an export read its frames, and how the export says so. The
 * engine removes a session (its frames go with it: FrameStore.release) when a client asks
 * (`session:dispose`: its tab closed, or connected again) or on its own (`forgotten`: closed
 * with no tab keeping it, past the retention; or its owner's page or window gone past the
 * grace: session/session-owners.ts). An export under way then stops with SessionRemovedDuringExport
 * rather than write what was left (before: a decoded filter's stop read as a changed decode
 * choice; an export without one wrote the frames read so far and said nothing).
 */
export type SessionRemoval =
  /** `session:dispose`: a client removed it (the app: its tab closed, or connected again). */
  | { by: 'dispose' }
  /** Closed and unpinned (no tab keeps it): the engine removed it this long after it closed. */
  | { by: 'retention'; afterMs: number }
  /** The client that owned it (a page, a window) had no connection for the grace period. */
  | { by: 'owner-gone' };

/** "10 min", "90 s", "250 ms": the retention as configured. */
function duration(ms: number): string {
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000} min`;
  return ms >= 1000 ? `${Math.round(ms / 1000)} s` : `${ms} ms`;
}

/** What happened, then what to do, in words (after "frames:export: " or the CLI's "the log was not written: "). */
export function describeRemoval(removal: SessionRemoval): string {
  switch (removal.by) {
    case 'dispose':
      return 'the session was closed while the export read its frames (its tab closed or connected again, or session:dispose): they went with it, so nothing was written; export before closing the tab';
    case 'retention':
      return `the session was forgotten while the export read its frames: it had closed and no tab kept it, so the engine removed it after ${duration(removal.afterMs)}; nothing was written; keep a tab on a closed session to export it`;
    case 'owner-gone':
      return 'the session was forgotten while the export read its frames: the page or window that owned it had been gone past the grace period, so the engine removed it; nothing was written; adopt a session (session:adopt) to keep it when its page goes';
  }
}

/** The session was removed while an export read it: nothing is written (a file export removes its temporary file). */
export class SessionRemovedDuringExport extends Error {
  constructor(readonly removal: SessionRemoval) {
    super(describeRemoval(removal));
    this.name = 'SessionRemovedDuringExport';
  }
}
