/**
 * The whole App mounted on the fake bridge (store-fixture), with the heavy panels stubbed (their
 * own tests cover them): store-fixture's useFixture, and the App it mounts unmounted after. Call at the
 * top of a test file; the returned object reads as the current test's Fixture.
 */
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import App from '../../../src-renderer/src/App.vue';
import { useFixture, type FixtureTest } from './store-fixture';

/** The frame log and composer show which session / tab they were given, for tests that check it. */
export const appStubs = {
  FrameLog: { props: ['sessionId'], template: '<div class="stub-log" :data-session="sessionId"></div>' },
  FrameDetail: { props: ['sessionId'], template: '<div class="stub-detail"></div>' },
  Composer: { props: ['tabId'], template: '<div class="stub-composer" :data-tab="tabId"></div>' },
  // The breakpoint panel in a captured tab's composer place has its own tests.
  BreakpointPanel: { props: ['sessionId'], template: '<div class="stub-breakpoints"></div>' },
};

export interface AppFixture extends FixtureTest {
  /** Mounts App (attached to the document, unmounted after the test) and lets it settle. */
  mountApp(): Promise<VueWrapper>;
}

export function useAppFixture(): AppFixture {
  const fx = useFixture();
  return Object.assign(fx, {
    async mountApp(): Promise<VueWrapper> {
      const wrapper = fx.keep(mount(App, { global: { plugins: [fx.pinia], stubs: appStubs }, attachTo: document.body }));
      await flushPromises();
      return wrapper;
    },
  });
}
