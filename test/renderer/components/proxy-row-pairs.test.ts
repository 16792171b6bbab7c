/**
 * The proxy credentials row of a profile tab (QA: a saved password's Clear was covered by the
 * "Sign in" label, and at 1024 px the Sign-in select wrapped to the next line without its
 * label). Each inline label sits in one box with its field, so the row wraps the two together;
 * the widths themselves are checked in Chromium (e2e proxy-saved-password-row).
 */
import { mount, type VueWrapper } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import ConnectionSetup from '../../../src-renderer/src/components/ConnectionSetup.vue';
import { useProfileTabsStore } from '../../../src-renderer/src/stores/profile-tabs-store';
import { createFixture, type Fixture } from './store-fixture';

let fx: Fixture;
let wrapper: VueWrapper | undefined;

beforeEach(() => {
  fx = createFixture();
});
afterEach(() => {
  wrapper?.unmount();
  wrapper = undefined;
});

async function mountProfileTab(): Promise<VueWrapper> {
  const result = fx.fake.profiles.handlers['profiles:save']?.({
    profile: {
      name: 'Flood local',
      url: 'ws://127.0.0.1:38617/flood',
      proxy: { mode: 'manual', url: 'http://127.0.0.1:3128', username: 'alice', password: { value: 'saved-pw' } },
      tls: {},
      savedMessages: [],
    },
  });
  if (!result?.ok) throw new Error('seed failed');
  const id = [...fx.fake.profiles.views.keys()].at(-1) ?? '';
  await useProfileTabsStore().openInTab(id);
  const tab = fx.store.activeTab;
  if (!tab) throw new Error('no tab');
  wrapper = mount(ConnectionSetup, { props: { tabId: tab.id }, global: { plugins: [fx.pinia] }, attachTo: document.body });
  return wrapper;
}

/** The inline labels of the credentials row, by text, each with the element it labels. */
function inlinePairs(w: VueWrapper): { text: string; label: HTMLElement; field: HTMLElement }[] {
  const row = w.get('.creds').element;
  return [...row.querySelectorAll<HTMLLabelElement>('label.lbl-inline')].map((label) => {
    const field = document.getElementById(label.htmlFor);
    if (!field) throw new Error(`label "${label.textContent ?? ''}" labels nothing`);
    return { text: (label.textContent ?? '').trim(), label, field };
  });
}

describe('the proxy credentials row', () => {
  for (const scheme of ['auto', 'ntlm', 'negotiate'] as const) {
    it(`keeps each label in one box with its field, apart from the wrapping row (${scheme})`, async () => {
      const w = await mountProfileTab();
      const select = w.findAll('label.lbl-inline').find((l) => l.text() === 'Sign-in');
      await w.get(`[id="${select?.attributes('for') ?? 'missing'}"]`).setValue(scheme);
      expect(w.text()).toContain('saved in profile');
      const pairs = inlinePairs(w);
      const texts = pairs.map((p) => p.text);
      expect(texts.slice(0, 2)).toEqual(['Password', 'Sign-in']);
      if (scheme === 'negotiate') expect(texts).toContain('Service principal');
      const row = w.get('.creds').element;
      for (const { text, label, field } of pairs) {
        const box = label.parentElement;
        expect(box, text).not.toBe(row);
        expect(box?.parentElement, text).toBe(row);
        expect(box?.contains(field), text).toBe(true);
      }
      // Clear is in the password's box, not beside the Sign-in label.
      const clear = w.get('[aria-label="Clear proxy password"]').element;
      const signIn = pairs.find((p) => p.text === 'Sign-in');
      expect(pairs[0]?.label.parentElement?.contains(clear)).toBe(true);
      expect(signIn?.label.parentElement?.contains(clear)).toBe(false);
    });
  }
});
