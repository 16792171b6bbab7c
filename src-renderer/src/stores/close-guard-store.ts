/**
 * Asking before open sessions are lost. Ctrl/Cmd+W (Alt+W in a browser, File → Close Tab in
 * the app) on a tab whose session is live asks first (the dialog is CloseTabDialog.vue); and
 * in a browser, leaving or reloading the page while a tab's session is live gets the browser's
 * "Leave site?" prompt. The desktop app gets no beforeunload prompt: Electron would silently
 * refuse to close the window instead of asking.
 */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { isActiveState } from '../util/state-label';
import { useHostStore } from './host-store';
import type { SessionView } from './session-view';
import { useTabsStore } from './tabs-store';

export const LEAVE_PROMPT = 'Sessions are still open in this page. Leave anyway?';

/** The part of a BeforeUnloadEvent the guard touches. */
export interface UnloadEvent {
  preventDefault(): void;
  returnValue: unknown;
}

/**
 * The beforeunload handler's logic: with live sessions it cancels the unload (the browser then
 * asks the user) and returns the prompt; otherwise it leaves the event alone.
 */
export function guardUnload(event: UnloadEvent, liveSessions: number): string | undefined {
  if (liveSessions <= 0) return undefined;
  event.preventDefault();
  // Older Chromium asks only when returnValue is set.
  event.returnValue = LEAVE_PROMPT;
  return LEAVE_PROMPT;
}

export const useCloseGuardStore = defineStore('close-guard', () => {
  const tabStore = useTabsStore();
  const host = useHostStore();
  /** The tab waiting for "Close tab?" to be answered. */
  const pendingTabId = ref<string | null>(null);

  function liveSessionOf(tabId: string): SessionView | null {
    const view = tabStore.sessionOf(tabId);
    return view && !view.readOnly && isActiveState(view.state) ? view : null;
  }

  /** Tabs of this page whose session is live (an imported log is never live). */
  const liveTabs = computed(() => tabStore.tabs.filter((tab) => liveSessionOf(tab.id) !== null).length);

  const pending = computed(() => {
    const id = pendingTabId.value;
    const tab = id === null ? undefined : tabStore.tabs.find((t) => t.id === id);
    return tab ? { tab, session: tabStore.sessionOf(tab.id) } : null;
  });

  /** Closes a tab, asking first when its session is live. */
  function requestClose(tabId: string): void {
    if (!tabStore.tabs.some((t) => t.id === tabId)) return;
    if (liveSessionOf(tabId)) pendingTabId.value = tabId;
    else void tabStore.closeTab(tabId);
  }

  async function confirm(): Promise<void> {
    const id = pendingTabId.value;
    pendingTabId.value = null;
    if (id !== null) await tabStore.closeTab(id);
  }

  function cancel(): void {
    pendingTabId.value = null;
  }

  function onBeforeUnload(event: BeforeUnloadEvent): string | undefined {
    return guardUnload(event, host.inBrowser ? liveTabs.value : 0);
  }

  function start(): void {
    window.addEventListener('beforeunload', onBeforeUnload);
  }

  function stop(): void {
    window.removeEventListener('beforeunload', onBeforeUnload);
  }

  return { pendingTabId, pending, liveTabs, requestClose, confirm, cancel, onBeforeUnload, start, stop };
});
