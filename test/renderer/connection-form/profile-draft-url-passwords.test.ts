/** A profile tab whose server or PAC URL has a saved password: the form shows the URL without it, and the engine is asked to put it back. */
import { describe, expect, it } from 'vitest';
import { draftFromProfile, linkFor, openArgFor, profileInputFromDraft, savedSecretsRequest } from '../../../src-renderer/src/connection-form/profile-draft';
import { fullView } from '../stores/profile-fixtures';

function viewWithUrlPasswords() {
  const base = fullView();
  return fullView({
    url: 'wss://bob@gw.example/socket',
    urlPassword: { set: true },
    proxy: { mode: 'pac', pac: { kind: 'url', url: 'http://bob@wpad.example/proxy.pac' }, password: { set: false }, pacPassword: { set: true }, caFiles: [] },
    headers: base.headers.filter((header) => !header.secret),
    tls: { caFiles: [], insecure: false, passphrase: { set: false } },
  });
}

describe('server and PAC URL passwords in a profile tab', () => {
  it('an unchanged tab connects by profile id (the engine puts the passwords back itself)', () => {
    const view = viewWithUrlPasswords();
    expect(openArgFor(draftFromProfile(view), linkFor(view))).toEqual({ profileId: 'p1', label: 'prod gateway' });
  });

  it('a changed tab asks the engine for both saved passwords', () => {
    const view = viewWithUrlPasswords();
    const draft = draftFromProfile(view);
    draft.url = 'wss://bob@gw.example/other';
    const arg = openArgFor(draft, linkFor(view));
    expect(arg).toMatchObject({ options: { url: 'wss://bob@gw.example/other' }, savedSecrets: { profileId: 'p1', urlPassword: true, pacPassword: true } });
  });

  it('does not ask when the password was typed into the URL, or the user name is gone', () => {
    const view = viewWithUrlPasswords();
    const draft = draftFromProfile(view);
    draft.url = 'wss://bob:typed@gw.example/socket';
    draft.pacLocation = 'http://wpad.example/proxy.pac';
    expect(savedSecretsRequest(draft, 'p1')).toBeUndefined();
  });

  it('does not ask for the PAC password when the PAC is no longer a URL', () => {
    const view = viewWithUrlPasswords();
    const draft = draftFromProfile(view);
    draft.pacKind = 'script';
    draft.pacScript = 'function FindProxyForURL() { return "DIRECT"; }';
    expect(savedSecretsRequest(draft, 'p1')).toEqual({ profileId: 'p1', proxyPassword: false, passphrase: false, headers: [], urlPassword: true });
  });

  it('saving the tab leaves the passwords to the engine (kept while the URL keeps its user name)', () => {
    const view = viewWithUrlPasswords();
    const input = profileInputFromDraft(draftFromProfile(view), view, view.name);
    expect(input.url).toBe('wss://bob@gw.example/socket');
    expect(input).not.toHaveProperty('urlPassword');
    expect(input.proxy).not.toHaveProperty('pacPassword');
  });
});
