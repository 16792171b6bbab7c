/**
 * Sessions the engine holds that no tab of this page shows: those of a page that went away
 * (closed, reloaded, lost its connection) or of another page or window. A page lists them
 * when it starts (and when its link to the engine comes back) and can adopt one: the engine
 * makes it this page's (so it is not closed when the grace of its vanished page ends) and a
 * tab opens on it.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowReactive } from 'vue';
import type { SessionInfo } from '../../../src-main/shared/session-info';
import { getBridge } from '../bridge/active-bridge';
import { useTabsStore, type Tab } from './tabs-store';
import { useSessionsStore } from './sessions-store';

/** Whose a session is, as the engine said last (session:list), seen from this page. */
export interface Ownership {
  owner: NonNullable<SessionInfo['owner']>;
  /** When the engine will dispose it unless it is adopted (ms since epoch), if it will. */
  disposeAt: number | null;
}

export const useSessionOwnersStore = defineStore('session-owners', () => {
  const tabStore = useTabsStore();
  const sessionStore = useSessionsStore();
  const ownership = shallowReactive(new Map<string, Ownership>());
  /** Why the last adopt failed (e.g. this page holds as many sessions as it may), else null. */
  const adoptError = ref<string | null>(null);

  /**
   * Sessions no tab shows, oldest first. One that has not started and that session:list has
   * not told us about is left out: it is a connect in flight (its events come before the
   * answer that gives the tab its session), most likely this page's own.
   */
  const untabbed = computed(() => {
    const shown = new Set(tabStore.tabs.map((tab) => tab.sessionId));
    return [...sessionStore.sessions.values()]
      .filter((view) => !shown.has(view.id) && !(view.state === 'idle' && !ownership.has(view.id)))
      .sort((a, b) => a.createdAt - b.createdAt)
      .map((view) => ({ view, ownership: ownership.get(view.id) ?? null }));
  });

  /**
   * Asks the engine for every session it holds: sessions this page does not know yet get a
   * view (so they are listed), then each view takes its state from the engine (resync).
   * `atStart`: the page has just loaded, so no tab shows anything yet: its own sessions that
   * are still pinned were pinned by the tabs of the page before a reload, and are unpinned
   * (pinned means a tab shows it; a closed one is then retired after the retention unless
   * adopted). Only at start: later, a session being opened may not have its tab yet.
   */
  async function refresh(options: { atStart?: boolean } = {}): Promise<void> {
    const result = await getBridge()['session:list']({});
    if (!result.ok) return;
    ownership.clear();
    const shown = new Set(tabStore.tabs.map((tab) => tab.sessionId));
    for (const info of result.value) {
      if (options.atStart === true && info.owner === 'you' && info.pinned === true && !shown.has(info.sessionId)) {
        void getBridge()['session:pin']({ sessionId: info.sessionId, pinned: false });
      }
      const known = sessionStore.sessions.get(info.sessionId);
      if (known && known.url === '') {
        // Its first event here was not session-created (a stats event of a session another page
        // opened): the list names it, so it is not listed as a "New tab".
        known.url = info.url;
      } else if (!known) {
        sessionStore.handleEvent({
          type: 'session-created',
          sessionId: info.sessionId,
          url: info.url,
          at: info.createdAt,
          ...(info.readOnly ? { readOnly: true } : {}),
          ...(info.name !== undefined ? { name: info.name } : {}),
        });
      }
      if (info.owner) ownership.set(info.sessionId, { owner: info.owner, disposeAt: info.disposeAt ?? null });
    }
    await sessionStore.resync();
  }

  /** Makes the session this page's and opens a tab on it; null (and adoptError says why) when the engine refused. */
  async function adopt(sessionId: string): Promise<Tab | null> {
    const view = sessionStore.sessions.get(sessionId);
    if (!view) return null;
    const result = await getBridge()['session:adopt']({ sessionId });
    if (!result.ok) {
      adoptError.value = result.error.message;
      return null;
    }
    adoptError.value = null;
    ownership.set(sessionId, { owner: 'you', disposeAt: null });
    return tabStore.openSessionTab(sessionId, view.url);
  }

  return { ownership, adoptError, untabbed, refresh, adopt };
});
