/**
 * Passwords in the server URL and the PAC URL (`ws://bob:hunter2@host/`) are treated like the
 * proxy password: moved out of the URL into encrypted fields on save and import, shown only
 * as "set", left out of an export unless asked for, and put back only when connecting. A file
 * written before they were moved out (the password in clear in the URL) is read, redacted
 * everywhere, and sealed by the next save.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProfileService } from '../../../src-main/core/profiles/profile-service';
import { KeyFileCipher } from '../../../src-main/core/secrets/keyfile-cipher';
import { savedSecretsSchema } from '../../../src-main/shared/commands';
import { connectionOptionsSchema } from '../../../src-main/shared/model';
import { profileCommandSchemas, profileInputFromView, profileViewSchema, type ProfileInputDraft, type ProfileView } from '../../../src-main/shared/profiles';
import { errorOf, engineWithProfilesPerTest, valueOf } from './profile-fixtures';

const PASSWORD = 'hunter2';
/** What `bob:hunter2` becomes in a Basic header: must not be stored either. */
const BASIC = Buffer.from(`bob:${PASSWORD}`).toString('base64');

const ctx = engineWithProfilesPerTest();

function withCredentials(name = 'creds'): ProfileInputDraft {
  return {
    name,
    url: `ws://bob:${PASSWORD}@127.0.0.1:9/feed?x=1`,
    proxy: { mode: 'pac', pac: { kind: 'url', url: `http://bob:${PASSWORD}@127.0.0.1:9/proxy.pac` } },
    tls: {},
  };
}

async function save(arg: unknown): Promise<ProfileView> {
  return profileViewSchema.parse(valueOf(await ctx.engine.invoke('profiles:save', arg)));
}

function storedText(): string {
  return fs.readFileSync(path.join(ctx.dir, 'profiles.json'), 'utf8');
}

async function connectionOf(id: string): Promise<{ url: string; pacUrl: string | undefined }> {
  const service = new ProfileService({ dataDir: ctx.dir, cipher: KeyFileCipher.open(ctx.dir) });
  const { options } = valueOf(await service.connection(id));
  return { url: options.url, pacUrl: options.proxy.mode === 'pac' && options.proxy.source.kind === 'url' ? options.proxy.source.url : undefined };
}

