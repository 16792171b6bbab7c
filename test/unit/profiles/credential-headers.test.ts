/**
 * A header whose name looks like a credential (X-Api-Token) is secret unless the user unticked
 * "secret" on purpose (`plainByChoice`): in a profiles.json written before that rule (the
 * fixture), in the view, in exports (left out and counted), in a connection (masked), and
 * encrypted by the next save; saved and imported ones are never stored in clear.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ProfileService } from '../../../src-main/core/profiles/profile-service';
import { exportProfiles, parseImportText } from '../../../src-main/core/profiles/profile-transfer';
import type { StoredProfile } from '../../../src-main/core/profiles/profile-schema';
import { KeyFileCipher } from '../../../src-main/core/secrets/keyfile-cipher';
import { profileInputFromView, profileInputSchema, type ProfileInputDraft, type ProfileView } from '../../../src-main/shared/profiles';
import { makeTempDir, valueOf } from './profile-fixtures';

const FIXTURE = path.join(import.meta.dirname, 'fixtures/profiles-before-credential-headers.json');
const TOKEN = 'tok-SECRET-123';

let temp: ReturnType<typeof makeTempDir>;
let service: ProfileService;
beforeEach(() => {
  temp = makeTempDir();
  fs.copyFileSync(FIXTURE, path.join(temp.dir, 'profiles.json'));
  fs.chmodSync(path.join(temp.dir, 'profiles.json'), 0o600);
  service = new ProfileService({ dataDir: temp.dir, cipher: KeyFileCipher.open(temp.dir) });
});
afterEach(() => temp.cleanup());

const fileText = (): string => fs.readFileSync(path.join(temp.dir, 'profiles.json'), 'utf8');
/** A save as the engine's command check hands it over (defaults filled in). */
async function save(draft: ProfileInputDraft, expectedRevision: number): Promise<ProfileView> {
  return valueOf(await service.save({ profile: profileInputSchema.parse(draft), expectedRevision }));
}

async function flood(): Promise<ProfileView> {
  const list = valueOf(await service.list());
  const found = list.profiles.find((p) => p.name === 'Flood local');
  if (!found) throw new Error('the fixture profile is missing');
  return found;
}

describe('a profiles.json from before the rule', () => {
  it('shows the credential-like header as a set secret, never its value; the other stays plain', async () => {
    const view = await flood();
    expect(view.headers).toEqual([
      { id: 'h-token', name: 'X-Api-Token', secret: true, value: { set: true } },
      { id: 'h-trace', name: 'X-Trace', secret: false, value: 'trace-visible-7' },
    ]);
    expect(JSON.stringify(view)).not.toContain(TOKEN);
  });

  it('exports without secrets leave it out and count it; with secrets it goes out marked secret', async () => {
    const out = valueOf(await service.exportProfiles({ includeSecrets: false }));
    expect(out.text).not.toContain(TOKEN);
    expect(out.containsSecrets).toBe(false);
    expect(out.warnings).toEqual(['1 secret(s) were left out of the export; enter them again after importing.']);
    expect(JSON.parse(out.text)).toMatchObject({ profiles: [{ headers: [{ name: 'X-Api-Token', secret: true }, { name: 'X-Trace', secret: false, value: 'trace-visible-7' }] }] });
    const withSecrets = valueOf(await service.exportProfiles({ includeSecrets: true }));
    expect(withSecrets.containsSecrets).toBe(true);
    expect(JSON.parse(withSecrets.text)).toMatchObject({ profiles: [{ headers: [{ name: 'X-Api-Token', secret: true, value: TOKEN }, { name: 'X-Trace', secret: false }] }] });
  });

  it('connects with the value, sent as secret (masked in events)', async () => {
    const view = await flood();
    const { options } = valueOf(await service.connection(view.id));
    expect(options.headers).toEqual([
      { name: 'X-Api-Token', value: TOKEN, secret: true },
      { name: 'X-Trace', value: 'trace-visible-7' },
    ]);
  });

  it('a tab opened from it and changed gets the value filled in by the engine, as a saved secret', async () => {
    const view = await flood();
    const { options } = valueOf(await service.connection(view.id));
    const changed = { ...options, url: 'ws://127.0.0.1:9/other-path', headers: [{ name: 'X-Api-Token', value: '', secret: true }] };
    const request = { profileId: view.id, proxyPassword: false, passphrase: false, urlPassword: false, pacPassword: false, headers: [{ index: 0, profileHeaderId: 'h-token' }] };
    const filled = valueOf(await service.fillSavedSecrets(changed, request));
    expect(filled.headers).toEqual([{ name: 'X-Api-Token', value: TOKEN, secret: true }]);
  });

  it('the next save (of anything) encrypts it, and the kept value still connects', async () => {
    const view = await flood();
    const input = { ...profileInputFromView(view), name: 'Flood local 2' };
    await save(input, view.revision);
    expect(fileText()).not.toContain(TOKEN);
    expect(fileText()).toContain('trace-visible-7');
    const { options } = valueOf(await service.connection(view.id));
    expect(options.headers[0]).toEqual({ name: 'X-Api-Token', value: TOKEN, secret: true });
  });

  it('unticked on purpose, it is kept plain, shown, exported and marked so in the file', async () => {
    const view = await flood();
    const input = profileInputFromView(view);
    input.headers = [{ id: 'h-token', name: 'X-Api-Token', secret: false, value: 'tok-PLAIN-456', plainByChoice: true }];
    const saved = await save(input, view.revision);
    expect(saved.headers).toEqual([{ id: 'h-token', name: 'X-Api-Token', secret: false, value: 'tok-PLAIN-456', plainByChoice: true }]);
    expect(fileText()).toContain('"plainByChoice": true');
    const out = valueOf(await service.exportProfiles({ includeSecrets: false }));
    expect(out.warnings).toEqual([]);
    expect(JSON.parse(out.text)).toMatchObject({ profiles: [{ headers: [{ name: 'X-Api-Token', secret: false, value: 'tok-PLAIN-456', plainByChoice: true }] }] });
    // And it comes back in as the user's choice.
    const back = parseImportText(out.text);
    expect(back.ok && back.profiles[0]?.headers[0]).toEqual({ name: 'X-Api-Token', secret: false, value: 'tok-PLAIN-456', plainByChoice: true });
  });
});

