/** The editor form's server and PAC URL passwords: made from a view as "saved" flags, back to an input, never in the print. */
import { describe, expect, it } from 'vitest';
import { profileInputSchema } from '../../../src-main/shared/profiles';
import { editorDraftFromView, editorDraftToInput, editorFingerprint } from '../../../src-renderer/src/stores/profile-editor-draft';
import { fullView } from './profile-fixtures';

function viewWithUrlPasswords() {
  return fullView({
    url: 'wss://bob@gw.example/socket',
    urlPassword: { set: true },
    proxy: { mode: 'pac', pac: { kind: 'url', url: 'http://bob@wpad.example/proxy.pac' }, password: { set: false }, pacPassword: { set: true }, caFiles: [] },
  });
}

describe('profile editor draft: URL passwords', () => {
  it('keeps saved ones as { set: true } and sends nothing for a profile without them', () => {
    const view = viewWithUrlPasswords();
    const input = editorDraftToInput(editorDraftFromView(view), view.id);
    expect(input).toMatchObject({ urlPassword: { set: true }, proxy: { pacPassword: { set: true } } });
    expect(profileInputSchema.safeParse(input).success).toBe(true);
    const plain = editorDraftToInput(editorDraftFromView(fullView()), 'p1');
    expect(plain).not.toHaveProperty('urlPassword');
    expect(plain.proxy).not.toHaveProperty('pacPassword');
  });

  it('sends no PAC password once the PAC source is a file', () => {
    const draft = editorDraftFromView(viewWithUrlPasswords());
    draft.proxy.pacKind = 'file';
    draft.proxy.pacPath = '/etc/proxy.pac';
    expect(editorDraftToInput(draft, 'p1').proxy).not.toHaveProperty('pacPassword');
  });

  it('a typed URL password reaches the input but never the print', () => {
    const draft = editorDraftFromView(viewWithUrlPasswords());
    const before = editorFingerprint(draft);
    draft.urlPassword = { saved: true, action: 'replace', value: 'typed-secret-1' };
    draft.proxy.pacPassword = { saved: true, action: 'replace', value: 'typed-secret-2' };
    const print = editorFingerprint(draft);
    expect(print).not.toBe(before);
    expect(print).not.toContain('typed-secret');
    expect(editorDraftToInput(draft, 'p1')).toMatchObject({ urlPassword: { value: 'typed-secret-1' }, proxy: { pacPassword: { value: 'typed-secret-2' } } });
  });
});
