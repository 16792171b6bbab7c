// The tab shortcuts per host (a browser keeps Ctrl+T / Ctrl+W), asking before a live
// session's tab is closed (Ctrl+W, the app menu), and the page's beforeunload prompt.
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import App from '../../../src-renderer/src/App.vue';
import { useAppMenuStore } from '../../../src-renderer/src/stores/app-menu-store';
import { guardUnload, LEAVE_PROMPT, useCloseGuardStore } from '../../../src-renderer/src/stores/close-guard-store';
import { useHostStore } from '../../../src-renderer/src/stores/host-store';
import { shortcutHints, tabShortcut, type KeyPress } from '../../../src-renderer/src/util/shortcuts';
import { connectedTab, createFixture, emitState, type Fixture } from './store-fixture';

let fx: Fixture;
let wrapper: VueWrapper | undefined;

const stubs = {
  FrameLog: { props: ['sessionId'], template: '<div class="stub-log"></div>' },
  FrameDetail: { props: ['sessionId'], template: '<div class="stub-detail"></div>' },
  Composer: { props: ['tabId'], template: '<div class="stub-composer"></div>' },
};

function answerHost(host: 'electron' | 'web'): void {
  fx.fake.answer('app:info', () => ({ ok: true, value: { name: 'Tunnelscope', version: '0.0.0', host, platform: 'linux', systemProxy: false } }));
}

beforeEach(() => {
  fx = createFixture();
});
afterEach(() => {
  wrapper?.unmount();
  wrapper = undefined;
});

async function mountApp(): Promise<VueWrapper> {
  wrapper = mount(App, { global: { plugins: [fx.pinia], stubs }, attachTo: document.body });
  await flushPromises();
  return wrapper;
}

function press(init: KeyboardEventInit): KeyboardEvent {
  const event = new KeyboardEvent('keydown', { bubbles: true, cancelable: true, ...init });
  window.dispatchEvent(event);
  return event;
}

const keys = (over: Partial<KeyPress>): KeyPress => ({ key: '', code: '', ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, ...over });

describe('tab shortcuts', () => {
  it('are Ctrl/Cmd-based everywhere and Alt-based only in a browser (matched by physical key)', () => {
    expect(tabShortcut(keys({ key: 't', ctrlKey: true }), 'electron')).toBe('new-tab');
    expect(tabShortcut(keys({ key: 'w', metaKey: true }), 'web')).toBe('close-tab');
    expect(tabShortcut(keys({ key: 'Tab', ctrlKey: true, shiftKey: true }), 'electron')).toBe('previous-tab');
    // Option+T on a Mac types "†": the key's code still says T.
    expect(tabShortcut(keys({ key: '†', code: 'KeyT', altKey: true }), 'web')).toBe('new-tab');
    expect(tabShortcut(keys({ key: 'w', code: 'KeyW', altKey: true }), 'web')).toBe('close-tab');
    expect(tabShortcut(keys({ key: 'PageDown', code: 'PageDown', altKey: true }), 'web')).toBe('next-tab');
    expect(tabShortcut(keys({ key: 't', code: 'KeyT', altKey: true }), 'electron')).toBeNull();
    expect(tabShortcut(keys({ key: 't', code: 'KeyT', altKey: true }), null)).toBeNull();
    expect(tabShortcut(keys({ key: 'x', ctrlKey: true }), 'web')).toBeNull();
  });

  it('are advertised only where they work', () => {
    expect(shortcutHints('web', false)).toEqual({ newTab: 'Alt+T', closeTab: 'Alt+W', nextTab: 'Alt+PageDown', send: 'Ctrl+Enter' });
    expect(shortcutHints('web', true).newTab).toBe('⌥+T');
    expect(shortcutHints('electron', false)).toEqual({ newTab: 'Ctrl+T', closeTab: 'Ctrl+W', nextTab: 'Ctrl+Tab', send: 'Ctrl+Enter' });
    expect(shortcutHints('electron', true).closeTab).toBe('⌘+W');
  });

  it('in the web host: the guide and the sidebar show Alt+T / Alt+W, and Alt+T / Alt+W work', async () => {
    answerHost('web');
    const w = await mountApp();
    expect(useHostStore().host).toBe('web');
    const guide = w.get('[aria-label="Getting started"]').text();
    expect(guide).toContain('Alt+T new tab');
    expect(guide).toContain('Alt+W close tab');
    expect(guide).not.toContain('Ctrl+T');
    expect(w.get('nav[aria-label="Sessions"]').text()).toContain('Alt+T');

    expect(press({ key: 't', code: 'KeyT', altKey: true }).defaultPrevented).toBe(true);
    await flushPromises();
    expect(fx.store.tabs).toHaveLength(2);
    press({ key: 'w', code: 'KeyW', altKey: true });
    await flushPromises();
    expect(fx.store.tabs).toHaveLength(1);
  });

  it('in the desktop app: Ctrl+T is advertised and Alt+T is left alone', async () => {
    answerHost('electron');
    const w = await mountApp();
    expect(w.get('[aria-label="Getting started"]').text()).toContain('Ctrl+T new tab');
    expect(press({ key: 't', code: 'KeyT', altKey: true }).defaultPrevented).toBe(false);
    expect(fx.store.tabs).toHaveLength(1);
  });
});

