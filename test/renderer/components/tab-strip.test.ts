import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import App from '../../../src-renderer/src/App.vue';
import { createFixture, emitState, type Fixture } from './store-fixture';

let fx: Fixture;
let wrapper: VueWrapper | undefined;
let restoreLayout: (() => void) | undefined;

// The frame log, detail and composer have their own tests; here they are stand-ins.
const stubs = {
  FrameLog: { props: ['sessionId'], template: '<div class="stub-log"></div>' },
  FrameDetail: { props: ['sessionId'], template: '<div class="stub-detail"></div>' },
  Composer: { props: ['tabId'], template: '<div class="stub-composer"></div>' },
};

/** happy-dom has no layout: the tab list reports more tabs than fit, as 30 tabs would. */
function mockOverflowingTabs(): () => void {
  const isList = (el: HTMLElement): boolean => el.classList.contains('tabs');
  Object.defineProperty(HTMLElement.prototype, 'scrollWidth', { configurable: true, get: function (this: HTMLElement) { return isList(this) ? 6000 : 0; } });
  Object.defineProperty(HTMLElement.prototype, 'clientWidth', { configurable: true, get: function (this: HTMLElement) { return isList(this) ? 800 : 0; } });
  return () => {
    Reflect.deleteProperty(HTMLElement.prototype, 'scrollWidth');
    Reflect.deleteProperty(HTMLElement.prototype, 'clientWidth');
  };
}

beforeEach(() => {
  fx = createFixture();
});
afterEach(() => {
  wrapper?.unmount();
  wrapper = undefined;
  restoreLayout?.();
  restoreLayout = undefined;
});

function mountApp(): VueWrapper {
  wrapper = mount(App, { global: { plugins: [fx.pinia], stubs }, attachTo: document.body });
  return wrapper;
}

describe('TabStrip', () => {
  it('lists every tab in the "all tabs" menu once they overflow; choosing one selects it', async () => {
    restoreLayout = mockOverflowingTabs();
    for (let i = 1; i <= 30; i++) fx.store.newTab().draft.url = `wss://host${i}.test/`;
    const w = mountApp();
    await flushPromises();
    expect(w.find('button[aria-label="Scroll tabs left"]').exists()).toBe(true);
    expect(w.find('button[aria-label="Scroll tabs right"]').exists()).toBe(true);

    const toggle = w.get('button[aria-label="All tabs"]');
    expect(toggle.text()).toContain('30');
    await toggle.trigger('click');
    await flushPromises();
    const items = w.findAll('[role="menu"][aria-label="All tabs"] [role="menuitemradio"]');
    expect(items).toHaveLength(30);
    // The last one opened is the active one, checked and focused.
    expect(items[29]?.attributes('aria-checked')).toBe('true');
    expect(document.activeElement).toBe(items[29]?.element);
    expect(items[2]?.text()).toContain('host3.test');

    await items[2]?.trigger('click');
    await flushPromises();
    expect(fx.store.activeTabId).toBe(fx.store.tabs[2]?.id);
    expect(w.find('[role="menu"][aria-label="All tabs"]').exists()).toBe(false);
    expect(document.activeElement).toBe(toggle.element);
    expect(w.get('.strip .tab.active').text()).toContain('host3.test');
  });

  it('moves through the menu with the arrow keys and closes it with Escape', async () => {
    restoreLayout = mockOverflowingTabs();
    for (let i = 1; i <= 8; i++) fx.store.newTab().draft.url = `wss://host${i}.test/`;
    const w = mountApp();
    await flushPromises();
    await w.get('button[aria-label="All tabs"]').trigger('click');
    await flushPromises();
    const menu = w.get('[role="menu"][aria-label="All tabs"]');
    const items = menu.findAll('[role="menuitemradio"]');
    await menu.trigger('keydown', { key: 'Home' });
    expect(document.activeElement).toBe(items[0]?.element);
    await menu.trigger('keydown', { key: 'ArrowUp' });
    expect(document.activeElement).toBe(items[7]?.element);
    await menu.trigger('keydown', { key: 'Escape' });
    expect(w.find('[role="menu"][aria-label="All tabs"]').exists()).toBe(false);
  });

  it('has no scroll buttons nor menu while every tab fits', async () => {
    const w = mountApp();
    await flushPromises();
    expect(w.find('button[aria-label="Scroll tabs left"]').exists()).toBe(false);
    expect(w.find('button[aria-label="All tabs"]').exists()).toBe(false);
  });

  it('names a tab and its sessions-list entry the same, proxy and state included, at once', async () => {
    const w = mountApp();
    await flushPromises();
    const tab = fx.store.tabs[0];
    if (!tab) throw new Error('no tab');
    tab.draft.url = 'wss://echo.test/feed';
    await fx.store.connect(tab.id);
    fx.fake.emit({
      type: 'proxy-decision',
      sessionId: tab.sessionId ?? '',
      decision: { source: 'manual', candidates: [{ url: 'http://proxy.corp:3128', protocol: 'http', host: 'proxy.corp', port: 3128, hasCredentials: true }], reason: 'set' },
    });
    emitState(fx.fake, tab.sessionId ?? '', 'open');
    await flushPromises();
    const onTab = w.get('.strip .tab.active .select');
    const inList = w.get('nav[aria-label="Sessions"] .item.active');
    expect(onTab.get('.name').text()).toBe('echo.test/feed');
    expect(onTab.get('.via').text()).toBe('via proxy.corp');
    expect(onTab.attributes('title')).toBe('echo.test/feed via proxy.corp — open');
    expect(inList.get('.name').text()).toBe('echo.test/feed via proxy.corp');
    expect(inList.get('.word').text()).toBe(onTab.get('.word').text());

    emitState(fx.fake, tab.sessionId ?? '', 'closed');
    await flushPromises();
    expect(w.get('.strip .tab.active .word').text()).toBe('closed');
    expect(w.get('nav[aria-label="Sessions"] .item.active .word').text()).toBe('closed');
  });

  it('names an imported log after its file, as "imported", on its tab and in the sessions list', async () => {
    const w = mountApp();
    await flushPromises();
    fx.fake.emit({ type: 'session-created', sessionId: 'imported-1', url: 'wss://feed.test/prices', at: 1, readOnly: true, name: 'prices-2024-05-01.ndjson' });
    fx.fake.emit({ type: 'state', sessionId: 'imported-1', state: 'closed', previous: 'idle', at: 2 });
    fx.store.openSessionTab('imported-1', 'wss://feed.test/prices');
    await flushPromises();
    const onTab = w.get('.strip .tab.active');
    const inList = w.get('nav[aria-label="Sessions"] .item.active');
    expect(onTab.get('.name').text()).toBe('prices-2024-05-01.ndjson');
    expect(inList.get('.name').text()).toBe('prices-2024-05-01.ndjson');
    expect(onTab.get('.word').text()).toBe('imported');
    expect(inList.get('.word').text()).toBe('imported');
  });
});
