/** A tab opened from a profile with a server URL password: the URL shows only the user name, a hint says the saved password goes with it, and Connect asks the engine for it. */
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import ConnectionSetup from '../../../src-renderer/src/components/ConnectionSetup.vue';
import { useProfileTabsStore } from '../../../src-renderer/src/stores/profile-tabs-store';
import { createFixture, type Fixture } from './store-fixture';

const URL_PASSWORD = 'url-pa55word';

let fx: Fixture;
let wrapper: VueWrapper | undefined;

beforeEach(() => {
  fx = createFixture();
});
afterEach(() => {
  wrapper?.unmount();
  wrapper = undefined;
});

async function openProfileTab(): Promise<{ w: VueWrapper; tabId: string }> {
  const result = fx.fake.profiles.handlers['profiles:save']?.({
    profile: { name: 'with url password', url: 'wss://bob@gw.test/socket', urlPassword: { value: URL_PASSWORD }, proxy: { mode: 'none' }, tls: {} },
  });
  if (!result?.ok) throw new Error('seed failed');
  await useProfileTabsStore().openInTab([...fx.fake.profiles.views.keys()].at(-1) ?? '');
  const tab = fx.store.activeTab;
  if (!tab) throw new Error('no tab');
  wrapper = mount(ConnectionSetup, { props: { tabId: tab.id }, global: { plugins: [fx.pinia] }, attachTo: document.body });
  await flushPromises();
  return { w: wrapper, tabId: tab.id };
}

describe('a profile tab with a server URL password', () => {
  it('says the saved password goes with the URL, never shows it, and drops the hint once a password is typed', async () => {
    const { w } = await openProfileTab();
    expect(w.text()).toContain("The profile's saved password for this user is sent with the URL");
    expect(w.html()).not.toContain(URL_PASSWORD);
    await w.get('input.url').setValue('wss://bob:typed@gw.test/socket');
    expect(w.text()).not.toContain("The profile's saved password");
  });

  it('a changed tab asks the engine to fill it in', async () => {
    const { w, tabId } = await openProfileTab();
    await w.get('input.url').setValue('wss://bob@gw.test/other');
    await fx.store.connect(tabId);
    await flushPromises();
    const open = fx.fake.calls.filter((c) => c.name === 'session:open').at(-1)?.arg;
    expect(open).toMatchObject({ options: { url: 'wss://bob@gw.test/other' }, savedSecrets: { urlPassword: true } });
    expect(JSON.stringify(open)).not.toContain(URL_PASSWORD);
  });
});
