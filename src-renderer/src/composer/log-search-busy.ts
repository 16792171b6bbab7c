/**
 * Whether the session's log is still working through its filter or its search, and a gate that
 * waits until it is not. The engine runs one search a session: a search begun cancels the one
 * under way (core/search/search-registry.ts), whoever asked. So the composer's reads of the log
 * (read-log-ids.ts) send each page only while the log has none to run, and take their turn after
 * it; the log's own search is never cancelled by them (before, a read made on a pick or a send
 * cancelled the page under way, which the log's search runner then asked again).
 */
import { watch } from 'vue';
import { useFrameViewStore } from '../stores/frame-view-store';
import type { LogSearchGate } from './log-search-gate';

export function logSearchBusy(sessionId: string | null): boolean {
  if (sessionId === null) return false;
  const view = useFrameViewStore().viewOf(sessionId);
  const matches = view.matches.value;
  return view.list.value.building || (matches.active && !matches.complete);
}

/** The gate of a session's log (logSearchBusy, watched). */
export function logSearchGate(sessionId: string): LogSearchGate {
  const busy = (): boolean => logSearchBusy(sessionId);
  return {
    busy,
    idle: () =>
      new Promise<void>((resolve) => {
        if (!busy()) {
          resolve();
          return;
        }
        const stop = watch(busy, (now) => {
          if (now) return;
          stop();
          resolve();
        });
      }),
  };
}