describe('closing a tab whose session is live', () => {
  it('Ctrl+W asks first; Keep open keeps it, Close tab closes it; a tab with no live session closes at once', async () => {
    answerHost('electron');
    const w = await mountApp();
    const tab = await connectedTab(fx);
    emitState(fx.fake, tab.sessionId, 'open');
    await flushPromises();
    expect(fx.store.tabs).toHaveLength(2);

    press({ key: 'w', ctrlKey: true });
    await flushPromises();
    const dialog = w.get('[role="dialog"]');
    expect(dialog.text()).toContain('Close “echo.test”?');
    expect(dialog.text()).toContain('Its session is open');
    // The safe answer has the focus.
    expect(document.activeElement?.textContent).toBe('Keep open');
    await w.get('[role="dialog"] button.ts-btn:not(.ts-btn--danger)').trigger('click');
    expect(w.find('[role="dialog"]').exists()).toBe(false);
    expect(fx.store.tabs).toHaveLength(2);

    press({ key: 'w', ctrlKey: true });
    await flushPromises();
    await w.get('[role="dialog"] .ts-btn--danger').trigger('click');
    await flushPromises();
    expect(fx.store.tabs).toHaveLength(1);
    expect(fx.fake.calls.some((c) => c.name === 'session:dispose')).toBe(true);

    // The empty tab left has no session: no question.
    press({ key: 'w', ctrlKey: true });
    await flushPromises();
    expect(w.find('[role="dialog"]').exists()).toBe(false);
    expect(fx.store.tabs).toHaveLength(0);
  });

  it('the app menu’s Close Tab (Ctrl+W there) goes through the same question', async () => {
    answerHost('electron');
    await mountApp();
    const tab = await connectedTab(fx);
    emitState(fx.fake, tab.sessionId, 'connecting');
    useAppMenuStore().handle('close-tab');
    expect(useCloseGuardStore().pendingTabId).toBe(tab.id);
    emitState(fx.fake, tab.sessionId, 'closed');
    useCloseGuardStore().cancel();
    useAppMenuStore().handle('close-tab');
    await flushPromises();
    expect(useCloseGuardStore().pendingTabId).toBeNull();
    expect(fx.store.tabs.some((t) => t.id === tab.id)).toBe(false);
  });
});

describe('leaving the page', () => {
  it('the handler cancels the unload and returns the prompt only when sessions are live', () => {
    const event = { prevented: false, returnValue: undefined as unknown, preventDefault() { this.prevented = true; } };
    expect(guardUnload(event, 0)).toBeUndefined();
    expect(event.prevented).toBe(false);
    expect(event.returnValue).toBeUndefined();
    expect(guardUnload(event, 2)).toBe(LEAVE_PROMPT);
    expect(event.prevented).toBe(true);
    expect(event.returnValue).toBe(LEAVE_PROMPT);
  });

  async function unloadPrevented(): Promise<boolean> {
    const event = new Event('beforeunload', { cancelable: true });
    window.dispatchEvent(event);
    return event.defaultPrevented;
  }

  it('in a browser: asks while a tab’s session is live, not before it opens nor after it closed', async () => {
    answerHost('web');
    await mountApp();
    expect(await unloadPrevented()).toBe(false);
    const tab = await connectedTab(fx);
    emitState(fx.fake, tab.sessionId, 'open');
    expect(useCloseGuardStore().liveTabs).toBe(1);
    expect(await unloadPrevented()).toBe(true);
    emitState(fx.fake, tab.sessionId, 'closed');
    expect(await unloadPrevented()).toBe(false);
  });

  it('in the desktop app: never (Electron would refuse to close the window without asking)', async () => {
    answerHost('electron');
    await mountApp();
    const tab = await connectedTab(fx);
    emitState(fx.fake, tab.sessionId, 'open');
    expect(await unloadPrevented()).toBe(false);
  });

  it('stops listening when the app is unmounted', async () => {
    answerHost('web');
    const w = await mountApp();
    const tab = await connectedTab(fx);
    emitState(fx.fake, tab.sessionId, 'open');
    w.unmount();
    wrapper = undefined;
    expect(await unloadPrevented()).toBe(false);
  });
});

describe('the host', () => {
  it('is taken from app:info, or from the user agent when the engine does not answer', async () => {
    fx.fake.answer('app:info', () => ({ ok: false, error: { code: 'INTERNAL', message: 'the connection to the web host was lost' } }));
    await useHostStore().load();
    expect(useHostStore().host).toBe('web');
    expect(useHostStore().hints.newTab).toBe('Alt+T');
  });
});
