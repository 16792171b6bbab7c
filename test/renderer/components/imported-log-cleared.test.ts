// QA M5: Import log… → Clear. The header still said "NDJSON · 16 frames", the banner spoke of
// the engine as for a live session, and the empty log said the file had no frames. The header
// now says what is shown beside what was cleared, and the banner and the empty log say the
// frames were cleared and how to see them again (Import log… with the file: Clear has no undo).
import { mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setBridge } from '../../../src-renderer/src/bridge/active-bridge';
import ImportedLogHeader from '../../../src-renderer/src/components/ImportedLogHeader.vue';
import { clearedBanner, importedEmptyText, importedCountText } from '../../../src-renderer/src/frame-view/cleared-log-words';
import { useFrameViewStore } from '../../../src-renderer/src/stores/frame-view-store';
import { useLogFilesStore } from '../../../src-renderer/src/stores/log-files-store';
import { useSessionsStore } from '../../../src-renderer/src/stores/sessions-store';
import type { FrameSummary } from '../../../src-main/shared/model';
import { createFakeBridge, type FakeBridge } from '../stores/fake-bridge';
import { serveFrames, type FakeFrameStore } from '../stores/fake-frames';
import { batch, frames } from '../stores/frame-fixtures';
import { settle } from './store-fixture';

const S = 'imp1';
let wrapper: VueWrapper | null = null;
let fake: FakeBridge;
let engine: FakeFrameStore;

beforeEach(() => {
  setActivePinia(createPinia());
  fake = createFakeBridge();
  setBridge(fake.bridge);
  engine = serveFrames(fake, S, []);
});

afterEach(() => {
  wrapper?.unmount();
  wrapper = null;
});

function imported(list: FrameSummary[]): void {
  const sessionStore = useSessionsStore();
  sessionStore.handleEvent({ type: 'session-created', sessionId: S, url: 'ws://127.0.0.1:15674/ws', at: 1, readOnly: true, name: 'stomp.ndjson' });
  engine.frames.push(...list);
  sessionStore.handleEvent(batch(S, list));
  sessionStore.flushFrames();
  useLogFilesStore().imports.set(S, { fileName: 'stomp.ndjson', format: 'ndjson', frames: list.length, notes: [] });
}

describe('an imported log after Clear', () => {
  it('the header says what is shown and what was cleared', async () => {
    imported(frames(1, 16));
    wrapper = mount(ImportedLogHeader, { props: { sessionId: S }, attachTo: document.body });
    await settle();
    expect(wrapper.get('[data-testid="imported-count"]').text()).toBe('NDJSON · 16 frames');
    useFrameViewStore().viewOf(S).clearView();
    await settle();
    expect(wrapper.get('[data-testid="imported-count"]').text()).toBe('NDJSON · 16 frames, all cleared from the view');
  });

  it('the banner and the empty log say the frames were cleared and how to see them again', () => {
    expect(clearedBanner(16, true)).toBe('Cleared 16 frames of this imported log from the view: Export still writes them, and Import log… with the same file shows them again.');
    expect(clearedBanner(16, false)).toContain('Cleared 16 frames from the log: the engine keeps them');
    expect(clearedBanner(0, true)).toBeNull();
    expect(importedEmptyText(16)).toBe('All 16 frames of this imported log were cleared from the view (Export still writes them; Import log… with the same file shows them again).');
    expect(importedEmptyText(0)).toBe('This imported log has no frames.');
    expect(importedCountText(16, 4)).toBe('16 frames: 12 shown, 4 cleared');
  });
});
