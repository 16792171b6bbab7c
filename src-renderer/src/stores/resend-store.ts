/**
 * What the engine sent again when a reconnect opened (options.reconnect.resend;
 * core/session/opening-replay.ts): the latest report per session, for ReconnectNotice. It is the
 * session view's (session-view.ts: the `resent` events, or session:list's `resent` after a
 * reload), so a reloaded page says it again. The renderer sends nothing again itself. A report
 * is dismissed per session; a report for a later attempt shows again.
 */
import { defineStore } from 'pinia';
import { reactive } from 'vue';
import type { ResentReport } from '../../../src-main/shared/attempts';
import type { HostEvent } from '../../../src-main/shared/events';
import { getBridge } from '../bridge/active-bridge';
import { useTabsStore } from './tabs-store';

export interface ResentView extends ResentReport {
  sessionId: string;
}

export const useResendStore = defineStore('resend', () => {
  const tabStore = useTabsStore();
  /** The attempt whose report the user dismissed, per session. */
  const dismissed = reactive(new Map<string, number>());

  getBridge().onEvent((event: HostEvent) => {
    if (event.type === 'session-removed') dismissed.delete(event.sessionId);
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
    if (report) dismissed.set(report.sessionId, report.attempt);
  }

  return { reportOf, dismiss };
});