describe('server and PAC URL passwords: save', () => {
  it('moves them into encrypted fields; the view and the file never hold them; the connection gets them back', async () => {
    const saved = await save({ profile: withCredentials() });
    expect(saved.url).toBe('ws://bob@127.0.0.1:9/feed?x=1');
    expect(saved.urlPassword).toEqual({ set: true });
    expect(saved.proxy.pac).toEqual({ kind: 'url', url: 'http://bob@127.0.0.1:9/proxy.pac' });
    expect(saved.proxy.pacPassword).toEqual({ set: true });

    const stored = storedText();
    expect(stored).not.toContain(PASSWORD);
    expect(stored).not.toContain(BASIC);
    expect(JSON.stringify(await ctx.engine.call('profiles:list', {}))).not.toContain(PASSWORD);
    expect(JSON.stringify(await ctx.engine.call('profiles:get', { id: saved.id }))).not.toContain(PASSWORD);

    expect(await connectionOf(saved.id)).toEqual({ url: `ws://bob:${PASSWORD}@127.0.0.1:9/feed?x=1`, pacUrl: `http://bob:${PASSWORD}@127.0.0.1:9/proxy.pac` });
  });

  it('keeps them when the view is saved back, replaces them when a new one is typed, drops them with the user name', async () => {
    const saved = await save({ profile: withCredentials() });
    const again = await save({ profile: { ...profileInputFromView(saved), handshakeTimeoutMs: 2000 }, expectedRevision: 1 });
    expect(again).toMatchObject({ urlPassword: { set: true }, proxy: { pacPassword: { set: true } } });
    expect((await connectionOf(saved.id)).url).toBe(`ws://bob:${PASSWORD}@127.0.0.1:9/feed?x=1`);

    // The renderer's own input leaves the fields out: that keeps them too.
    const { urlPassword: _u, ...withoutField } = profileInputFromView(again);
    await save({ profile: { ...withoutField, url: 'ws://bob:n3w%40pw@127.0.0.1:9/feed?x=1' }, expectedRevision: 2 });
    expect((await connectionOf(saved.id)).url).toBe('ws://bob:n3w%40pw@127.0.0.1:9/feed?x=1');

    const view = valueOf(await ctx.engine.call('profiles:get', { id: saved.id }));
    const noUser = await save({
      profile: { ...profileInputFromView(view), url: 'ws://127.0.0.1:9/feed?x=1', proxy: { ...profileInputFromView(view).proxy, pac: { kind: 'url', url: 'http://127.0.0.1:9/proxy.pac' } } },
      expectedRevision: 3,
    });
    expect(noUser).toMatchObject({ urlPassword: { set: false }, proxy: { pacPassword: { set: false } } });
    expect(await connectionOf(saved.id)).toEqual({ url: 'ws://127.0.0.1:9/feed?x=1', pacUrl: 'http://127.0.0.1:9/proxy.pac' });
  });

  it('clears them on { set: false } and drops the PAC password when the PAC is no longer a URL', async () => {
    const saved = await save({ profile: withCredentials() });
    const input = profileInputFromView(saved);
    const cleared = await save({
      profile: { ...input, urlPassword: { set: false }, proxy: { ...input.proxy, pac: { kind: 'file', path: '/etc/proxy.pac' }, pacPassword: { set: true } } },
      expectedRevision: 1,
    });
    expect(cleared).toMatchObject({ url: 'ws://bob@127.0.0.1:9/feed?x=1', urlPassword: { set: false }, proxy: { pacPassword: { set: false } } });
    expect((await connectionOf(saved.id)).url).toBe('ws://bob@127.0.0.1:9/feed?x=1');
  });

  it.each([
    [{ url: `ws://:${PASSWORD}@127.0.0.1:9/` }, 'profile.url', /no user name|needs a user name/],
    [{ urlPassword: { value: PASSWORD } }, 'profile.urlPassword', /only sent with a user name/],
    [{ urlPassword: { set: true }, url: 'ws://bob@127.0.0.1:9/' }, 'profile.urlPassword', /no stored secret to keep/],
    [{ proxy: { mode: 'pac', pac: { kind: 'url', url: `http://bob:${PASSWORD}@bad host/x.pac` } } }, 'profile.proxy.pac.url', /not a valid URL|not allowed/],
    [{ proxy: { mode: 'pac', pac: { kind: 'url', url: `http://:${PASSWORD}@127.0.0.1:9/x.pac` } } }, 'profile.proxy.pac.url', /no user name|needs a user name/],
    [{ proxy: { mode: 'pac', pac: { kind: 'url', url: 'http://127.0.0.1:9/x.pac' }, pacPassword: { value: PASSWORD } } }, 'profile.proxy.pacPassword', /only sent with a user name/],
  ])('refuses %j at %s, without repeating the password', async (change, where, text) => {
    const error = errorOf(await ctx.engine.invoke('profiles:save', { profile: { name: 'bad', url: 'ws://127.0.0.1:9/', proxy: { mode: 'none' }, tls: {}, ...change } }));
    expect(error).toMatchObject({ code: 'INVALID_ARGUMENT', path: where });
    expect(error.message).toMatch(text);
    expect(error.message).not.toContain(PASSWORD);
    expect(fs.existsSync(path.join(ctx.dir, 'profiles.json'))).toBe(false);
  });
});

