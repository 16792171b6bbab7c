/**
 * The profile commands through the engine, as every host calls them (`invoke`, validated):
 * the round trip of every field, secrets kept out of everything the renderer receives and out
 * of the stored bytes, and each failure with its code and place.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Engine } from '../../../src-main/core/engine';
import { KeyFileCipher } from '../../../src-main/core/secrets/keyfile-cipher';
import { ProfileService } from '../../../src-main/core/profiles/profile-service';
import { profileViewSchema, type ProfileView } from '../../../src-main/shared/profiles';
import { errorOf, fullProfileInput, makeTempDir, plainProfileInput, SECRETS, valueOf } from './profile-fixtures';

let temp: ReturnType<typeof makeTempDir>;
let engine: Engine;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => void unhandled.push(reason);

beforeEach(() => {
  temp = makeTempDir();
  engine = new Engine({ host: 'web', version: '0.0.0-test', env: {}, profiles: { dataDir: temp.dir, cipher: KeyFileCipher.open(temp.dir) } });
  process.on('unhandledRejection', onUnhandled);
});

afterEach(async () => {
  await engine.dispose();
  process.off('unhandledRejection', onUnhandled);
  temp.cleanup();
  expect(unhandled).toEqual([]);
});

async function save(arg: unknown): Promise<ProfileView> {
  const result = await engine.invoke('profiles:save', arg);
  return profileViewSchema.parse(valueOf(result));
}

function storedBytes(): Buffer {
  return fs.readFileSync(path.join(temp.dir, 'profiles.json'));
}

describe('profiles: round trip', () => {
  it('keeps every field, shows secrets only as { set }, and stores no secret in clear', async () => {
    const input = fullProfileInput();
    const saved = await save({ profile: input });
    expect(saved.revision).toBe(1);

    const view = valueOf(await engine.call('profiles:get', { id: saved.id }));
    expect(view).toEqual(saved);
    expect(view).toMatchObject({
      name: input.name,
      url: input.url,
      subprotocols: input.subprotocols,
      origin: input.origin,
      handshakeTimeoutMs: 4321,
      reconnect: input.reconnect,
      history: { maxFrames: 250_000, maxBytes: 64 * 1024 * 1024 },
      proxy: {
        mode: 'manual',
        url: 'http://proxy.corp:3128',
        pac: { kind: 'url', url: 'http://wpad.corp/proxy.pac' },
        username: 'alice',
        password: { set: true },
        caFiles: ['/etc/ssl/corp-proxy-ca.pem'],
      },
      tls: {
        caFiles: ['/etc/ssl/corp-root.pem', '/etc/ssl/corp-intermediate.pem'],
        insecure: true,
        certFile: '/home/alice/client.pem',
        keyFile: '/home/alice/client-key.pem',
        passphrase: { set: true },
      },
    });
    expect(view.headers.map(({ name, secret, value }) => ({ name, secret, value }))).toEqual([
      { name: 'Authorization', secret: true, value: { set: true } },
      { name: 'X-Client', secret: false, value: 'tunnelscope-test' },
    ]);
    expect(view.savedMessages.map(({ name, kind, body }) => ({ name, kind, body }))).toEqual(input.savedMessages);
    expect(view.savedMessages.every((m) => m.id.length > 0)).toBe(true);

    // Nothing the renderer can receive holds a secret, and neither does the file (raw bytes).
    const listed = JSON.stringify(await engine.call('profiles:list', {}));
    const bytes = storedBytes();
    for (const secret of Object.values(SECRETS)) {
      expect(listed).not.toContain(secret);
      expect(bytes.includes(Buffer.from(secret))).toBe(false);
      expect(bytes.includes(Buffer.from(Buffer.from(secret).toString('base64')))).toBe(false);
    }
    expect(bytes.toString('utf8')).toContain('"enc": "keyfile"');
    if (process.platform !== 'win32') expect(fs.statSync(path.join(temp.dir, 'profiles.json')).mode & 0o777).toBe(0o600);
  });

  it('decrypts the secrets into the options a session opens with (engine side only)', async () => {
    const saved = await save({ profile: fullProfileInput() });
    const service = new ProfileService({ dataDir: temp.dir, cipher: KeyFileCipher.open(temp.dir) });
    const { options, name } = valueOf(await service.connection(saved.id));
    expect(name).toBe('Staging gateway');
    expect(options.url).toBe('wss://staging.example:8443/socket?v=2');
    expect(options.proxy).toEqual({ mode: 'manual', url: 'http://proxy.corp:3128' });
    expect(options.proxyAuth).toEqual({ username: 'alice', password: SECRETS.proxyPassword });
    expect(options.proxyCaFiles).toEqual(['/etc/ssl/corp-proxy-ca.pem']);
    expect(options.headers).toEqual([
      { name: 'Authorization', value: SECRETS.headerToken, secret: true },
      { name: 'X-Client', value: 'tunnelscope-test' },
    ]);
    expect(options.tls).toMatchObject({ insecure: true, passphrase: SECRETS.passphrase, certFile: '/home/alice/client.pem' });
    expect(options.handshakeTimeoutMs).toBe(4321);
  });

  it('keeps, clears and replaces secrets as the input says', async () => {
    const saved = await save({ profile: fullProfileInput() });
    const input = {
      ...fullProfileInput(),
      id: saved.id,
      headers: saved.headers.map((header) => (header.secret ? { ...header, value: { set: true } } : header)),
      proxy: { ...fullProfileInput().proxy, password: { set: false } },
      tls: { ...fullProfileInput().tls, passphrase: { value: 'a new passphrase' } },
    };
    const updated = await save({ profile: input, expectedRevision: 1 });
    expect(updated.revision).toBe(2);
    expect(updated.proxy.password).toEqual({ set: false });
    expect(updated.tls.passphrase).toEqual({ set: true });
    expect(updated.headers[0]?.value).toEqual({ set: true });
    const service = new ProfileService({ dataDir: temp.dir, cipher: KeyFileCipher.open(temp.dir) });
    const { options } = valueOf(await service.connection(saved.id));
    expect(options.headers[0]?.value).toBe(SECRETS.headerToken);
    expect(options.tls.passphrase).toBe('a new passphrase');
    expect(options.proxyAuth).toEqual({ username: 'alice', password: '' });
  });

  it('moves a password typed into the proxy URL into the encrypted field', async () => {
    const profile = { ...plainProfileInput('inline'), proxy: { mode: 'manual', url: 'http://bob:s3cr%40t-inline@proxy.corp:3128' } };
    const saved = await save({ profile });
    expect(saved.proxy).toMatchObject({ url: 'http://proxy.corp:3128', username: 'bob', password: { set: true } });
    expect(storedBytes().toString('utf8')).not.toContain('s3cr');
  });
});

describe('profiles: failures', () => {
  it.each([
    [{ profile: { ...plainProfileInput('a'), url: 'http://x/' } }, 'profile.url', 'ws:// or wss://'],
    [{ profile: { ...plainProfileInput('a'), proxy: { mode: 'manual' } } }, 'profile.proxy.url', 'needs a URL'],
    [{ profile: { ...plainProfileInput('a'), proxy: { mode: 'manual', url: 'ftp://p:21' } } }, 'profile.proxy.url', 'not a proxy scheme'],
    [{ profile: { ...plainProfileInput('a'), tls: { certFile: '/c.pem' } } }, 'profile.tls.keyFile', 'both'],
    [{ profile: { ...plainProfileInput('a'), proxy: { mode: 'none', password: 'clear' } } }, 'profile.proxy.password', '"set"'],
    [{ profile: { ...plainProfileInput('a'), savedMessages: [{ name: 'j', kind: 'json', body: '{' }] } }, 'profile.savedMessages.0.body', 'valid JSON'],
    [{ profile: { ...plainProfileInput('a'), headers: [{ name: 'A', secret: true, value: { set: true } }] } }, 'profile.headers.0.value', 'no stored secret'],
    [{ profile: plainProfileInput('a'), expectedRevision: 3 }, 'expectedRevision', 'no revision yet'],
    [{ profile: plainProfileInput('') }, 'profile.name', 'needs a name'],
  ])('save %# answers INVALID_ARGUMENT at %s', async (arg, where, text) => {
    const error = errorOf(await engine.invoke('profiles:save', arg));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.path).toBe(where);
    expect(error.message).toContain(text);
    expect(fs.existsSync(path.join(temp.dir, 'profiles.json'))).toBe(false);
  });

  it('refuses a name that is taken (ignoring case) and an update without its revision', async () => {
    const first = await save({ profile: plainProfileInput('Prod') });
    const taken = errorOf(await engine.invoke('profiles:save', { profile: plainProfileInput('prod') }));
    expect(taken).toMatchObject({ code: 'INVALID_ARGUMENT', path: 'profile.name' });
    const noRevision = errorOf(await engine.invoke('profiles:save', { profile: { ...plainProfileInput('Prod'), id: first.id } }));
    expect(noRevision).toMatchObject({ code: 'INVALID_ARGUMENT', path: 'expectedRevision' });
  });

  it('answers CONFLICT to a save based on an outdated copy, and keeps the other change', async () => {
    const saved = await save({ profile: plainProfileInput('Shared') });
    const windowA = { ...plainProfileInput('Shared', 'ws://127.0.0.1:1/a'), id: saved.id };
    const windowB = { ...plainProfileInput('Shared', 'ws://127.0.0.1:1/b'), id: saved.id };
    await save({ profile: windowA, expectedRevision: 1 });
    const conflict = errorOf(await engine.invoke('profiles:save', { profile: windowB, expectedRevision: 1 }));
    expect(conflict.code).toBe('CONFLICT');
    expect(conflict.path).toBe('expectedRevision');
    expect(conflict.message).toContain('changed elsewhere');
    expect(valueOf(await engine.call('profiles:get', { id: saved.id })).url).toBe('ws://127.0.0.1:1/a');
    const staleDelete = errorOf(await engine.invoke('profiles:delete', { id: saved.id, expectedRevision: 1 }));
    expect(staleDelete.code).toBe('CONFLICT');
  });

  it.each([
    ['profiles:get', { id: 'nope' }, 'id'],
    ['profiles:delete', { id: 'nope' }, 'id'],
    ['profiles:rename', { id: 'nope', name: 'x' }, 'id'],
    ['profiles:duplicate', { id: 'nope' }, 'id'],
    ['profiles:export', { ids: ['nope'] }, 'ids'],
    ['profiles:save', { profile: { ...plainProfileInput('x'), id: 'nope' }, expectedRevision: 1 }, 'profile.id'],
    ['session:open', { profileId: 'nope' }, 'profileId'],
  ])('%s of an unknown profile answers UNKNOWN_PROFILE', async (name, arg, where) => {
    const error = errorOf(await engine.invoke(name, arg));
    expect(error.code).toBe('UNKNOWN_PROFILE');
    expect(error.path).toBe(where);
  });

  it.each([
    ['profiles:get', {}, 'id'],
    ['profiles:get', { id: '../etc' }, 'id'],
    ['profiles:rename', { id: 'a', name: '   ' }, 'name'],
    ['profiles:import', { text: 42 }, 'text'],
    ['profiles:export', { ids: 'all' }, 'ids'],
    ['profiles:restore', {}, 'undoToken'],
  ])('%s with a bad argument answers INVALID_ARGUMENT at %s', async (name, arg, where) => {
    const error = errorOf(await engine.invoke(name, arg));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.path).toBe(where);
  });

  it('session:open takes options or profileId, not both and not neither', async () => {
    for (const arg of [{}, { options: { url: 'ws://127.0.0.1:9/' }, profileId: 'p1' }]) {
      const error = errorOf(await engine.invoke('session:open', arg));
      expect(error.code).toBe('INVALID_ARGUMENT');
      expect(error.message).toContain('either options');
    }
  });

  it('answers FORBIDDEN when the host keeps no profiles', async () => {
    const bare = new Engine({ host: 'web', version: '0', env: {} });
    const error = errorOf(await bare.invoke('profiles:list', {}));
    expect(error.code).toBe('FORBIDDEN');
    await bare.dispose();
  });
});

describe('profiles: delete with undo, duplicate, rename', () => {
  it('restores a deleted profile with its secrets, once', async () => {
    const saved = await save({ profile: fullProfileInput() });
    const deleted = valueOf(await engine.call('profiles:delete', { id: saved.id, expectedRevision: 1 }));
    expect(deleted.profile.name).toBe('Staging gateway');
    expect(JSON.stringify(deleted)).not.toContain(SECRETS.proxyPassword);
    expect(valueOf(await engine.call('profiles:list', {})).profiles).toEqual([]);

    const restored = valueOf(await engine.call('profiles:restore', { undoToken: deleted.undoToken }));
    expect(restored).toMatchObject({ id: saved.id, name: 'Staging gateway', revision: 2, proxy: { password: { set: true } } });
    const again = errorOf(await engine.invoke('profiles:restore', { undoToken: deleted.undoToken }));
    expect(again.code).toBe('NOT_FOUND');
  });

  it('gives a restored profile a free name when its old one was taken meanwhile', async () => {
    const saved = await save({ profile: plainProfileInput('Dev') });
    const deleted = valueOf(await engine.call('profiles:delete', { id: saved.id }));
    await save({ profile: plainProfileInput('Dev') });
    expect(valueOf(await engine.call('profiles:restore', { undoToken: deleted.undoToken })).name).toBe('Dev (restored)');
  });

  it('duplicates with "(copy)" names and renames with a revision check', async () => {
    const saved = await save({ profile: fullProfileInput('Prod') });
    const copy = valueOf(await engine.call('profiles:duplicate', { id: saved.id }));
    const copy2 = valueOf(await engine.call('profiles:duplicate', { id: saved.id }));
    expect([copy.name, copy2.name]).toEqual(['Prod (copy)', 'Prod (copy 2)']);
    expect(copy.id).not.toBe(saved.id);
    expect(copy.proxy.password).toEqual({ set: true });

    const renamed = valueOf(await engine.call('profiles:rename', { id: copy.id, name: 'Prod EU', expectedRevision: 1 }));
    expect(renamed).toMatchObject({ name: 'Prod EU', revision: 2 });
    expect(errorOf(await engine.invoke('profiles:rename', { id: copy.id, name: 'x', expectedRevision: 1 })).code).toBe('CONFLICT');
    expect(errorOf(await engine.invoke('profiles:rename', { id: copy.id, name: 'PROD' })).code).toBe('INVALID_ARGUMENT');
  });
});

describe('profiles: export, import and status through the engine', () => {
  it('exports without secrets by default, with them only when asked (and warns)', async () => {
    await save({ profile: fullProfileInput() });
    const plain = valueOf(await engine.call('profiles:export', {}));
    expect(plain.containsSecrets).toBe(false);
    for (const secret of Object.values(SECRETS)) expect(plain.text).not.toContain(secret);
    expect(plain.warnings.join(' ')).toContain('left out');

    const withSecrets = valueOf(await engine.call('profiles:export', { includeSecrets: true }));
    expect(withSecrets.containsSecrets).toBe(true);
    expect(withSecrets.warnings[0]).toContain('clear text');
    for (const secret of Object.values(SECRETS)) expect(withSecrets.text).toContain(secret);
  });

  it('imports an export (secrets re-encrypted, taken names suffixed) and nothing of a bad file', async () => {
    await save({ profile: fullProfileInput() });
    const exported = valueOf(await engine.call('profiles:export', { includeSecrets: true })).text;
    const result = valueOf(await engine.call('profiles:import', { text: exported }));
    expect(result.problems).toEqual([]);
    expect(result.imported).toEqual([expect.objectContaining({ name: 'Staging gateway (imported)', renamedFrom: 'Staging gateway' })]);
    const profiles = valueOf(await engine.call('profiles:list', {})).profiles;
    expect(profiles.map((p) => p.name)).toEqual(['Staging gateway', 'Staging gateway (imported)']);
    expect(profiles[1]?.proxy.password).toEqual({ set: true });
    for (const secret of Object.values(SECRETS)) expect(storedBytes().includes(Buffer.from(secret))).toBe(false);

    const before = storedBytes();
    // A second profile with a bad URL: the first, good one must not be imported either.
    const bad = exported.replace('"profiles": [', '"profiles": [{"name": "second", "url": "http://nope/", "proxy": {"mode": "none"}, "tls": {}},');
    const refused = valueOf(await engine.call('profiles:import', { text: bad }));
    expect(refused.imported).toEqual([]);
    expect(refused.problems).toEqual([expect.objectContaining({ path: 'profiles[0].url' })]);
    expect(storedBytes().equals(before)).toBe(true);
  });

  it('reports the storage path and the protection in use', async () => {
    const status = valueOf(await engine.call('profiles:status', {}));
    expect(status).toMatchObject({ dataDir: temp.dir, file: path.join(temp.dir, 'profiles.json'), protection: 'key-file', cipher: 'keyfile', setAsideFiles: [] });
    expect(status.warning).toContain('anyone who can read your files can read the key');
  });
});
