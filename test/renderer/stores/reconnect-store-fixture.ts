/**
 * Shared set-up for the reconnect store's tests: fake timers and a fresh Pinia on a fake bridge
 * (store-fixture.ts, the sessions store started) per test, and a tab connected with
 * auto-reconnect on. Call at the top of a test file.
 */
import { afterEach, beforeEach, vi } from 'vitest';
import { useTabsStore, type Tab } from '../../../src-renderer/src/stores/tabs-store';
import { createFixture } from '../components/store-fixture';
import type { FakeBridge } from './fake-bridge';

export interface ReconnectStoreTest {
  /** This test's fake bridge. */
  readonly fake: FakeBridge;
  /** A new tab to ws://127.0.0.1:9/, no proxy, auto-reconnect on (`maxAttempts` when given), connected. */
  connectedTab(options?: { maxAttempts?: number }): Promise<Tab>;
}

export function reconnectStoreTest(): ReconnectStoreTest {
  let fake: FakeBridge | undefined;
  beforeEach(() => {
    vi.useFakeTimers();
    fake = createFixture().fake;
  });
  afterEach(() => {
    vi.useRealTimers();
  });
  return {
    get fake() {
      if (!fake) throw new Error('reconnectStoreTest: no test is running');
      return fake;
    },
    async connectedTab(options = {}) {
      const tabStore = useTabsStore();
      const tab = tabStore.newTab();
      tab.draft.url = 'ws://127.0.0.1:9/';
      tab.draft.proxyMode = 'none';
      tab.draft.reconnectOn = true;
      if (options.maxAttempts !== undefined) tab.draft.reconnectMaxAttempts = options.maxAttempts;
      await tabStore.connect(tab.id);
      return tab;
    },
  };
}
