/** A tab's form made from a profile and back: secrets only as "kept", unsaved changes, how it connects. */
import { describe, expect, it } from 'vitest';
import { profileInputSchema, type ProfileView } from '../../../src-main/shared/profiles';
import { fullView } from '../stores/profile-fixtures';
import { connectionOptionsSchema } from '../../../src-main/shared/model';
import { draftDiffers, draftFingerprint, draftFromProfile, linkFor, openArgFor, profileInputFromDraft, savedSecretsRequest } from '../../../src-renderer/src/connection-form/profile-draft';
import { draftToOptions, emptyDraft } from '../../../src-renderer/src/connection-form/connection-draft';

describe('draftFromProfile', () => {
  it('fills every form field and marks the saved secrets as kept, with empty values', () => {
    const draft = draftFromProfile(fullView());
    expect(draft).toMatchObject({
      url: 'wss://gw.example/socket',
      proxyMode: 'manual',
      proxyUrl: 'http://proxy.corp:8080',
      proxyUsername: 'alice',
      proxyPassword: '',
      proxyCaFiles: ['/proxy-ca.pem'],
      subprotocols: ['graphql-ws'],
      origin: 'https://app.example',
      caFiles: ['/corp-root.pem'],
      certFile: '/client.pem',
      keyFile: '/client-key.pem',
      passphrase: '',
      // The profile's older handshake timeout is the TLS and the upgrade deadline.
      timeouts: { proxyConnectMs: 10_000, proxyAnswerMs: 15_000, tlsMs: 7000, upgradeMs: 7000, openMs: 0 },
      historyFrames: 250_000,
      historyMegabytes: 64,
      keptSecrets: { proxyPassword: true, passphrase: true },
    });
    expect(draft.headers).toEqual([
      { key: expect.any(Number), name: 'Authorization', value: '', secret: true, profileHeaderId: 'h1', kept: true, savedValue: true },
      { key: expect.any(Number), name: 'X-Client', value: 'tunnelscope', secret: false, profileHeaderId: 'h2' },
    ]);
  });

  it.each(['system', 'env'] as const)('shows a profile set to %s as it is, connects with it and saves it unchanged', (mode) => {
    const view = fullView({ proxy: { mode, password: { set: false }, caFiles: [] } });
    const draft = draftFromProfile(view);
    expect(draft.proxyMode).toBe(mode);
    expect(draftToOptions(draft).proxy).toEqual({ mode });
    expect(profileInputFromDraft(draft, view, view.name).proxy.mode).toBe(mode);
    expect(draftDiffers(draft, linkFor(view))).toBe(false);
  });

  it('saves Auto when the user switches a System profile to Auto', () => {
    const view = fullView({ proxy: { mode: 'system', password: { set: false }, caFiles: [] } });
    const draft = draftFromProfile(view);
    draft.proxyMode = 'auto';
    expect(profileInputFromDraft(draft, view, view.name).proxy.mode).toBe('auto');
    expect(draftDiffers(draft, linkFor(view))).toBe(true);
  });

  it('reads a PAC source of each kind', () => {
    const pac = (source: NonNullable<ProfileView['proxy']['pac']>) => draftFromProfile(fullView({ proxy: { mode: 'pac', pac: source, password: { set: false }, caFiles: [] } }));
    expect(pac({ kind: 'script', script: 'function FindProxyForURL(){return "DIRECT"}' })).toMatchObject({ pacKind: 'script', pacScript: 'function FindProxyForURL(){return "DIRECT"}' });
    expect(pac({ kind: 'url', url: 'http://wpad/proxy.pac' })).toMatchObject({ pacKind: 'location', pacLocation: 'http://wpad/proxy.pac' });
    expect(pac({ kind: 'file', path: '/etc/proxy.pac' })).toMatchObject({ pacKind: 'location', pacLocation: '/etc/proxy.pac' });
  });
});

