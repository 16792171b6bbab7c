/**
 * The frame logs of the sessions: one FrameLogView per session (frame-view/frame-log-view.ts,
 * which holds the log's state and its actions), made on first use and dropped, its searches
 * stopped, when the engine forgets the session.
 */
import { defineStore } from 'pinia';
import { watch } from 'vue';
import { createFrameLogView, type FrameLogView } from '../frame-view/frame-log-view';
import { useDecodingStore } from './decoding-store';
import { useSessionsStore } from './sessions-store';
import { useLogFilesStore } from './log-files-store';

export type { DetailTab, FrameLogView, FrameViewState, LogList, SearchMatches } from '../frame-view/frame-log-view';

export const useFrameViewStore = defineStore('frame-view', () => {
  const sessionStore = useSessionsStore();
  const decodingStore = useDecodingStore();
  const logFiles = useLogFilesStore();
  // Plain map: a view is created on first use (possibly during a render) and never replaced.
  const views = new Map<string, FrameLogView>();

  function viewOf(sessionId: string): FrameLogView {
    let view = views.get(sessionId);
    if (!view) {
      view = createFrameLogView(sessionId, {
        session: () => sessionStore.sessions.get(sessionId) ?? null,
        cache: () => sessionStore.frameCache(sessionId),
        fetchPage: (fromSeq, limit) => sessionStore.fetchPage(sessionId, fromSeq, limit),
        decoding: () => decodingStore.decodingKey(sessionId),
        numbers: () => logFiles.numbersOf(sessionId),
      });
      views.set(sessionId, view);
    }
    return view;
  }

  // Forget the views of sessions that are gone, so their searches stop.
  watch(
    () => [...sessionStore.sessions.keys()],
    (ids) => {
      const alive = new Set(ids);
      for (const [id, view] of views) {
        if (!alive.has(id)) {
          view.dispose();
          views.delete(id);
        }
      }
    },
  );

  return { viewOf };
});
