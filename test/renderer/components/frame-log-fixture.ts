/**
 * Shared set-up for the frame log's tests: a fresh Pinia on a fake bridge (no sessions store
 * started: the tests feed the stores themselves) and the scroll containers given a height
 * (layout-mock.ts) before each test; the kept wrappers unmounted and the layout restored after.
 * Call at the top of a test file.
 */
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach } from 'vitest';
import { setBridge } from '../../../src-renderer/src/bridge/active-bridge';
import { createFakeBridge, type FakeBridge } from '../stores/fake-bridge';
import { mockScrollerLayout } from './layout-mock';

export interface FrameLogTest {
  /** This test's fake bridge. */
  readonly fake: FakeBridge;
  /** Unmounts `wrapper` after the test; returns it. */
  keep<W extends { unmount(): void }>(wrapper: W): W;
}

export function useFrameLogFixture(clientHeight = 440): FrameLogTest {
  let fake: FakeBridge | undefined;
  let restoreLayout: (() => void) | undefined;
  const kept: { unmount(): void }[] = [];
  beforeEach(() => {
    setActivePinia(createPinia());
    fake = createFakeBridge();
    setBridge(fake.bridge);
    restoreLayout = mockScrollerLayout(clientHeight);
  });
  afterEach(() => {
    for (const w of kept.splice(0)) w.unmount();
    restoreLayout?.();
  });
  return {
    get fake() {
      if (!fake) throw new Error('useFrameLogFixture: no test is running');
      return fake;
    },
    keep(wrapper) {
      kept.push(wrapper);
      return wrapper;
    },
  };
}
