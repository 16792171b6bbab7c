/**
 * A profile's trust setting through the UI's drafts: the editor and a profile tab read it from
 * the view (absent: Mozilla + OS) and write it back only when it is not the default, and a
 * changed setting makes the tab differ from its profile.
 */
import { describe, expect, it } from 'vitest';
import { editorDraftFromView, editorDraftToInput } from '../../../src-renderer/src/connection-form/profile-editor-draft';
import { draftFingerprint, draftFromProfile, profileInputFromDraft } from '../../../src-renderer/src/connection-form/profile-draft';
import { draftToOptions } from '../../../src-renderer/src/connection-form/connection-draft';
import { fullView } from '../stores/profile-fixtures';

describe('trust in profile drafts', () => {
  it('the editor reads and writes it; the default is written as nothing', () => {
    const view = fullView();
    const withTrust = { ...view, tls: { ...view.tls, trust: 'mozilla' as const } };
    const editor = editorDraftFromView(withTrust);
    expect(editor.form.trust).toBe('mozilla');
    expect(editorDraftToInput(editor).tls?.trust).toBe('mozilla');
    const plain = editorDraftFromView({ ...view, tls: { ...view.tls, trust: undefined } });
    expect(plain.form.trust).toBe('mozilla+os');
    expect(editorDraftToInput(plain).tls?.trust).toBeUndefined();
  });

  it('a profile tab carries it into the options and back into the profile; changing it shows as a change', () => {
    const view = fullView();
    const draft = draftFromProfile({ ...view, tls: { ...view.tls, trust: 'ca-files' } });
    expect(draft.trust).toBe('ca-files');
    expect(draftToOptions(draft).tls?.trust).toBe('ca-files');
    expect(profileInputFromDraft(draft, view, view.name).tls?.trust).toBe('ca-files');
    const before = draftFingerprint(draft);
    draft.trust = 'mozilla+os';
    expect(draftFingerprint(draft)).not.toBe(before);
    expect(profileInputFromDraft(draft, view, view.name).tls?.trust).toBeUndefined();
  });
});
