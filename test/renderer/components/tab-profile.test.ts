/**
 * A session tab and its profile: "Save as profile" from the connection form, the kept secrets
 * shown as "saved in profile" (never a value), the tab named after its profile with a dot for
 * unsaved changes, Connect's question when changes need the saved secrets, the composer's saved
 * messages (one click, and all in order), and the auto-reconnect notice.
 */
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import Composer from '../../../src-renderer/src/components/Composer.vue';
import ConnectionSetup from '../../../src-renderer/src/components/ConnectionSetup.vue';
import ReconnectNotice from '../../../src-renderer/src/components/ReconnectNotice.vue';
import TabStrip from '../../../src-renderer/src/components/TabStrip.vue';
import { useProfileTabsStore } from '../../../src-renderer/src/stores/profile-tabs-store';
import { useReconnectStore } from '../../../src-renderer/src/stores/reconnect-store';
import type { ProfileInputDraft } from '../../../src-main/shared/profiles';
import { createFixture, emitFailure, emitState, type Fixture } from './store-fixture';

let fx: Fixture;
const wrappers: VueWrapper[] = [];

beforeEach(() => {
  fx = createFixture();
});
afterEach(() => {
  for (const w of wrappers.splice(0)) w.unmount();
  vi.useRealTimers();
});

function mountWith<T>(component: T, props: Record<string, unknown> = {}): VueWrapper {
  // The components are typed loosely here: each test passes the props its component takes.
  const w = mount(component as Parameters<typeof mount>[0], { props, global: { plugins: [fx.pinia] }, attachTo: document.body });
  wrappers.push(w);
  return w;
}

function seed(extra: Partial<ProfileInputDraft> = {}): string {
  const result = fx.fake.profiles.handlers['profiles:save']?.({
    profile: {
      name: 'prod gateway',
      url: 'wss://gw.test/',
      proxy: { mode: 'manual', url: 'http://proxy.test:3128', username: 'alice', password: { value: 'saved-proxy-pw' } },
      tls: {},
      savedMessages: [
        { name: 'subscribe', kind: 'json', body: '{"op":"subscribe"}' },
        { name: 'hello', kind: 'text', body: 'hello' },
        { name: 'raw', kind: 'binary', body: '3q2+7w==' },
      ],
      ...extra,
    },
  });
  if (!result?.ok) throw new Error('seed failed');
  return [...fx.fake.profiles.views.keys()].at(-1) ?? '';
}

/** The button by its accessible name (an aria-label, else its text without aria-hidden parts). */
function button(w: VueWrapper, name: string) {
  const accessibleName = (b: ReturnType<VueWrapper['findAll']>[number]): string => {
    const label = b.attributes('aria-label');
    if (label !== undefined) return label;
    const copy = b.element.cloneNode(true);
    if (copy instanceof HTMLElement) copy.querySelectorAll('[aria-hidden="true"]').forEach((hidden) => hidden.remove());
    return (copy.textContent ?? '').trim();
  };
  const found = w.findAll('button').find((b) => accessibleName(b) === name);
  if (!found) throw new Error(`no button "${name}"; have: ${w.findAll('button').map((b) => b.attributes('aria-label') ?? b.text().trim()).join(' | ')}`);
  return found;
}

function opens() {
  return fx.fake.calls.filter((c) => c.name === 'session:open');
}