describe('server and PAC URL passwords: export and import', () => {
  it('leaves them out of an export without secrets (containsSecrets false), and says how many', async () => {
    await save({ profile: withCredentials() });
    const result = valueOf(await ctx.engine.call('profiles:export', { includeSecrets: false }));
    expect(result.text).not.toContain(PASSWORD);
    expect(result.containsSecrets).toBe(false);
    expect(JSON.parse(result.text)).toMatchObject({ containsSecrets: false, profiles: [{ url: 'ws://bob@127.0.0.1:9/feed?x=1' }] });
    expect(result.warnings.join(' ')).toContain('2 secret(s) were left out');
  });

  it('holds them as separate fields in an export with secrets (containsSecrets true), and an import stores them encrypted again', async () => {
    await save({ profile: withCredentials() });
    const result = valueOf(await ctx.engine.call('profiles:export', { includeSecrets: true }));
    expect(result.containsSecrets).toBe(true);
    const file = JSON.parse(result.text) as { containsSecrets: boolean; profiles: unknown[] };
    expect(file.containsSecrets).toBe(true);
    expect(file.profiles[0]).toMatchObject({
      url: 'ws://bob@127.0.0.1:9/feed?x=1',
      urlPassword: PASSWORD,
      proxy: { pac: { kind: 'url', url: 'http://bob@127.0.0.1:9/proxy.pac' }, pacPassword: PASSWORD },
    });

    const imported = valueOf(await ctx.engine.call('profiles:import', { text: result.text }));
    expect(imported.problems).toEqual([]);
    const id = imported.imported[0]?.id ?? '';
    expect(storedText()).not.toContain(PASSWORD);
    expect(await connectionOf(id)).toEqual({ url: `ws://bob:${PASSWORD}@127.0.0.1:9/feed?x=1`, pacUrl: `http://bob:${PASSWORD}@127.0.0.1:9/proxy.pac` });
  });

  it('imports a file with the passwords written into the URLs: stored encrypted, counted as secrets', async () => {
    const text = JSON.stringify({ format: 'tunnelscope-profiles', version: 2, profiles: [withCredentials('hand-written')] });
    const imported = valueOf(await ctx.engine.call('profiles:import', { text }));
    expect(imported.problems).toEqual([]);
    expect(storedText()).not.toContain(PASSWORD);
    const view = valueOf(await ctx.engine.call('profiles:get', { id: imported.imported[0]?.id ?? '' }));
    expect(view).toMatchObject({ url: 'ws://bob@127.0.0.1:9/feed?x=1', urlPassword: { set: true }, proxy: { pacPassword: { set: true } } });
  });

  it('reports a URL password it cannot store, with the place, and imports nothing', async () => {
    const bad = { ...withCredentials('bad'), url: `ws://:${PASSWORD}@127.0.0.1:9/`, urlPassword: undefined };
    const noUser = { ...withCredentials('no-user'), proxy: { mode: 'pac', pac: { kind: 'url', url: 'http://127.0.0.1:9/p.pac' }, pacPassword: 'x' } };
    const text = JSON.stringify({ format: 'tunnelscope-profiles', version: 2, profiles: [bad, noUser] });
    const result = valueOf(await ctx.engine.call('profiles:import', { text }));
    expect(result.imported).toEqual([]);
    expect(result.problems).toEqual([
      { path: 'profiles[0].url', message: expect.stringMatching(/no user name|needs a user name/) as unknown },
      { path: 'profiles[1].proxy.pacPassword', message: expect.stringContaining('only sent with a user name') as unknown },
    ]);
    expect(JSON.stringify(result)).not.toContain(PASSWORD);
  });
});

