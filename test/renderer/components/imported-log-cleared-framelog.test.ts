// QA M5 in the log itself (needs /tmp/qafix-framelog.patch in FrameLog.vue): after Clear on an
// imported log the banner and the empty log say the frames were cleared and how to see them again,
// not "the engine keeps them" / "This imported log has no frames."; a live log's banner is as before.
import { mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setBridge } from '../../../src-renderer/src/bridge/active-bridge';
import FrameLog from '../../../src-renderer/src/components/FrameLog.vue';
import { useFrameViewStore } from '../../../src-renderer/src/stores/frame-view-store';
import { useSessionsStore } from '../../../src-renderer/src/stores/sessions-store';
import { createFakeBridge } from '../stores/fake-bridge';
import { serveFrames, type FakeFrameStore } from '../stores/fake-frames';
import { batch, frames } from '../stores/frame-fixtures';
import { mockScrollerLayout } from './layout-mock';
import { settle } from './store-fixture';

const S = 'imp1';
let wrapper: VueWrapper | null = null;
let engine: FakeFrameStore;
let restoreLayout: () => void;

beforeEach(() => {
  localStorage.clear();
  setActivePinia(createPinia());
  const fake = createFakeBridge();
  setBridge(fake.bridge);
  restoreLayout = mockScrollerLayout(440);
  engine = serveFrames(fake, S, []);
});

afterEach(() => {
  wrapper?.unmount();
  wrapper = null;
  restoreLayout();
});

async function clearedLog(readOnly: boolean): Promise<VueWrapper> {
  const sessionStore = useSessionsStore();
  sessionStore.handleEvent({ type: 'session-created', sessionId: S, url: 'ws://127.0.0.1:9/', at: 1, ...(readOnly ? { readOnly: true, name: 'log.ndjson' } : {}) });
  const list = frames(1, 16);
  engine.frames.push(...list);
  sessionStore.handleEvent(batch(S, list));
  sessionStore.flushFrames();
  wrapper = mount(FrameLog, { props: { sessionId: S }, attachTo: document.body });
  await settle();
  useFrameViewStore().viewOf(S).clearView();
  await settle();
  return wrapper;
}

describe('Clear on an imported log', () => {
  it('the banner and the empty log say the frames were cleared and how to see them again', async () => {
    const w = await clearedLog(true);
    expect(w.get('[data-testid="frames-cleared"]').text()).toBe('Cleared 16 frames of this imported log from the view: Export still writes them, and Import log… with the same file shows them again.');
    expect(w.text()).toContain('All 16 frames of this imported log were cleared from the view');
    expect(w.text()).not.toContain('This imported log has no frames.');
  });

  it('a live log says as before', async () => {
    const w = await clearedLog(false);
    expect(w.get('[data-testid="frames-cleared"]').text()).toContain('Cleared 16 frames from the log: the engine keeps them');
  });
});