describe('the connection form and its profile', () => {
  it('"Save as profile" asks for a name and turns the tab into a profile tab', async () => {
    const tab = fx.store.newTab();
    tab.draft.url = 'wss://echo.test/socket';
    tab.draft.proxyMode = 'manual';
    tab.draft.proxyUrl = 'http://proxy.test:3128';
    tab.draft.proxyUsername = 'alice';
    tab.draft.proxyPassword = 'typed-pw';
    const w = mountWith(ConnectionSetup, { tabId: tab.id });
    const strip = mountWith(TabStrip);
    await button(w, 'Save as profile').trigger('click');
    const label = w.findAll('label').find((l) => l.text() === 'Profile name');
    const name = w.get(`[id="${label?.attributes('for') ?? 'missing'}"]`);
    expect((name.element as HTMLInputElement).value).toBe('echo.test/socket');
    await name.setValue('echo');
    await button(w, 'Save profile').trigger('click');
    await flushPromises();
    expect(tab.profile?.name).toBe('echo');
    expect(fx.fake.profiles.secrets.get(`${tab.profile?.id ?? ''}/proxy.password`)).toBe('typed-pw');
    // The tab is named after the profile; the password is now the profile's, not in the form.
    expect(strip.get('.tab .name').text()).toBe('echo');
    expect(w.find('[aria-label="proxy password: saved in the profile, hidden"]').exists()).toBe(true);
    expect(w.html()).not.toContain('typed-pw');
    expect(button(w, 'Save').attributes('disabled')).toBeDefined();
  });

  it('a profile tab shows saved secrets as dots, marks unsaved changes, and Save updates the profile', async () => {
    const id = seed();
    await useProfileTabsStore().openInTab(id);
    const tab = fx.store.activeTab;
    if (!tab) throw new Error('no tab');
    const w = mountWith(ConnectionSetup, { tabId: tab.id });
    const strip = mountWith(TabStrip);
    expect(w.text()).toContain('saved in profile');
    expect(w.html()).not.toContain('saved-proxy-pw');
    expect(strip.find('.unsaved').exists()).toBe(false);

    await w.get('input[inputmode="url"]').setValue('wss://gw.test/v2');
    expect(strip.get('.unsaved').attributes('aria-label')).toBe('unsaved changes');
    await button(w, 'Save').trigger('click');
    await flushPromises();
    expect(fx.fake.profiles.views.get(id)?.url).toBe('wss://gw.test/v2');
    expect(fx.fake.profiles.secrets.get(`${id}/proxy.password`)).toBe('saved-proxy-pw');
    expect(strip.find('.unsaved').exists()).toBe(false);
  });

  it('Connect with unsaved changes connects at once, the engine filling in the saved password; a refusal shows at the proxy', async () => {
    const id = seed();
    await useProfileTabsStore().openInTab(id);
    const tab = fx.store.activeTab;
    if (!tab) throw new Error('no tab');
    const w = mountWith(ConnectionSetup, { tabId: tab.id });
    await w.get('input[inputmode="url"]').setValue('wss://gw.test/other');
    await button(w, 'Connect').trigger('click');
    await flushPromises();
    expect(opens().at(-1)?.arg).toMatchObject({ label: 'prod gateway', options: { url: 'wss://gw.test/other' }, savedSecrets: { profileId: id, proxyPassword: true } });
    expect(useProfileTabsStore().tabDirty(tab.id)).toBe(true);

    fx.fake.answer('session:open', () => ({
      ok: false,
      error: {
        code: 'INVALID_ARGUMENT',
        message: 'session:open: the saved proxy password of profile "prod gateway" is only sent to its proxy http://proxy.test:3128 as user "alice"; type the password again to use it with this proxy setting, or save the profile',
        path: 'savedSecrets.proxyPassword',
      },
    }));
    await w.get('input[inputmode="url"]').setValue('wss://gw.test/again');
    await button(w, 'Connect').trigger('click');
    await flushPromises();
    expect(w.get('.proxy .problem, [class*="proxy"] .problem').text()).toContain('is only sent to its proxy http://proxy.test:3128 as user "alice"');
  });

  it('"Replace" on a kept secret types a new one; "Clear" drops it', async () => {
    const id = seed();
    await useProfileTabsStore().openInTab(id);
    const tab = fx.store.activeTab;
    if (!tab) throw new Error('no tab');
    const w = mountWith(ConnectionSetup, { tabId: tab.id });
    await button(w, 'Replace proxy password').trigger('click');
    await w.get('input[type="password"]').setValue('new-pw');
    expect(tab.draft.proxyPassword).toBe('new-pw');
    await button(w, 'Keep saved proxy password').trigger('click');
    expect(tab.draft.proxyPassword).toBe('');
    await button(w, 'Clear proxy password').trigger('click');
    expect(tab.draft.keptSecrets?.proxyPassword).toBe(false);
    expect(w.find('input[type="password"]').exists()).toBe(true);
  });
});

