/**
 * A profile's decode choice (issue 14): the editor's Decode row (Auto, None, every protocol the
 * engine decodes), the save input carrying it (auto left out, as older profiles have it), a tab
 * opened from the profile decoding as it says, and a tab's Save storing the tab's choice.
 */
import { mount, type VueWrapper } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defineComponent, h, ref } from 'vue';
import ProfileDecodeSelect from '../../../src-renderer/src/components/ProfileDecodeSelect.vue';
import { editorDraftFromView, editorDraftToInput, editorFingerprint, emptyEditorDraft } from '../../../src-renderer/src/connection-form/profile-editor-draft';
import { useDecodingStore } from '../../../src-renderer/src/stores/decoding-store';
import { useProfileTabsStore } from '../../../src-renderer/src/stores/profile-tabs-store';
import { profileInputSchema } from '../../../src-main/shared/profiles';
import { fullView } from '../stores/profile-fixtures';
import { createFixture, type Fixture } from './store-fixture';

let fx: Fixture;
const wrappers: VueWrapper[] = [];

beforeEach(() => {
  fx = createFixture();
});
afterEach(() => {
  for (const w of wrappers.splice(0)) w.unmount();
});

function seedProfile(name: string, decode?: string): string {
  const result = fx.fake.profiles.handlers['profiles:save']?.({
    profile: { name, url: 'wss://echo.test/', proxy: { mode: 'none' }, tls: {}, ...(decode !== undefined ? { decode } : {}) },
  });
  if (!result?.ok) throw new Error('profile seed failed');
  return [...fx.fake.profiles.views.keys()].at(-1) ?? '';
}

function savedDecode(id: string): string | undefined {
  return fx.fake.profiles.views.get(id)?.decode;
}

describe("a profile's decode choice", () => {
  it('is read, saved (auto left out) and counted as a change in the editor draft', () => {
    const draft = editorDraftFromView(fullView({ decode: 'stomp' }));
    expect(draft.decode).toBe('stomp');
    const input = editorDraftToInput(draft);
    expect(input.decode).toBe('stomp');
    expect(profileInputSchema.safeParse(input).success).toBe(true);
    const before = editorFingerprint(draft);
    draft.decode = 'auto';
    expect(editorFingerprint(draft)).not.toBe(before);
    expect('decode' in editorDraftToInput(draft)).toBe(false);
    expect(emptyEditorDraft().decode).toBe('auto');
    expect(profileInputSchema.safeParse({ ...input, decode: 'Not a protocol' }).success).toBe(false);
  });

  it("the editor's Decode row offers Auto, None and every protocol", async () => {
    const value = ref('auto');
    const Host = defineComponent({ setup: () => () => h('div', [h(ProfileDecodeSelect, { modelValue: value.value, 'onUpdate:modelValue': (v: string) => (value.value = v) })]) });
    const w = mount(Host, { global: { plugins: [fx.pinia] }, attachTo: document.body });
    wrappers.push(w);
    const select = w.get('[data-testid="profile-decode"]');
    expect(select.findAll('option').map((o) => o.text())).toEqual(expect.arrayContaining(['Auto (recognise the protocol)', 'None', 'Socket.IO', 'STOMP', 'MQTT', 'GraphQL over WebSocket']));
    await select.setValue('mqtt');
    expect(value.value).toBe('mqtt');
  });

  it('a tab opened from the profile decodes as it says, and its Save stores the tab\'s choice', async () => {
    const id = seedProfile('broker', 'stomp');
    const tab = await useProfileTabsStore().openInTab(id);
    if (!tab) throw new Error('no tab');
    const decoding = useDecodingStore();
    expect(decoding.choiceOf(tab.id)).toBe('stomp');
    await decoding.choose(tab.id, null, 'none');
    expect(await useProfileTabsStore().saveTab(tab.id)).toBe(true);
    expect(savedDecode(id)).toBe('none');
    await decoding.choose(tab.id, null, 'auto');
    expect(await useProfileTabsStore().saveTab(tab.id)).toBe(true);
    expect(savedDecode(id)).toBeUndefined();

    const plain = await useProfileTabsStore().openInTab(seedProfile('plain'));
    if (!plain) throw new Error('no tab');
    expect(decoding.choiceOf(plain.id)).toBe('auto');
  });
});
