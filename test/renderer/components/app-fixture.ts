/**
 * The whole App mounted on the fake bridge (store-fixture), with the heavy panels stubbed (their
 * own tests cover them): a fresh fixture before each test, the App unmounted after. Call at the
 * top of a test file; the returned object reads as the current test's Fixture.
 */
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { afterEach, beforeEach } from 'vitest';
import App from '../../../src-renderer/src/App.vue';
import { createFixture, type Fixture } from './store-fixture';

/** The frame log and composer show which session / tab they were given, for tests that check it. */
export const appStubs = {
  FrameLog: { props: ['sessionId'], template: '<div class="stub-log" :data-session="sessionId"></div>' },
  FrameDetail: { props: ['sessionId'], template: '<div class="stub-detail"></div>' },
  Composer: { props: ['tabId'], template: '<div class="stub-composer" :data-tab="tabId"></div>' },
  // The breakpoint panel in a captured tab's composer place has its own tests.
  BreakpointPanel: { props: ['sessionId'], template: '<div class="stub-breakpoints"></div>' },
};

export interface AppFixture extends Fixture {
  /** Mounts App (attached to the document, unmounted after the test) and lets it settle. */
  mountApp(): Promise<VueWrapper>;
}

export function useAppFixture(): AppFixture {
  let current: Fixture | undefined;
  let wrapper: VueWrapper | undefined;
  beforeEach(() => {
    current = createFixture();
  });
  afterEach(() => {
    wrapper?.unmount();
    wrapper = undefined;
  });
  const fx = (): Fixture => {
    if (!current) throw new Error('useAppFixture: no test is running');
    return current;
  };
  return {
    get pinia() {
      return fx().pinia;
    },
    get fake() {
      return fx().fake;
    },
    get store() {
      return fx().store;
    },
    get sessions() {
      return fx().sessions;
    },
    async mountApp() {
      wrapper = mount(App, { global: { plugins: [fx().pinia], stubs: appStubs }, attachTo: document.body });
      await flushPromises();
      return wrapper;
    },
  };
}
