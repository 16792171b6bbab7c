/** The profile editor names a problem's item as its rows are numbered: "message 2's name", never `savedMessages.1.name`. */
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import ProfileDialogs from '../../../src-renderer/src/components/ProfileDialogs.vue';
import { useProfileEditorStore } from '../../../src-renderer/src/stores/profile-editor-store';
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

function button(w: VueWrapper, name: string) {
  const found = w.findAll('button').find((b) => (b.attributes('aria-label') ?? b.text().trim()) === name);
  if (!found) throw new Error(`no button "${name}"`);
  return found;
}

describe('profile editor problems', () => {
  it('lists them in the footer with the item as the form numbers it, from 1', async () => {
    useProfileEditorStore().startCreate();
    wrapper = mount(ProfileDialogs, { global: { plugins: [fx.pinia] }, attachTo: document.body });
    await flushPromises();
    const w = wrapper;
    await button(w, '+ Add header').trigger('click');
    await button(w, '+ Add message').trigger('click');
    await button(w, '+ Add message').trigger('click');
    await w.get('input[aria-label="Message 1 name"]').setValue('first');
    await button(w, 'Save profile').trigger('click');
    await flushPromises();
    const items = w.findAll('.problems li').map((li) => li.text());
    expect(items).toContain("✖ message 2's name: a saved message needs a name");
    expect(items).toContain("✖ header 1's name: a header needs a name (or remove the row)");
    for (const item of items) expect(item).not.toMatch(/savedMessages\.|headers\.\d/);
  });
});
