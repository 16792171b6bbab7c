/**
 * Auto-reconnect for tabs opened from a profile that asks for it: when the tab's session ends
 * without the user closing it (it failed, the server closed it, the connection was lost), the
 * tab connects again after a wait that doubles from the profile's first wait up to its longest,
 * at most its number of attempts (0: no limit). A session that opens starts the count afresh.
 * The user can cancel; connecting or disconnecting by hand, or closing the tab, cancels too.
 */
import { defineStore } from 'pinia';
import { reactive, watch } from 'vue';
import type { ReconnectSetting } from '../../../src-main/shared/profiles';
import { useSessionsStore, type Tab } from './sessions-store';

export interface ReconnectState {
  /** The attempt that is waiting or running (1-based). */
  attempt: number;
  /** 0: no limit. */
  maxAttempts: number;
  /** When the waiting attempt starts (epoch ms); null while it runs, or after giving up. */
  nextAt: number | null;
  delayMs: number;
  /** Every attempt was used (or one could not even start): nothing more is tried. */
  gaveUp: boolean;
  /** Why the last session ended, in words. */
  reason: string;
  /** The session whose end this state is about (a different one means the user took over). */
  sessionId: string | null;
}

/** The wait before attempt `attempt` (1-based): doubled each time, capped at the longest wait. */
export function backoffDelay(setting: Pick<ReconnectSetting, 'initialDelayMs' | 'maxDelayMs'>, attempt: number): number {
  const doubled = setting.initialDelayMs * 2 ** Math.min(Math.max(attempt - 1, 0), 30);
  return Math.min(doubled, setting.maxDelayMs);
}

function settingOf(tab: Tab): ReconnectSetting | null {
  const reconnect = tab.profile?.view.reconnect;
  return reconnect?.enabled ? reconnect : null;
}

export const useReconnectStore = defineStore('reconnect', () => {
  const sessions = useSessionsStore();
  /** By tab id. */
  const states = reactive(new Map<string, ReconnectState>());
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  /** Sessions whose end has been looked at (each end is handled once). */
  const handledEnds = new Set<string>();
  /** Tabs whose reconnect attempt is being opened right now (the new session id is not known yet). */
  const starting = new Set<string>();
  /** Tabs cancelled while their attempt was being opened: that attempt's end is not retried. */
  const suppressNext = new Set<string>();

  function stateOf(tabId: string): ReconnectState | null {
    return states.get(tabId) ?? null;
  }

  function clearTimer(tabId: string): void {
    clearTimeout(timers.get(tabId));
    timers.delete(tabId);
  }

  function stop(tabId: string): void {
    clearTimer(tabId);
    states.delete(tabId);
  }

  /** The Cancel button: no more attempts, and an attempt under way is not retried when it ends. */
  function cancel(tabId: string): void {
    const state = states.get(tabId);
    if (starting.has(tabId)) suppressNext.add(tabId);
    else if (state?.sessionId) handledEnds.add(state.sessionId);
    stop(tabId);
  }

  function endReason(tab: Tab): string {
    const view = sessions.sessionOf(tab.id);
    if (!view) return 'the connection ended';
    if (view.state === 'failed') return view.error ? view.error.message : 'the connection failed';
    const closed = view.closed;
    if (closed?.initiatedBy === 'server') return `the server closed the connection (${closed.code ?? 'no code'}${closed.reason ? ` ${closed.reason}` : ''})`;
    return 'the connection was lost';
  }

  function schedule(tab: Tab, setting: ReconnectSetting, attempt: number): void {
    clearTimer(tab.id);
    const reason = endReason(tab);
    if (setting.maxAttempts > 0 && attempt > setting.maxAttempts) {
      states.set(tab.id, { attempt: attempt - 1, maxAttempts: setting.maxAttempts, nextAt: null, delayMs: 0, gaveUp: true, reason, sessionId: tab.sessionId });
      return;
    }
    const delayMs = backoffDelay(setting, attempt);
    states.set(tab.id, { attempt, maxAttempts: setting.maxAttempts, nextAt: Date.now() + delayMs, delayMs, gaveUp: false, reason, sessionId: tab.sessionId });
    timers.set(
      tab.id,
      setTimeout(() => void attemptNow(tab.id), delayMs),
    );
  }

  async function attemptNow(tabId: string): Promise<void> {
    timers.delete(tabId);
    const state = states.get(tabId);
    if (!state) return;
    state.nextAt = null;
    starting.add(tabId);
    try {
      await sessions.connect(tabId);
    } finally {
      starting.delete(tabId);
    }
    const tab = sessions.tabs.find((t) => t.id === tabId);
    if (tab?.sessionId && suppressNext.delete(tabId)) handledEnds.add(tab.sessionId);
    const current = states.get(tabId);
    if (!tab || !current) return;
    if (tab.sessionId === current.sessionId) {
      // The attempt could not even start (the profile is gone, a saved secret cannot go there …): stop here.
      current.gaveUp = true;
      current.reason = tab.commandError ?? 'the connection could not be started';
      return;
    }
    current.sessionId = tab.sessionId;
    check();
  }

  /** Reconnects now instead of waiting (or again, after giving up). */
  function retryNow(tabId: string): void {
    const state = states.get(tabId);
    if (!state) return;
    clearTimer(tabId);
    if (state.gaveUp) {
      state.gaveUp = false;
      state.attempt = 1;
    }
    void attemptNow(tabId);
  }

  /** Looks at every tab's session: ends to react to, opens that reset the count, users taking over. */
  function check(): void {
    const open = new Set(sessions.tabs.map((t) => t.id));
    for (const tabId of [...states.keys()]) if (!open.has(tabId)) stop(tabId);
    for (const tab of sessions.tabs) {
      const state = states.get(tab.id);
      if (state && !starting.has(tab.id) && state.sessionId !== tab.sessionId) {
        // Connected or disconnected by hand: the user decides from here.
        stop(tab.id);
      }
      const setting = settingOf(tab);
      const view = sessions.sessionOf(tab.id);
      if (!view || starting.has(tab.id)) continue;
      if (view.state === 'open') {
        if (states.has(tab.id)) stop(tab.id);
        continue;
      }
      // Decided on the `closed` event, which says who ended it (every end has one).
      if (view.closed === null || handledEnds.has(view.id)) continue;
      handledEnds.add(view.id);
      if (!setting || view.closed.initiatedBy === 'client') {
        stop(tab.id);
        continue;
      }
      const previous = states.get(tab.id);
      schedule(tab, setting, previous && previous.sessionId === view.id ? previous.attempt + 1 : 1);
    }
  }

  watch(
    () =>
      sessions.tabs.map((tab) => {
        const view = sessions.sessionOf(tab.id);
        return `${tab.id}:${tab.sessionId ?? ''}:${view?.state ?? ''}:${view?.closed?.at ?? ''}:${settingOf(tab) ? 1 : 0}`;
      }).join('|'),
    check,
  );

  return { states, stateOf, cancel, retryNow, check };
});