describe('profileInputFromDraft', () => {
  it('round-trips an unchanged form: every secret kept, the hidden fields as they were', () => {
    const view = fullView();
    const input = profileInputFromDraft(draftFromProfile(view), view, view.name);
    expect(profileInputSchema.safeParse(input).success).toBe(true);
    expect(input).toMatchObject({
      id: 'p1',
      name: 'prod gateway',
      headers: [
        { id: 'h1', name: 'Authorization', secret: true, value: { set: true } },
        { id: 'h2', name: 'X-Client', secret: false, value: 'tunnelscope' },
      ],
      proxy: { mode: 'manual', url: 'http://proxy.corp:8080', username: 'alice', password: { set: true }, caFiles: ['/proxy-ca.pem'] },
      tls: { passphrase: { set: true }, certFile: '/client.pem', keyFile: '/client-key.pem' },
      reconnect: view.reconnect,
      savedMessages: view.savedMessages,
    });
  });

  it('sends typed secrets as replacements, and a new form (no base) never claims a kept secret', () => {
    const draft = emptyDraft('wss://x.test/');
    draft.proxyMode = 'manual';
    draft.proxyUrl = 'http://p.test:3128';
    draft.proxyUsername = 'bob';
    draft.proxyPassword = 'typed-pw';
    draft.headers = [{ name: 'Authorization', value: 'Bearer t', secret: true }, { name: '  ', value: 'dropped' }];
    draft.keptSecrets = { proxyPassword: true, passphrase: true };
    const input = profileInputFromDraft(draft, null, ' new one ');
    expect(input).not.toHaveProperty('id');
    expect(input.name).toBe('new one');
    expect(input.proxy.password).toEqual({ value: 'typed-pw' });
    expect(input.tls.passphrase).toEqual({ set: false });
    expect(input.headers).toEqual([{ name: 'Authorization', secret: true, value: { value: 'Bearer t' } }]);
    expect(input.savedMessages).toEqual([]);
    expect(profileInputSchema.safeParse(input).success).toBe(true);
  });
});

describe('unsaved changes and connecting', () => {
  it('an unchanged tab connects by profile id; a change shows as unsaved', () => {
    const view = fullView();
    const draft = draftFromProfile(view);
    const link = linkFor(view);
    expect(draftDiffers(draft, link)).toBe(false);
    expect(openArgFor(draft, link)).toEqual({ profileId: 'p1', label: 'prod gateway' });
    draft.url = 'wss://gw.example/other';
    expect(draftDiffers(draft, link)).toBe(true);
    // Trimming or an empty extra CA line is not a change.
    draft.url = ' wss://gw.example/socket ';
    draft.caFiles = ['/corp-root.pem', ' '];
    expect(draftDiffers(draft, link)).toBe(false);
  });

  it('a changed tab connects with its options, and asks the engine for the secrets it kept', () => {
    const view = fullView();
    const draft = draftFromProfile(view);
    const link = linkFor(view);
    draft.url = 'wss://gw.example/v2';
    // An empty header row in front: indexes count the headers that are sent.
    draft.headers.unshift({ name: ' ', value: '' });
    const arg = openArgFor(draft, link);
    expect(arg).toMatchObject({ label: 'prod gateway', options: { url: 'wss://gw.example/v2' } });
    expect(arg.savedSecrets).toEqual({ profileId: 'p1', proxyPassword: true, passphrase: true, headers: [{ index: 0, profileHeaderId: 'h1' }] });
    expect(connectionOptionsSchema.safeParse(arg.options).success).toBe(true);
    expect(JSON.stringify(arg)).not.toMatch(/secret-value/);

    // A secret typed again is the form's own; with every one typed (or dropped) nothing is asked.
    draft.proxyPassword = 'pw';
    expect(savedSecretsRequest(draft, 'p1')).toMatchObject({ proxyPassword: false, passphrase: true });
    draft.passphrase = 'pp';
    draft.headers = draft.headers.filter((h) => !h.secret);
    expect(savedSecretsRequest(draft, 'p1')).toBeUndefined();
    expect(openArgFor(draft, link)).not.toHaveProperty('savedSecrets');
  });

  it('a typed secret counts as a change but the print never holds it', () => {
    const view = fullView();
    const draft = draftFromProfile(view);
    draft.proxyPassword = 'super-secret-value';
    expect(draftDiffers(draft, linkFor(view))).toBe(true);
    expect(draftFingerprint(draft)).not.toContain('super-secret-value');
  });

  it('a tab without a profile connects with its options', () => {
    const arg = openArgFor(emptyDraft('ws://x.test/'), null);
    expect(arg).toMatchObject({ options: { url: 'ws://x.test/' } });
    expect(arg).not.toHaveProperty('savedSecrets');
  });
});
