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
});
