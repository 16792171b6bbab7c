import { describe, expect, it } from 'vitest';
import { draftToOptions, emptyDraft } from '../../../src-renderer/src/connection-form/connection-draft';
import { draftFingerprint, draftFromProfile, profileInputFromDraft } from '../../../src-renderer/src/connection-form/profile-draft';
import { fullView } from '../stores/profile-fixtures';

describe('the proxy sign-in scheme in the form', () => {
  it('starts at Auto, which the options leave out (the engine default)', () => {
    const draft = emptyDraft('ws://h/');
    expect(draft.proxyAuthScheme).toBe('auto');
    expect(draftToOptions(draft)).not.toHaveProperty('proxyAuthScheme');
  });

  it('goes into the options when set, but not with no proxy at all', () => {
    const draft = { ...emptyDraft('ws://h/'), proxyAuthScheme: 'digest' as const };
    expect(draftToOptions(draft).proxyAuthScheme).toBe('digest');
    expect(draftToOptions({ ...draft, proxyMode: 'none' })).not.toHaveProperty('proxyAuthScheme');
  });

  it('round-trips through a profile (proxy.auth) and changes the fingerprint', () => {
    const view = fullView();
    const withDigest = { ...view, proxy: { ...view.proxy, auth: 'digest' as const } };
    const draft = draftFromProfile(withDigest);
    expect(draft.proxyAuthScheme).toBe('digest');
    expect(profileInputFromDraft(draft, withDigest, withDigest.name).proxy.auth).toBe('digest');
    expect(profileInputFromDraft(draftFromProfile(view), view, view.name).proxy).not.toHaveProperty('auth');
    expect(draftFingerprint(draft)).not.toBe(draftFingerprint({ ...draft, proxyAuthScheme: 'basic' }));
  });

  it('the NTLM domain: with Auto/PAC credentials in proxyAuth, with a manual proxy beside its own credentials; never without a proxy', () => {
    const draft = { ...emptyDraft('ws://h/'), proxyUsername: 'alice', proxyPassword: 'pw', proxyAuthScheme: 'ntlm' as const, proxyDomain: ' CORP ' };
    expect(draftToOptions(draft).proxyAuth).toEqual({ username: 'alice', password: 'pw', domain: 'CORP' });
    const manual = { ...draft, proxyMode: 'manual' as const, proxyUrl: 'http://proxy.corp:3128' };
    expect(draftToOptions(manual)).toMatchObject({
      proxy: { mode: 'manual', username: 'alice', password: 'pw' },
      proxyAuth: { username: 'alice', password: 'pw', domain: 'CORP' },
      proxyAuthScheme: 'ntlm',
    });
    // Without a domain a manual proxy's credentials stay in its setting alone, as before.
    expect(draftToOptions({ ...manual, proxyDomain: '' })).not.toHaveProperty('proxyAuth');
    expect(draftToOptions({ ...draft, proxyMode: 'none' })).not.toHaveProperty('proxyAuth');
  });

  it('the NTLM domain round-trips through a profile (proxy.domain) and changes the fingerprint', () => {
    const view = fullView();
    const withDomain = { ...view, proxy: { ...view.proxy, auth: 'ntlm' as const, domain: 'CORP' } };
    const draft = draftFromProfile(withDomain);
    expect([draft.proxyAuthScheme, draft.proxyDomain]).toEqual(['ntlm', 'CORP']);
    expect(profileInputFromDraft(draft, withDomain, withDomain.name).proxy).toMatchObject({ auth: 'ntlm', domain: 'CORP' });
    expect(profileInputFromDraft(draftFromProfile(view), view, view.name).proxy).not.toHaveProperty('domain');
    expect(draftFingerprint(draft)).not.toBe(draftFingerprint({ ...draft, proxyDomain: 'OTHER' }));
  });
});

describe('the Negotiate service principal in the form', () => {
  it('goes into the options as proxyAuthServicePrincipal when set, trimmed; not without a proxy, not when empty', () => {
    const draft = { ...emptyDraft('ws://h/'), proxyAuthScheme: 'negotiate' as const, proxyServicePrincipal: ' HTTP@proxy.corp ' };
    expect(draftToOptions(draft).proxyAuthServicePrincipal).toBe('HTTP@proxy.corp');
    expect(draftToOptions({ ...draft, proxyMode: 'none' })).not.toHaveProperty('proxyAuthServicePrincipal');
    expect(draftToOptions({ ...draft, proxyServicePrincipal: '' })).not.toHaveProperty('proxyAuthServicePrincipal');
  });

  it('round-trips through a profile (proxy.servicePrincipal), so an edit in the editor keeps it, and changes the fingerprint', () => {
    const view = fullView();
    const withSpn = { ...view, proxy: { ...view.proxy, auth: 'negotiate' as const, servicePrincipal: 'HTTP@proxy.corp' } };
    const draft = draftFromProfile(withSpn);
    expect(draft.proxyServicePrincipal).toBe('HTTP@proxy.corp');
    expect(profileInputFromDraft(draft, withSpn, withSpn.name).proxy).toMatchObject({ auth: 'negotiate', servicePrincipal: 'HTTP@proxy.corp' });
    expect(profileInputFromDraft(draftFromProfile(view), view, view.name).proxy).not.toHaveProperty('servicePrincipal');
    expect(draftFingerprint(draft)).not.toBe(draftFingerprint({ ...draft, proxyServicePrincipal: 'HTTP@other' }));
  });
});
