/**
 * A profile remembers its environment: the editor's Environment row (none, a saved one, or one
 * deleted since shown as such with a note), the save input carrying the id, a tab's Save
 * keeping it, and a tab opened from the profile selecting it (a deleted one: none, and a note).
 */
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defineComponent, h, ref } from 'vue';
import ProfileEnvironmentSelect from '../../../src-renderer/src/components/ProfileEnvironmentSelect.vue';
import { editorDraftFromView, editorDraftToInput, editorFingerprint, emptyEditorDraft } from '../../../src-renderer/src/connection-form/profile-editor-draft';
import { draftFromProfile, profileInputFromDraft } from '../../../src-renderer/src/connection-form/profile-draft';
import { useEnvironmentsStore } from '../../../src-renderer/src/environments/environments-store';
import { profileEnvironment } from '../../../src-renderer/src/environments/profile-environment';
import { useProfileNoticesStore } from '../../../src-renderer/src/stores/profile-notices-store';
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

async function saveEnvironment(name: string): Promise<string> {
  const saved = await useEnvironmentsStore().save({ name, variables: [{ name: 'host', secret: false, value: `${name}.test` }] });
  if (!saved.ok) throw new Error(`environment seed failed: ${saved.message}`);
  return saved.environment.id;
}

function seedProfile(name: string, environmentId?: string): string {
  const result = fx.fake.profiles.handlers['profiles:save']?.({
    profile: { name, url: 'wss://{{host}}/', proxy: { mode: 'none' }, tls: {}, ...(environmentId !== undefined ? { environmentId } : {}) },
  });
  if (!result?.ok) throw new Error('profile seed failed');
  return [...fx.fake.profiles.views.keys()].at(-1) ?? '';
}

describe("a profile's environment in the editor draft", () => {
  it('reads it from the view, saves it, counts a change as unsaved, and leaves it out when none', () => {
    const view = fullView({ environmentId: 'env-staging' });
    const draft = editorDraftFromView(view);
    expect(draft.environmentId).toBe('env-staging');
    const input = editorDraftToInput(draft);
    expect(input.environmentId).toBe('env-staging');
    expect(profileInputSchema.safeParse(input).success).toBe(true);
    const before = editorFingerprint(draft);
    draft.environmentId = null;
    expect(editorFingerprint(draft)).not.toBe(before);
    expect('environmentId' in editorDraftToInput(draft)).toBe(false);
    expect(emptyEditorDraft().environmentId).toBeNull();
  });

  it("a tab's Save keeps the profile's environment (the tab form has no such field)", () => {
    const view = fullView({ environmentId: 'env-staging' });
    expect(profileInputFromDraft(draftFromProfile(view), view, view.name).environmentId).toBe('env-staging');
    expect('environmentId' in profileInputFromDraft(draftFromProfile(view), null, 'new one')).toBe(false);
  });

  it('an older profile without the field reads as none; an id nobody has is "deleted"', () => {
    const environments = [{ id: 'e1', revision: 1, createdAt: 0, updatedAt: 0, name: 'Dev', variables: [] }];
    expect(profileEnvironment(undefined, environments)).toEqual({ kind: 'none' });
    expect(profileEnvironment('e1', environments)).toMatchObject({ kind: 'found', environment: { name: 'Dev' } });
    expect(profileEnvironment('gone', environments)).toEqual({ kind: 'deleted', id: 'gone' });
  });
});

describe("the editor's Environment row", () => {
  function mountSelect(initial: string | null): { w: VueWrapper; value: { value: string | null } } {
    const value = ref<string | null>(initial);
    const Host = defineComponent({ setup: () => () => h('div', [h(ProfileEnvironmentSelect, { modelValue: value.value, 'onUpdate:modelValue': (v: string | null) => (value.value = v) })]) });
    const w = mount(Host, { global: { plugins: [fx.pinia] }, attachTo: document.body });
    wrappers.push(w);
    return { w, value };
  }

  it('offers No environment and the saved ones, and sets the id', async () => {
    const staging = await saveEnvironment('Staging');
    await saveEnvironment('Production');
    const { w, value } = mountSelect(null);
    await flushPromises();
    const select = w.get('select');
    expect(select.findAll('option').map((o) => o.text())).toEqual(['No environment', 'Staging', 'Production']);
    await select.setValue(staging);
    expect(value.value).toBe(staging);
    await select.setValue('');
    expect(value.value).toBeNull();
    expect(w.find('[data-testid="profile-environment-deleted"]').exists()).toBe(false);
  });

  it('shows a deleted environment as "environment deleted" with a note, and choosing another clears it', async () => {
    const staging = await saveEnvironment('Staging');
    const { w, value } = mountSelect('env-gone');
    await flushPromises();
    const select = w.get('select');
    expect((select.element as HTMLSelectElement).selectedOptions[0]?.textContent).toBe('(environment deleted)');
    expect(select.attributes('aria-invalid')).toBe('true');
    expect(w.get('[data-testid="profile-environment-deleted"]').text()).toContain("This profile's environment was deleted: it connects with no environment");
    await select.setValue(staging);
    expect(value.value).toBe(staging);
    expect(w.find('[data-testid="profile-environment-deleted"]').exists()).toBe(false);
  });
});

describe('opening a profile in a tab', () => {
  it("selects the profile's environment, so Connect sends it", async () => {
    const staging = await saveEnvironment('Staging');
    const tab = await useProfileTabsStore().openInTab(seedProfile('with staging', staging));
    if (!tab) throw new Error('no tab');
    expect(useEnvironmentsStore().chosenFor(tab.id)?.name).toBe('Staging');
    expect(useEnvironmentsStore().openArg(tab.id)).toEqual({ variables: { environmentId: staging } });
  });

  it('a profile without one opens with none; one deleted since opens with none and a note', async () => {
    const plain = await useProfileTabsStore().openInTab(seedProfile('plain'));
    if (!plain) throw new Error('no tab');
    expect(useEnvironmentsStore().chosenFor(plain.id)).toBeNull();
    expect(useProfileNoticesStore().toast).toBeNull();

    const staging = await saveEnvironment('Staging');
    const id = seedProfile('staging, deleted', staging);
    expect(await useEnvironmentsStore().remove(staging)).toBeNull();
    const tab = await useProfileTabsStore().openInTab(id);
    if (!tab) throw new Error('no tab');
    expect(useEnvironmentsStore().chosenFor(tab.id)).toBeNull();
    expect(useEnvironmentsStore().openArg(tab.id)).toEqual({});
    expect(useProfileNoticesStore().toast).toMatchObject({ tone: 'warn', message: expect.stringContaining("This profile's environment was deleted") });
  });
});
