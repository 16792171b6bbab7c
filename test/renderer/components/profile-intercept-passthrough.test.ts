/**
 * A profile's intercept passthrough hosts (issue 13) in the editor: read into the draft as one
 * pattern a line, saved as the list of non-blank lines (none: left out), a change counted, a
 * tab's Save keeping the profile's list; the row checks each line as typed and names the line
 * and the pattern, and a problem the engine placed at `interceptPassthrough.<i>` is shown at the
 * line it came from.
 */
import { mount, type VueWrapper } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defineComponent, h, ref } from 'vue';
import ProfileInterceptPassthrough from '../../../src-renderer/src/components/ProfileInterceptPassthrough.vue';
import { checkEditorDraft, editorDraftFromView, editorDraftToInput, editorFingerprint, emptyEditorDraft } from '../../../src-renderer/src/connection-form/profile-editor-draft';
import { useProfileTabsStore } from '../../../src-renderer/src/stores/profile-tabs-store';
import { placeLabel } from '../../../src-renderer/src/util/problem-place';
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

function mountRow(text: string, problems: Record<string, string> = {}): { w: VueWrapper; value: { value: string } } {
  const value = ref(text);
  const Host = defineComponent({
    setup: () => () => h('div', [h(ProfileInterceptPassthrough, { modelValue: value.value, problems, 'onUpdate:modelValue': (v: string) => (value.value = v) })]),
  });
  const w = mount(Host, { global: { plugins: [fx.pinia] }, attachTo: document.body });
  wrappers.push(w);
  return { w, value };
}

describe("a profile's intercept passthrough hosts in the editor", () => {
  it('are one pattern a line in the draft, saved as the non-blank lines (none: left out), and a change counts', () => {
    const draft = editorDraftFromView(fullView({ interceptPassthrough: ['*.bank.example', '10.0.0.5'] }));
    expect(draft.interceptPassthrough).toBe('*.bank.example\n10.0.0.5');
    expect(editorDraftToInput(draft).interceptPassthrough).toEqual(['*.bank.example', '10.0.0.5']);
    const before = editorFingerprint(draft);
    draft.interceptPassthrough = '  *.bank.example \n\n10.0.0.5\npinned.example\n';
    expect(editorFingerprint(draft)).not.toBe(before);
    expect(editorDraftToInput(draft).interceptPassthrough).toEqual(['*.bank.example', '10.0.0.5', 'pinned.example']);
    draft.interceptPassthrough = '\n  \n';
    expect('interceptPassthrough' in editorDraftToInput(draft)).toBe(false);
    expect(emptyEditorDraft().interceptPassthrough).toBe('');
  });

  it('a bad pattern is a problem at its place, worded with the pattern; the place reads as the editor counts', () => {
    const draft = editorDraftFromView(fullView());
    draft.interceptPassthrough = 'ok.example\n\nhttps://bad.example/';
    const { problems } = checkEditorDraft(draft);
    expect(problems['interceptPassthrough.1']).toBe('not a passthrough pattern: "https://bad.example/" is a URL: give the host alone (api.example.com)');
    expect(placeLabel('interceptPassthrough.1')).toBe('passthrough host 2');
  });

  it('the row checks each line as typed and names the line; an engine problem shows at the line it came from', async () => {
    const { w, value } = mountRow('ok.example');
    expect(w.findAll('[data-testid="profile-intercept-passthrough-problem"]')).toHaveLength(0);
    await w.get('[data-testid="profile-intercept-passthrough"]').setValue('ok.example\n\napi.example.com:443');
    expect(value.value).toBe('ok.example\n\napi.example.com:443');
    expect(w.get('[data-testid="profile-intercept-passthrough-problem"]').text()).toBe(
      '✖ line 3: not a passthrough pattern: "api.example.com:443" has a port: the list is of hosts, every port of a host passes (give api.example.com)',
    );
    expect(w.get('[data-testid="profile-intercept-passthrough"]').attributes('aria-invalid')).toBe('true');

    const engine = mountRow('a.example\n\n\nA.example', { 'interceptPassthrough.1': '"A.example" is on the list already (entry 1, "a.example")' });
    expect(engine.w.get('[data-testid="profile-intercept-passthrough-problem"]').text()).toBe('✖ line 4: "A.example" is on the list already (entry 1, "a.example")');
  });

  it("a tab's Save keeps the profile's list (the tab has no such field)", async () => {
    const result = fx.fake.profiles.handlers['profiles:save']?.({ profile: { name: 'Corp', url: 'wss://echo.test/', proxy: { mode: 'none' }, tls: {}, interceptPassthrough: ['pinned.example'] } });
    if (!result?.ok) throw new Error('profile seed failed');
    const id = [...fx.fake.profiles.views.keys()].at(-1) ?? '';
    const tab = await useProfileTabsStore().openInTab(id);
    if (!tab) throw new Error('no tab');
    expect(await useProfileTabsStore().saveTab(tab.id)).toBe(true);
    expect(fx.fake.profiles.views.get(id)?.interceptPassthrough).toEqual(['pinned.example']);
  });
});
