/**
 * A profiles file too large to read: the sidebar's import says its size and the limit in MiB
 * (format-bytes.ts), the limit being the engine's own (MAX_IMPORT_BYTES, 5 MiB).
 */
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import ProfileDialogs from '../../../src-renderer/src/components/ProfileDialogs.vue';
import ProfileList from '../../../src-renderer/src/components/ProfileList.vue';
import { MAX_PROFILES_FILE_BYTES } from '../../../src-renderer/src/stores/profile-transfer-store';
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

describe('importing a profiles file that is too large', () => {
  it('the limit the renderer says is the engine\'s 5 MiB (core MAX_IMPORT_BYTES, out of the renderer\'s reach)', () => {
    expect(MAX_PROFILES_FILE_BYTES).toBe(5 * 1024 * 1024);
  });

  it('says the file\'s size and the limit in MiB, and imports nothing', async () => {
    wrapper = mount({ components: { ProfileList, ProfileDialogs }, template: '<div><ProfileList /><ProfileDialogs /></div>' }, { global: { plugins: [fx.pinia] }, attachTo: document.body });
    await flushPromises();
    const file = new File(['{}'], 'huge.json', { type: 'application/json' });
    Object.defineProperty(file, 'size', { value: 70 * 1024 * 1024 + 512 * 1024 });
    const input = wrapper.get('input[type="file"]');
    Object.defineProperty(input.element, 'files', { value: [file], configurable: true });
    await input.trigger('change');
    await flushPromises();
    const dialog = wrapper.get('[role="dialog"]');
    expect(dialog.text()).toContain('huge.json');
    expect(dialog.text()).toContain('the file is 70.5 MiB; a profiles file is at most 5.0 MiB');
    expect(dialog.text()).not.toMatch(/\bMB\b/);
    expect(fx.fake.calls.some((c) => c.name === 'profiles:import')).toBe(false);
  });
});
