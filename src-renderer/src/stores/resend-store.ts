/**
 * What the engine sent again when a reconnect opened (options.reconnect.resend;
 * core/session/opening-replay.ts): the latest report per session, for ReconnectNotice. It is the
 * session view's (session-view.ts: the `resent` events, or session:list's `resent` after a
 * reload), so a reloaded page says it again. The renderer sends nothing again itself. A report
 * is dismissed per session; a report for a later attempt shows again. The dismissals are kept in
 * sessionStorage (resent-dismissals.ts), so a reloaded page does not say again what was
 * dismissed, while session:list still carries the report.
 */
import { defineStore } from 'pinia';
import { reactive } from 'vue';
import type { ResentReport } from '../../../src-main/shared/attempts';
import type { HostEvent } from '../../../src-main/shared/events';
import { getBridge } from '../bridge/active-bridge';
import { MAX_DISMISSALS, pageStorage, readDismissals, writeDismissals } from './resent-dismissals';
import { useTabsStore } from './tabs-store';

export interface ResentView extends ResentReport {
  sessionId: string;
}

export const useResendStore = defineStore('resend', () => {
  const tabStore = useTabsStore();
  const storage = pageStorage();
  /** The attempt whose report the user dismissed, per session (as this page kept them before a reload). */
  const dismissed = reactive(readDismissals(storage));

  getBridge().onEvent((event: HostEvent) => {
    if (event.type === 'session-removed' && dismissed.delete(event.sessionId)) writeDismissals(storage, dismissed);
  });

  /** The tab's session's report for the attempt under way (null: none, dismissed, or an older attempt's). */
  function reportOf(tabId: string): ResentView | null {
    const view = tabStore.sessionOf(tabId);
    const report = view?.resent;
    if (!view || !report || dismissed.get(view.id) === report.attempt) return null;
    // After the attempt that sent it ended (a wait, a later attempt), the report is history: the separators tell it.
    if (view.retry !== null || view.closed !== null) return null;
    const current = view.stats?.attempts?.started;
    if (current !== undefined && current !== report.attempt) return null;
    return { ...report, sessionId: view.id };
  }

  function dismiss(tabId: string): void {
    const report = reportOf(tabId);
    if (!report) return;
    // Re-inserted, so the oldest dismissal is the first to go past the limit.
    dismissed.delete(report.sessionId);
    dismissed.set(report.sessionId, report.attempt);
    const oldest = dismissed.keys().next();
    if (dismissed.size > MAX_DISMISSALS && oldest.done !== true) dismissed.delete(oldest.value);
    writeDismissals(storage, dismissed);
  }

  return { reportOf, dismiss };
});
