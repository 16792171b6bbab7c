/** The editor form's server and PAC URL passwords: made from a view as "saved" flags, back to an input, never in the print. */
import { describe, expect, it } from 'vitest';
import { profileInputSchema } from '../../../src-main/shared/profiles';
import { editorDraftFromView, editorDraftToInput, editorFingerprint } from '../../../src-renderer/src/connection-form/profile-editor-draft';
import { fullView } from '../stores/profile-fixtures';

function viewWithUrlPasswords() {
  return fullView({
    url: 'wss://bob@gw.example/socket',
    urlPassword: { set: true },
    proxy: { mode: 'pac', pac: { kind: 'url', url: 'http://bob@wpad.example/proxy.pac' }, password: { set: false }, pacPassword: { set: true }, caFiles: [] },
  });
}

describe('profile editor draft: URL passwords', () => {
  it('leaves saved ones to the engine (kept), sends a cleared one as { set: false }, and nothing for a profile without them', () => {
    const view = viewWithUrlPasswords();
    const input = editorDraftToInput(editorDraftFromView(view));
    expect(input).not.toHaveProperty('urlPassword');
    expect(input.proxy).not.toHaveProperty('pacPassword');
    expect(profileInputSchema.safeParse(input).success).toBe(true);
    const cleared = editorDraftFromView(view);
    if (cleared.form.keptSecrets) Object.assign(cleared.form.keptSecrets, { urlPassword: false, pacPassword: false });
    expect(editorDraftToInput(cleared)).toMatchObject({ urlPassword: { set: false }, proxy: { pacPassword: { set: false } } });
    const plain = editorDraftToInput(editorDraftFromView(fullView()));
    expect(plain).not.toHaveProperty('urlPassword');
    expect(plain.proxy).not.toHaveProperty('pacPassword');
  });

  it('sends no PAC password once the PAC source is a file', () => {
    const draft = editorDraftFromView(viewWithUrlPasswords());
    draft.form.pacLocation = '/etc/proxy.pac';
    expect(editorDraftToInput(draft).proxy).not.toHaveProperty('pacPassword');
  });

  it('a typed URL password reaches the input but never the print', () => {
    const draft = editorDraftFromView(viewWithUrlPasswords());
    const before = editorFingerprint(draft);
    draft.form.urlPassword = 'typed-secret-1';
    draft.form.pacPassword = 'typed-secret-2';
    const print = editorFingerprint(draft);
    expect(print).not.toBe(before);
    expect(print).not.toContain('typed-secret');
    expect(editorDraftToInput(draft)).toMatchObject({ urlPassword: { value: 'typed-secret-1' }, proxy: { pacPassword: { value: 'typed-secret-2' } } });
  });
});
