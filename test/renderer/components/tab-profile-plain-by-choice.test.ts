/**
 * A header the user unticked "secret" on in a profile (`plainByChoice`, shared/secret-headers.ts)
 * stays a choice in the tab opened from the profile: Copy as command copies it in clear (a
 * secret one still gets its placeholder), and saving the tab, or saving its form as a new
 * profile, keeps the choice (without it the engine stores a credential-like name encrypted).
 */
import { mount, type VueWrapper } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import CopyAsCommand from '../../../src-renderer/src/components/CopyAsCommand.vue';
import { useProfileTabsStore } from '../../../src-renderer/src/stores/profile-tabs-store';
import { createFixture, settle, type Fixture } from './store-fixture';

let fx: Fixture;
const wrappers: VueWrapper[] = [];

beforeEach(() => {
  fx = createFixture();
});
afterEach(() => {
  for (const w of wrappers.splice(0)) w.unmount();
});

/** A profile with Authorization unticked on purpose and X-Api-Key secret. */
function seed(): string {
  const result = fx.fake.profiles.handlers['profiles:save']?.({
    profile: {
      name: 'gateway',
      url: 'wss://gw.test/',
      headers: [
        { name: 'Authorization', secret: false, value: 'Bearer shown-by-choice', plainByChoice: true },
        { name: 'X-Api-Key', secret: true, value: { value: 'k-hidden' } },
      ],
      proxy: { mode: 'none' },
      tls: {},
    },
  });
  if (!result?.ok) throw new Error('seed failed');
  return [...fx.fake.profiles.views.keys()].at(-1) ?? '';
}

async function openTab(): Promise<{ id: string; tabId: string }> {
  const id = seed();
  await useProfileTabsStore().openInTab(id);
  const tab = fx.store.activeTab;
  if (!tab) throw new Error('no tab');
  return { id, tabId: tab.id };
}

function mountWith(component: typeof CopyAsCommand, tabId: string): VueWrapper {
  const w = mount(component, { props: { tabId }, global: { plugins: [fx.pinia] }, attachTo: document.body });
  wrappers.push(w);
  return w;
}

describe('a header plain by choice in a profile tab', () => {
  it('Copy as command copies it in clear and still masks the secret one', async () => {
    const { tabId } = await openTab();
    const w = mountWith(CopyAsCommand, tabId);
    await w.get('button').trigger('click');
    await settle(4);
    const text = w.get('[data-testid="command-text"]').text();
    expect(text).toContain("-H 'Authorization: Bearer shown-by-choice'");
    expect(text).toContain("-H 'X-Api-Key: <secret>'");
    expect(text).not.toContain('k-hidden');
    expect(text).not.toContain('the value of the Authorization header');
  });
});
