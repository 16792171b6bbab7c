/**
 * The title of every tab (sessionTitle fed from the stores), shared by the tab strip, its
 * overflow menu and the sessions list, so all three say the same thing at the same moment.
 */
import { computed, type ComputedRef } from 'vue';
import { useCaptureNumbersStore } from '../stores/capture-numbers-store';
import { useReconnectStore } from '../stores/reconnect-store';
import { useTabsStore } from '../stores/tabs-store';
import type { SessionView } from '../stores/session-view';
import { sessionTitle, type Title } from '../util/tab-label';

export interface TabTitle extends Title {
  id: string;
  active: boolean;
}

export function useTabTitles(): { titles: ComputedRef<TabTitle[]>; untabbedTitle: (view: SessionView) => Title } {
  const tabStore = useTabsStore();
  const reconnect = useReconnectStore();
  const captureNumbers = useCaptureNumbersStore();
  const numbers = computed(() => captureNumbers.numbers);
  const titles = computed(() =>
    tabStore.tabs.map((tab) => {
      const waiting = reconnect.stateOf(tab.id);
      const session = tabStore.sessionOf(tab.id);
      const title = sessionTitle({
        draftUrl: tab.draft.url,
        profileName: tab.profile?.name ?? null,
        session,
        previewDecision: tab.preview.example ? null : tab.preview.decision,
        reconnecting: waiting !== null && !waiting.gaveUp && waiting.nextAt !== null,
        captureNumber: session ? numbers.value.get(session.id) : undefined,
      });
      return { ...title, id: tab.id, active: tab.id === tabStore.activeTabId };
    }),
  );
  const untabbedTitle = (view: SessionView): Title =>
    sessionTitle({ draftUrl: '', profileName: null, session: view, previewDecision: null, reconnecting: false, captureNumber: numbers.value.get(view.id) });
  return { titles, untabbedTitle };
}
