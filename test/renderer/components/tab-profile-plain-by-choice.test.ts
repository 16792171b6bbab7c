/**
 * A header the user unticked "secret" on in a profile (`plainByChoice`, shared/secret-headers.ts)
 * stays a choice in the tab opened from the profile: Copy as command copies it in clear (a
 * secret one still gets its placeholder), and saving the tab, or saving its form as a new
 * profile, keeps the choice (without it the engine stores a credential-like name encrypted).
 */
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import CopyAsCommand from '../../../src-renderer/src/components/CopyAsCommand.vue';
import TabProfileActions from '../../../src-renderer/src/components/TabProfileActions.vue';
import { draftFromProfile } from '../../../src-renderer/src/connection-form/profile-draft';
import { useProfileTabsStore } from '../../../src-renderer/src/stores/profile-tabs-store';
import { settle, useFixture } from './store-fixture';

const fx = useFixture();

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

function mountWith(component: typeof CopyAsCommand | typeof TabProfileActions, tabId: string): VueWrapper {
  return fx.keep(mount(component, { props: { tabId }, global: { plugins: [fx.pinia] }, attachTo: document.body }));
}

/** The headers of the last profiles:save input. */
function savedHeaders(): unknown {
  const save = fx.fake.calls.filter((c) => c.name === 'profiles:save').at(-1);
  if (save === undefined || typeof save.arg !== 'object' || save.arg === null || !('profile' in save.arg)) throw new Error('no save');
  const profile = save.arg.profile;
  return typeof profile === 'object' && profile !== null && 'headers' in profile ? profile.headers : undefined;
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

  it("the tab's Save keeps the choice", async () => {
    const { id, tabId } = await openTab();
    const tab = fx.store.tabs.find((t) => t.id === tabId);
    if (!tab) throw new Error('no tab');
    tab.draft.url = 'wss://gw.test/v2';
    const w = mountWith(TabProfileActions, tabId);
    await flushPromises();
    const save = w.findAll('button').find((b) => b.text().endsWith('Save'));
    if (!save) throw new Error('no Save button');
    await save.trigger('click');
    await flushPromises();
    expect(savedHeaders()).toEqual([
      expect.objectContaining({ name: 'Authorization', secret: false, value: 'Bearer shown-by-choice', plainByChoice: true }),
      expect.objectContaining({ name: 'X-Api-Key', secret: true }),
    ]);
    expect(fx.fake.profiles.views.get(id)?.headers[0]).toMatchObject({ plainByChoice: true });
  });

  it('"Save as profile" of a form made from the profile keeps the choice', async () => {
    const { id } = await openTab();
    const view = fx.fake.profiles.views.get(id);
    if (!view) throw new Error('no view');
    // A plain tab holding the profile's form (its secret header typed anew).
    const draft = draftFromProfile(view);
    draft.headers = draft.headers.map((h) => (h.secret ? { name: h.name, value: 'k-typed', secret: true } : { ...h, profileHeaderId: undefined }));
    const tab = fx.store.newTab(draft);
    const w = mountWith(TabProfileActions, tab.id);
    const saveAs = w.findAll('button').find((b) => b.text() === 'Save as profile');
    if (!saveAs) throw new Error('no Save as profile button');
    await saveAs.trigger('click');
    await w.get('input').setValue('copy of gateway');
    await w.get('form').trigger('submit');
    await flushPromises();
    expect(savedHeaders()).toEqual([
      { name: 'Authorization', secret: false, value: 'Bearer shown-by-choice', plainByChoice: true },
      { name: 'X-Api-Key', secret: true, value: { value: 'k-typed' } },
    ]);
  });
});