describe('saved messages in the composer', () => {
  it('sends one with a click, and all of them in order', async () => {
    const id = seed();
    await useProfileTabsStore().openInTab(id);
    const tab = fx.store.activeTab;
    if (!tab) throw new Error('no tab');
    const w = mountWith(Composer, { tabId: tab.id });
    const group = w.get('[aria-label="Saved messages"]');
    expect(group.text()).toContain('saved:');
    expect(button(w, 'Send saved message “subscribe”').attributes('disabled')).toBeDefined();

    await fx.store.connect(tab.id);
    emitState(fx.fake, tab.sessionId ?? '', 'open');
    await flushPromises();
    await button(w, 'Send saved message “subscribe”').trigger('click');
    await flushPromises();
    const sends = () => fx.fake.calls.filter((c) => c.name === 'session:send').map((c) => c.arg);
    expect(sends()).toEqual([{ sessionId: tab.sessionId, kind: 'text', data: '{"op":"subscribe"}' }]);
    expect(w.text()).toContain('Sent “subscribe”.');

    await button(w, 'Send all in order').trigger('click');
    await flushPromises();
    expect(sends().slice(1)).toEqual([
      { sessionId: tab.sessionId, kind: 'text', data: '{"op":"subscribe"}' },
      { sessionId: tab.sessionId, kind: 'text', data: 'hello' },
      { sessionId: tab.sessionId, kind: 'binary', data: '3q2+7w==' },
    ]);
    expect(w.text()).toContain('Sent all 3 in order.');
  });

  it('a sequence stops at the first message the engine refuses, and says which', async () => {
    const id = seed();
    await useProfileTabsStore().openInTab(id);
    const tab = fx.store.activeTab;
    if (!tab) throw new Error('no tab');
    const w = mountWith(Composer, { tabId: tab.id });
    await fx.store.connect(tab.id);
    emitState(fx.fake, tab.sessionId ?? '', 'open');
    let count = 0;
    fx.fake.answer('session:send', () => (++count === 2 ? { ok: false, error: { code: 'SESSION_NOT_OPEN', message: 'session s1 is closing, not open' } } : { ok: true, value: { seq: count } }));
    await flushPromises();
    await button(w, 'Send all in order').trigger('click');
    await flushPromises();
    expect(count).toBe(2);
    expect(w.text()).toContain('Stopped at “hello” (2 of 3): session s1 is closing, not open');
  });

  it('a tab without a profile shows no saved messages', () => {
    const tab = fx.store.newTab();
    const w = mountWith(Composer, { tabId: tab.id });
    expect(w.find('[aria-label="Saved messages"]').exists()).toBe(false);
  });
});

describe('the auto-reconnect notice', () => {
  it('counts down to the next attempt the engine announced; Cancel asks the engine to close, Now to reconnect', async () => {
    vi.useFakeTimers();
    const id = seed({ reconnect: { enabled: true, initialDelayMs: 4000, maxDelayMs: 30000, maxAttempts: 5 } });
    useReconnectStore();
    await useProfileTabsStore().openInTab(id);
    const tab = fx.store.activeTab;
    if (!tab) throw new Error('no tab');
    const w = mountWith(ReconnectNotice, { tabId: tab.id });
    const strip = mountWith(TabStrip);
    await fx.store.connect(tab.id);
    const sessionId = tab.sessionId ?? '';
    const error = { kind: 'net' as const, stage: 'connect' as const, code: 'CONNECTION_REFUSED' as const, message: 'the server refused the connection', hint: 'start it', details: {} };
    emitFailure(fx.fake, sessionId, error);
    fx.fake.emit({
      type: 'attempt',
      sessionId,
      record: {
        attempt: 1,
        startedAt: Date.now(),
        endedAt: Date.now(),
        afterSeq: 0,
        outcome: { kind: 'failed', opened: false, code: null, reason: '', initiatedBy: 'none', error },
        next: { attempt: 2, retry: 1, maxRetries: 5, waitMs: 4000, at: Date.now() + 4000 },
      },
    });
    await flushPromises();
    expect(w.text()).toContain('Retrying in 4 s — reconnect 1 of 5');
    expect(w.text()).toContain('attempt 1 failed: CONNECTION_REFUSED');
    expect(strip.get('.tab .word').text()).toBe('reconnecting…');
    await vi.advanceTimersByTimeAsync(1500);
    expect(w.text()).toContain('Retrying in 3 s');
    expect(w.find('[role="status"]').exists()).toBe(false);
    await button(w, 'Reconnect now').trigger('click');
    expect(fx.fake.calls.filter((c) => c.name === 'session:reconnect-now')).toHaveLength(1);
    await button(w, 'Cancel auto-reconnect').trigger('click');
    expect(fx.fake.calls.filter((c) => c.name === 'session:close')).toHaveLength(1);
    fx.fake.emit({ type: 'closed', sessionId, code: null, reason: '', wasClean: false, initiatedBy: 'client', at: Date.now() });
    await flushPromises();
    expect(w.text()).toBe('');
    await vi.advanceTimersByTimeAsync(10_000);
    // The renderer never opens a session to reconnect: the engine does.
    expect(opens()).toHaveLength(1);
  });
});