describe('server and PAC URL passwords: a file that still has them in clear', () => {
  function writeOldFile(): void {
    const profile = {
      id: 'old-1',
      revision: 1,
      createdAt: 1,
      updatedAt: 1,
      ...withCredentials('old'),
      headers: [],
      subprotocols: [],
      proxy: { ...withCredentials().proxy, caFiles: [] },
      tls: { caFiles: [], insecure: false },
      handshakeTimeoutMs: 10_000,
      savedMessages: [],
    };
    const other = { ...profile, id: 'old-2', name: 'other', url: 'ws://127.0.0.1:9/', proxy: { mode: 'none', caFiles: [] } };
    fs.writeFileSync(path.join(ctx.dir, 'profiles.json'), JSON.stringify({ version: 2, revision: 1, profiles: [profile, other] }), { mode: 0o600 });
  }

  it('shows them as set, never in clear, and still connects with them', async () => {
    writeOldFile();
    const listed = valueOf(await ctx.engine.call('profiles:list', {}));
    expect(JSON.stringify(listed)).not.toContain(PASSWORD);
    expect(listed.profiles[0]).toMatchObject({ url: 'ws://bob@127.0.0.1:9/feed?x=1', urlPassword: { set: true }, proxy: { pacPassword: { set: true } } });
    const exported = valueOf(await ctx.engine.call('profiles:export', { includeSecrets: false }));
    expect(exported.text).not.toContain(PASSWORD);
    expect(exported.containsSecrets).toBe(false);
    const withSecrets = valueOf(await ctx.engine.call('profiles:export', { includeSecrets: true }));
    expect(withSecrets.containsSecrets).toBe(true);
    expect(JSON.parse(withSecrets.text)).toMatchObject({ profiles: [{ url: 'ws://bob@127.0.0.1:9/feed?x=1', urlPassword: PASSWORD }, {}] });
    expect((await connectionOf('old-1')).url).toBe(`ws://bob:${PASSWORD}@127.0.0.1:9/feed?x=1`);
  });

  it('is sealed by the next save of any profile', async () => {
    writeOldFile();
    expect(storedText()).toContain(PASSWORD);
    const other = valueOf(await ctx.engine.call('profiles:get', { id: 'old-2' }));
    await save({ profile: { ...profileInputFromView(other), handshakeTimeoutMs: 3000 }, expectedRevision: 1 });
    expect(storedText()).not.toContain(PASSWORD);
    expect(await connectionOf('old-1')).toEqual({ url: `ws://bob:${PASSWORD}@127.0.0.1:9/feed?x=1`, pacUrl: `http://bob:${PASSWORD}@127.0.0.1:9/proxy.pac` });
  });

  it('a format-1 file (flat pacUrl) with them in clear is read the same way and sealed by the next save', async () => {
    const v1 = { id: 'v1-1', createdAt: 1, updatedAt: 1, name: 'v1', url: `ws://bob:${PASSWORD}@127.0.0.1:9/`, proxyMode: 'pac', pacUrl: `http://bob:${PASSWORD}@127.0.0.1:9/p.pac` };
    fs.writeFileSync(path.join(ctx.dir, 'profiles.json'), JSON.stringify({ version: 1, profiles: [v1] }), { mode: 0o600 });
    const view = valueOf(await ctx.engine.call('profiles:get', { id: 'v1-1' }));
    expect(JSON.stringify(view)).not.toContain(PASSWORD);
    expect(view).toMatchObject({ urlPassword: { set: true }, proxy: { pac: { kind: 'url', url: 'http://bob@127.0.0.1:9/p.pac' }, pacPassword: { set: true } } });
    await save({ profile: profileInputFromView(view), expectedRevision: 1 });
    expect(storedText()).not.toContain(PASSWORD);
    expect(await connectionOf('v1-1')).toEqual({ url: `ws://bob:${PASSWORD}@127.0.0.1:9/`, pacUrl: `http://bob:${PASSWORD}@127.0.0.1:9/p.pac` });
  });

  it('is sealed when that very profile is saved back from its view', async () => {
    writeOldFile();
    const view = valueOf(await ctx.engine.call('profiles:get', { id: 'old-1' }));
    const saved = await save({ profile: profileInputFromView(view), expectedRevision: 1 });
    expect(saved).toMatchObject({ url: 'ws://bob@127.0.0.1:9/feed?x=1', urlPassword: { set: true } });
    expect(storedText()).not.toContain(PASSWORD);
    expect((await connectionOf('old-1')).url).toBe(`ws://bob:${PASSWORD}@127.0.0.1:9/feed?x=1`);
  });
});

