/**
 * Whether the session's log is still working through its filter or its search. The engine runs
 * one search a session, so a composer read of the log (read-log-ids.ts) cancels the page under
 * way; reads that arriving frames prompt wait until the log is done, or a busy stream would
 * cancel a long filter again and again.
 */
import { useFrameViewStore } from '../stores/frame-view-store';

export function logSearchBusy(sessionId: string | null): boolean {
  if (sessionId === null) return false;
  const view = useFrameViewStore().viewOf(sessionId);
  const matches = view.matches.value;
  return view.list.value.building || (matches.active && !matches.complete);
}
