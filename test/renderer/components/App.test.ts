import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import App from '../../../src-renderer/src/App.vue';
import { createFixture, emitFailure, emitState, type Fixture } from './store-fixture';

let fx: Fixture;
let wrapper: VueWrapper | undefined;

// The frame log, detail and composer have their own tests; here they are stand-ins.
const stubs = {
  FrameLog: { props: ['sessionId'], template: '<div class="stub-log" :data-session="sessionId"></div>' },
  FrameDetail: { props: ['sessionId'], template: '<div class="stub-detail"></div>' },
  Composer: { props: ['tabId'], template: '<div class="stub-composer" :data-tab="tabId"></div>' },
};

beforeEach(() => {
  fx = createFixture();
});
afterEach(() => {
  wrapper?.unmount();
  wrapper = undefined;
});

function mountApp(): VueWrapper {
  wrapper = mount(App, { global: { plugins: [fx.pinia], stubs }, attachTo: document.body });
  return wrapper;
}

function key(k: string, extra: KeyboardEventInit = {}): KeyboardEvent {
  const event = new KeyboardEvent('keydown', { key: k, ctrlKey: true, bubbles: true, cancelable: true, ...extra });
  window.dispatchEvent(event);
  return event;
}

describe('App', () => {
  it('opens on an empty tab that teaches what to type and shows the proxy', async () => {
    const w = mountApp();
    await flushPromises();
    expect(fx.store.tabs).toHaveLength(1);
    expect(w.text()).toContain('Open a WebSocket connection');
    expect(w.find('[aria-label="Getting started"]').text()).toContain('wss://');
    expect(w.findAll('[role="status"]')).toHaveLength(1);
    expect(w.find('[role="alert"]').exists()).toBe(false);
    expect(w.find('.stub-composer').attributes('data-tab')).toBe(fx.store.activeTabId);
  });

  it('Ctrl+T adds a tab and Ctrl+W closes the active one', async () => {
    const w = mountApp();
    await flushPromises();
    const t = key('t');
    expect(t.defaultPrevented).toBe(true);
    await flushPromises();
    expect(fx.store.tabs).toHaveLength(2);
    expect(w.findAll('.strip .tab')).toHaveLength(2);
    key('w');
    await flushPromises();
    expect(fx.store.tabs).toHaveLength(1);
    key('T', { ctrlKey: false, metaKey: true });
    await flushPromises();
    expect(fx.store.tabs).toHaveLength(2);
  });

  it('shows each session\'s state on its tab and in the sidebar, and the error panel when it failed', async () => {
    const w = mountApp();
    await flushPromises();
    const tab = fx.store.tabs[0];
    if (!tab) throw new Error('no tab');
    tab.draft.url = 'wss://echo.test/';
    await fx.store.connect(tab.id);
    emitState(fx.fake, 's1', 'open');
    await flushPromises();
    expect(w.get('.strip .tab.active').text()).toContain('open');
    expect(w.get('nav[aria-label="Sessions"]').text()).toContain('echo.test');
    expect(w.get('.stub-log').attributes('data-session')).toBe('s1');

    emitFailure(fx.fake, 's1', { kind: 'net', stage: 'transport', code: 'CONNECTION_LOST', message: 'lost', hint: 'retry', details: {} });
    await flushPromises();
    expect(w.get('.strip .tab.active').text()).toContain('failed');
    expect(w.get('[role="alert"]').text()).toContain('The connection broke');
    expect(w.findAll('[role="status"]')).toHaveLength(1);
  });

  it('closes a tab from its close button and switches tabs from the strip', async () => {
    const w = mountApp();
    await flushPromises();
    fx.store.newTab();
    await flushPromises();
    const tabs = w.findAll('.strip .tab');
    await tabs[0]?.get('button.select').trigger('click');
    expect(fx.store.activeTabId).toBe(fx.store.tabs[0]?.id);
    await w.get('button[aria-label="Close tab New tab"]').trigger('click');
    await flushPromises();
    expect(fx.store.tabs).toHaveLength(1);
  });
});
