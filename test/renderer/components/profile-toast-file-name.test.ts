/**
 * The profiles' toast and a file name (QA: the export's toast in the 200 px sidebar broke
 * "Flood-local.tunnelscope.js / on"): the file name is one unbroken run of the message, the
 * words around it wrap as before, and the text reads the same. Its width is checked in
 * Chromium by e2e proxy-saved-password-row (the export's toast, file name on one line).
 */
import { mount, type VueWrapper } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import ProfileToast from '../../../src-renderer/src/components/ProfileToast.vue';
import { useProfileNoticesStore } from '../../../src-renderer/src/stores/profile-notices-store';
import { fileNameRuns } from '../../../src-renderer/src/util/file-name-runs';
import { createFixture, settle, type Fixture } from './store-fixture';

let fx: Fixture;
let wrapper: VueWrapper | undefined;

beforeEach(() => {
  fx = createFixture();
});
afterEach(() => {
  wrapper?.unmount();
  wrapper = undefined;
});

describe('a file name in the profiles toast', () => {
  it('is one unbroken run, the sentence around it unchanged', async () => {
    wrapper = mount(ProfileToast, { global: { plugins: [fx.pinia] }, attachTo: document.body });
    const message = 'Exported 1 profile to Flood-local.tunnelscope.json, secrets left out.';
    useProfileNoticesStore().showToast(message, 'warn');
    await settle();
    const names = wrapper.findAll('.message .file-name').map((n) => n.text());
    expect(names).toEqual(['Flood-local.tunnelscope.json']);
    expect(wrapper.get('.message').text()).toBe(message);
  });

  it('finds file names and paths, not words, and keeps closing punctuation outside', () => {
    const names = (text: string) => fileNameRuns(text).filter((r) => r.fileName).map((r) => r.text);
    expect(names('Exported 2 profiles to /home/alice/Downloads/profiles.tunnelscope.json — with secrets in clear text: keep it private.')).toEqual([
      '/home/alice/Downloads/profiles.tunnelscope.json',
    ]);
    expect(names('Saved “local echo”.')).toEqual([]);
    expect(names('Imported 3 profiles from “team.json”.')).toEqual(['team.json']);
    const text = 'Exported 1 profile to a.json, secrets left out. 1 secret was left out.';
    expect(fileNameRuns(text).map((r) => r.text).join('')).toBe(text);
  });
});