describe('server and PAC URL passwords: a changed profile tab (savedSecrets)', () => {
  async function fill(id: string, url: string, pac: string | undefined, request: { urlPassword?: boolean; pacPassword?: boolean }) {
    const service = new ProfileService({ dataDir: ctx.dir, cipher: KeyFileCipher.open(ctx.dir) });
    const options = connectionOptionsSchema.parse({ url, proxy: pac === undefined ? { mode: 'none' } : { mode: 'pac', source: { kind: 'url', url: pac } } });
    return service.fillSavedSecrets(options, savedSecretsSchema.parse({ profileId: id, ...request }));
  }

  it('puts the saved passwords back into the same server and PAC URL for the same user, whatever the path', async () => {
    const saved = await save({ profile: withCredentials() });
    const filled = valueOf(await fill(saved.id, 'ws://bob@127.0.0.1:9/other-path', 'http://bob@127.0.0.1:9/proxy.pac', { urlPassword: true, pacPassword: true }));
    expect(filled.url).toBe(`ws://bob:${PASSWORD}@127.0.0.1:9/other-path`);
    expect(filled.proxy).toEqual({ mode: 'pac', source: { kind: 'url', url: `http://bob:${PASSWORD}@127.0.0.1:9/proxy.pac` } });
  });

  it('lets a password typed into the form win', async () => {
    const saved = await save({ profile: withCredentials() });
    const filled = valueOf(await fill(saved.id, 'ws://bob:typed@127.0.0.1:9/', undefined, { urlPassword: true }));
    expect(filled.url).toBe('ws://bob:typed@127.0.0.1:9/');
  });

  it.each([
    ['another server', 'ws://bob@127.0.0.2:9/', undefined, { urlPassword: true }, 'savedSecrets.urlPassword'],
    ['another port', 'ws://bob@127.0.0.1:10/', undefined, { urlPassword: true }, 'savedSecrets.urlPassword'],
    ['another user', 'ws://eve@127.0.0.1:9/', undefined, { urlPassword: true }, 'savedSecrets.urlPassword'],
    ['no user', 'ws://127.0.0.1:9/', undefined, { urlPassword: true }, 'savedSecrets.urlPassword'],
    ['another PAC file', 'ws://bob@127.0.0.1:9/', 'http://bob@127.0.0.1:9/other.pac', { pacPassword: true }, 'savedSecrets.pacPassword'],
    ['another PAC user', 'ws://bob@127.0.0.1:9/', 'http://eve@127.0.0.1:9/proxy.pac', { pacPassword: true }, 'savedSecrets.pacPassword'],
    ['no PAC URL', 'ws://bob@127.0.0.1:9/', undefined, { pacPassword: true }, 'savedSecrets.pacPassword'],
  ])('refuses to send them to %s, naming the place', async (_what, url, pac, request, where) => {
    const saved = await save({ profile: withCredentials() });
    const error = errorOf(await fill(saved.id, url, pac, request));
    expect(error).toMatchObject({ code: 'INVALID_ARGUMENT', path: where });
    expect(error.message).toContain('only sent to');
    expect(error.message).not.toContain(PASSWORD);
  });

  it('refuses when the profile has no such password', async () => {
    const saved = await save({ profile: { name: 'plain', url: 'ws://bob@127.0.0.1:9/', proxy: { mode: 'none' }, tls: {} } });
    expect(errorOf(await fill(saved.id, 'ws://bob@127.0.0.1:9/', undefined, { urlPassword: true }))).toMatchObject({ path: 'savedSecrets.urlPassword' });
    expect(errorOf(await fill(saved.id, 'ws://bob@127.0.0.1:9/', 'http://bob@127.0.0.1:9/p.pac', { pacPassword: true }))).toMatchObject({ path: 'savedSecrets.pacPassword' });
  });
});

describe('server and PAC URL passwords: an older file when the secret store cannot be opened', () => {
  function writeOldFile(): void {
    const base = { revision: 1, createdAt: 1, updatedAt: 1, headers: [], subprotocols: [], tls: { caFiles: [], insecure: false }, handshakeTimeoutMs: 10_000, savedMessages: [] };
    const profiles = [
      { ...base, id: 'old-1', name: 'old', url: `ws://bob:${PASSWORD}@127.0.0.1:9/`, proxy: { mode: 'none', caFiles: [] } },
      { ...base, id: 'old-2', name: 'other', url: 'ws://127.0.0.1:9/', proxy: { mode: 'none', caFiles: [] } },
    ];
    fs.writeFileSync(path.join(ctx.dir, 'profiles.json'), JSON.stringify({ version: 2, revision: 1, profiles }), { mode: 0o600 });
  }

  const saveArg = profileCommandSchemas['profiles:save'].arg;
  const noStore = (): never => {
    throw new Error('no keyring here');
  };

  it('still saves another profile (leaving the old password as it was), and refuses to save that one with STORAGE_ERROR', async () => {
    writeOldFile();
    const service = new ProfileService({ dataDir: ctx.dir, cipher: noStore });
    const other = valueOf(await service.get('old-2'));
    expect(valueOf(await service.save(saveArg.parse({ profile: profileInputFromView(other), expectedRevision: 1 }))).revision).toBe(2);

    const old = valueOf(await service.get('old-1'));
    const refused = errorOf(await service.save(saveArg.parse({ profile: profileInputFromView(old), expectedRevision: 1 })));
    expect(refused.code).toBe('STORAGE_ERROR');
    expect(refused.message).toContain('cannot be encrypted');
    expect(refused.message).not.toContain(PASSWORD);
    expect(valueOf(await service.get('old-1'))).toMatchObject({ revision: 1, url: 'ws://bob@127.0.0.1:9/', urlPassword: { set: true } });
  });
});
