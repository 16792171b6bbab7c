/**
 * The profile editor's tests' set-up: the editor dialog opened on a profile (or a new one) over
 * the fixture's Pinia, and the two ways its tests find what they act on (a button by its label
 * or text, a field by its label).
 */
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import ProfileDialogs from '../../../src-renderer/src/components/ProfileDialogs.vue';
import { useProfileEditorStore } from '../../../src-renderer/src/stores/profile-editor-store';
import type { Fixture } from './store-fixture';

/** The editor on profile `id`, or on a new profile for null; unmount it after the test. */
export async function mountProfileEditor(fx: Fixture, id: string | null): Promise<VueWrapper> {
  const editorStore = useProfileEditorStore();
  if (id === null) editorStore.startCreate();
  else await editorStore.startEdit(id);
  const wrapper = mount(ProfileDialogs, { global: { plugins: [fx.pinia] }, attachTo: document.body });
  await flushPromises();
  return wrapper;
}

export function button(w: VueWrapper, name: string) {
  const found = w.findAll('button').find((b) => (b.attributes('aria-label') ?? b.text().trim()) === name);
  if (!found) throw new Error(`no button "${name}"; have: ${w.findAll('button').map((b) => b.attributes('aria-label') ?? b.text().trim()).join(' | ')}`);
  return found;
}

export function byLabel(w: VueWrapper, text: string) {
  const label = w.findAll('label').find((l) => l.text().trim() === text);
  if (!label) throw new Error(`no label "${text}"`);
  return w.get(`[id="${label.attributes('for') ?? ''}"]`);
}
