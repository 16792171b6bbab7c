/**
 * Shared set-up for ReconnectNotice's tests: fake timers, an empty sessionStorage (dismissals
 * outlive a page there, and the fake bridge gives each test the same session ids), a page
 * (store-fixture.ts) per test or per reload, the notices mounted on it unmounted after; and the
 * attempt record of a reconnect that opened, then dropped.
 */
import { mount, type VueWrapper } from '@vue/test-utils';
import { afterEach, beforeEach, vi } from 'vitest';
import ReconnectNotice from '../../../src-renderer/src/components/ReconnectNotice.vue';
import type { AttemptRecord } from '../../../src-main/shared/attempts';
import { createFixture, type Fixture } from './store-fixture';

export interface NoticeTest {
  /** This test's page (a fresh Pinia and fake bridge); a reload() gives another. */
  readonly fx: Fixture;
  /** The page reloaded: its notices unmounted, then a fresh Pinia and bridge that know nothing yet. */
  reload(): Fixture;
  /** ReconnectNotice for the tab, on this page's Pinia; unmounted at a reload or after the test. */
  mountNotice(tabId: string): VueWrapper;
}

/** Call at the top of a test file; `page: 'per test'` creates the page before each test, 'on reload' leaves it to reload(). */
export function reconnectNoticeTest(page: 'per test' | 'on reload'): NoticeTest {
  let fx: Fixture | null = null;
  let mounted: VueWrapper[] = [];
  // A test may unmount a notice itself.
  const unmountAll = () => {
    for (const w of mounted) if (!w.vm.$.isUnmounted) w.unmount();
    mounted = [];
  };
  const reload = () => {
    unmountAll();
    fx = createFixture();
    return fx;
  };
  beforeEach(() => {
    vi.useFakeTimers();
    sessionStorage.clear();
    fx = page === 'per test' ? createFixture() : null;
  });
  afterEach(() => {
    unmountAll();
    vi.useRealTimers();
  });
  const current = (): Fixture => {
    if (fx === null) throw new Error('no page yet: reload() first');
    return fx;
  };
  return {
    get fx() {
      return current();
    },
    reload,
    mountNotice(tabId) {
      const w = mount(ReconnectNotice, { props: { tabId }, global: { plugins: [current().pinia] } });
      mounted.push(w);
      return w;
    },
  };
}

/**
 * Attempt `attempt` opened, then dropped; the next is due after `waitMs`. `cutShort`: the wait
 * was cut short now (the next attempt started).
 */
export function droppedAttempt(attempt: number, waitMs: number, cutShort = false): AttemptRecord {
  return {
    attempt,
    startedAt: 1,
    endedAt: 2,
    afterSeq: 3,
    outcome: { kind: 'failed', opened: true, code: null, reason: '', initiatedBy: 'none' },
    next: { attempt: attempt + 1, retry: 1, maxRetries: 0, waitMs, at: Date.now() + waitMs, ...(cutShort ? { cutShortAt: Date.now() } : {}) },
  };
}
