/**
 * The desktop app's profile storage: userData as the data folder, Electron's safeStorage as
 * the cipher (a fake here), and on Linux's `basic_text` backend a warning that reaches the UI
 * through profiles:status. The engine is real; only safeStorage is faked.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Engine } from '../../../src-main/core/engine';
import { BASIC_TEXT_WARNING, type SafeStorageLike } from '../../../src-main/core/secrets/safe-storage-cipher';
import { electronProfileStorage } from '../../../src-main/electron/profile-storage';
import { makeTempDir } from '../profiles/profile-fixtures';

function fakeSafeStorage(backend: string, available = true): SafeStorageLike & { encryptString: ReturnType<typeof vi.fn> } {
  return {
    isEncryptionAvailable: () => available,
    encryptString: vi.fn((text: string) => Buffer.concat([Buffer.from('v11'), Buffer.from(text).map((b) => b ^ 0x5a)])),
    decryptString: (data: Buffer) => Buffer.from(data.subarray(3).map((b) => b ^ 0x5a)).toString(),
    getSelectedStorageBackend: () => backend,
  };
}

let temp: ReturnType<typeof makeTempDir>;
let engine: Engine | undefined;
beforeEach(() => (temp = makeTempDir('tunnelscope-electron-profiles-')));
afterEach(async () => {
  await engine?.dispose();
  engine = undefined;
  temp.cleanup();
});

function engineWith(storage: SafeStorageLike, platform: NodeJS.Platform = 'linux'): Engine {
  const app = { getPath: vi.fn((name: string) => (name === 'userData' ? temp.dir : '/nowhere')) };
  engine = new Engine({ host: 'electron', version: '1.0.0', profiles: electronProfileStorage(app, storage, platform) });
  return engine;
}

describe('electronProfileStorage', () => {
  it("keeps profiles in userData and does not touch safeStorage until a secret is needed", () => {
    const storage = fakeSafeStorage('gnome_libsecret');
    const isAvailable = vi.spyOn(storage, 'isEncryptionAvailable');
    const app = { getPath: vi.fn(() => temp.dir) };
    const options = electronProfileStorage(app, storage, 'linux');
    expect(app.getPath).toHaveBeenCalledWith('userData');
    expect(options.dataDir).toBe(temp.dir);
    expect(typeof options.cipher).toBe('function');
    expect(isAvailable).not.toHaveBeenCalled();
  });

  it('with an OS store: protection os-store, no warning, and the secret is encrypted by safeStorage', async () => {
    const storage = fakeSafeStorage('gnome_libsecret');
    const e = engineWith(storage);
    const status = await e.call('profiles:status', {});
    expect(status.ok && status.value).toMatchObject({ dataDir: temp.dir, protection: 'os-store', cipher: 'safeStorage' });
    expect(status.ok && status.value.warning).toBeUndefined();

    const saved = await e.call('profiles:save', {
      profile: { name: 'p', url: 'wss://x.test/', proxy: { mode: 'manual', url: 'http://proxy.test:3128', username: 'u', password: { value: 'hunter2-secret' } }, tls: {} },
    });
    expect(saved.ok && saved.value.proxy.password).toEqual({ set: true });
    expect(storage.encryptString).toHaveBeenCalledWith('hunter2-secret');
    expect(fs.readFileSync(path.join(temp.dir, 'profiles.json'), 'utf8')).not.toContain('hunter2-secret');
  });

  it('on Linux with basic_text: profiles:status says protection none, with the missing-store warning', async () => {
    const status = await engineWith(fakeSafeStorage('basic_text')).call('profiles:status', {});
    expect(status.ok).toBe(true);
    if (!status.ok) return;
    expect(status.value.protection).toBe('none');
    expect(status.value.cipher).toBe('safeStorage');
    expect(status.value.warning).toBe(BASIC_TEXT_WARNING);
  });

  it('where safeStorage cannot encrypt: the key file, with the reason in the warning', async () => {
    const status = await engineWith(fakeSafeStorage('gnome_libsecret', false)).call('profiles:status', {});
    expect(status.ok && status.value).toMatchObject({ protection: 'key-file', cipher: 'keyfile' });
    expect(status.ok && status.value.warning).toContain("Electron's safeStorage cannot encrypt on this system");
  });
});