describe('saves and imports', () => {
  it('a credential-like header sent unmarked (not unticked on purpose) is stored encrypted', async () => {
    const view = await flood();
    const input = profileInputFromView(view);
    input.headers = [{ name: 'Cookie', secret: false, value: 'sid=COOKIE-SECRET-9' }];
    const saved = await save(input, view.revision);
    expect(saved.headers).toMatchObject([{ name: 'Cookie', secret: true, value: { set: true } }]);
    expect(fileText()).not.toContain('COOKIE-SECRET-9');
  });

  it('plainByChoice on a name that looks like no credential means nothing and is dropped', async () => {
    const view = await flood();
    const input = profileInputFromView(view);
    input.headers = [{ name: 'X-Trace', secret: false, value: 't', plainByChoice: true }];
    const saved = await save(input, view.revision);
    expect(saved.headers).toMatchObject([{ name: 'X-Trace', secret: false, value: 't' }]);
    expect(saved.headers[0]).not.toHaveProperty('plainByChoice');
  });

  it('an older export with the header in clear imports it encrypted and secret', async () => {
    const older = JSON.parse(valueOf(await service.exportProfiles({ includeSecrets: false })).text) as { profiles: { headers: unknown[] }[] };
    const first = older.profiles[0];
    if (!first) throw new Error('no profile exported');
    first.headers = [{ name: 'X-Api-Token', secret: false, value: TOKEN }];
    const parsed = parseImportText(JSON.stringify(older));
    expect(parsed.ok && parsed.containsSecrets).toBe(true);
    const result = valueOf(await service.importText(JSON.stringify(older)));
    expect(result.problems).toEqual([]);
    const imported = valueOf(await service.get(result.imported[0]?.id ?? ''));
    expect(imported.headers).toEqual([expect.objectContaining({ name: 'X-Api-Token', secret: true, value: { set: true } })]);
    // The import opened the cipher: the fixture's own clear one is encrypted by the same write.
    expect(fileText()).not.toContain(TOKEN);
  });
});

describe('exportProfiles alone', () => {
  const base: StoredProfile = {
    id: 'p',
    revision: 1,
    createdAt: 0,
    updatedAt: 0,
    name: 'P',
    url: 'ws://a/',
    headers: [
      { id: 'a', name: 'Authorization', secret: false, value: 'Bearer A-SECRET' },
      { id: 'b', name: 'X-Auth-Key', secret: false, value: 'B-PLAIN', plainByChoice: true },
    ],
    subprotocols: [],
    proxy: { mode: 'none', caFiles: [] },
    tls: { caFiles: [], insecure: false },
    handshakeTimeoutMs: 10_000,
    savedMessages: [],
  };

  it('counts a clear credential-like header as left out, and the one kept plain on purpose as none', () => {
    const out = exportProfiles([base], { includeSecrets: false, decrypt: () => 'unused', now: 0 });
    expect(out.text).not.toContain('A-SECRET');
    expect(out.text).toContain('B-PLAIN');
    expect(out.warnings).toEqual(['1 secret(s) were left out of the export; enter them again after importing.']);
  });
});
