/** Electron's safeStorage behind the SecretCipher interface, with a fake (no electron import). */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BASIC_TEXT_WARNING, SafeStorageCipher, safeStorageOrKeyFile, type SafeStorageLike } from '../../../src-main/core/secrets/safe-storage-cipher';
import { SecretError } from '../../../src-main/core/secrets/secret-store';
import { makeTempDir } from '../profiles/profile-fixtures';

/** Like Chromium's OSCrypt: a version prefix, then the "encrypted" bytes (here: XOR). */
function fakeSafeStorage(backend: string | undefined, available = true): SafeStorageLike & { backendCalls: number } {
  const fake = {
    backendCalls: 0,
    isEncryptionAvailable: () => available,
    encryptString: (text: string) => Buffer.concat([Buffer.from('v11'), Buffer.from(text).map((b) => b ^ 0x5a)]),
    decryptString: (data: Buffer) => {
      if (data.subarray(0, 3).toString() !== 'v11') throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
      return Buffer.from(data.subarray(3).map((b) => b ^ 0x5a)).toString();
    },
    ...(backend === undefined
      ? {}
      : {
          getSelectedStorageBackend: () => {
            fake.backendCalls += 1;
            return backend;
          },
        }),
  };
  return fake;
}

let temp: ReturnType<typeof makeTempDir>;
beforeEach(() => (temp = makeTempDir('tunnelscope-safestorage-')));
afterEach(() => temp.cleanup());

describe('SafeStorageCipher', () => {
  it('on Linux with basic_text, reports protection "none" and warns that the OS store is missing', () => {
    const cipher = new SafeStorageCipher(fakeSafeStorage('basic_text'), 'linux');
    expect(cipher.protection).toBe('none');
    expect(cipher.warning).toBe(BASIC_TEXT_WARNING);
    expect(cipher.warning).toContain('No OS secret store was found');
    expect(cipher.backend).toBe('basic_text');
    expect(cipher.decrypt(cipher.encrypt('still encrypted'))).toBe('still encrypted');
  });

  it.each(['gnome_libsecret', 'kwallet5', 'kwallet6'])('on Linux with %s, reports the OS store and no warning', (backend) => {
    const cipher = new SafeStorageCipher(fakeSafeStorage(backend), 'linux');
    expect(cipher.protection).toBe('os-store');
    expect(cipher.warning).toBeUndefined();
  });

  it('does not ask for a Linux backend on macOS or Windows', () => {
    const storage = fakeSafeStorage('basic_text');
    const cipher = new SafeStorageCipher(storage, 'darwin');
    expect(cipher.protection).toBe('os-store');
    expect(storage.backendCalls).toBe(0);
  });

  it('round-trips, and turns a failed decryption or a foreign envelope into a SecretError', () => {
    const cipher = new SafeStorageCipher(fakeSafeStorage('gnome_libsecret'), 'linux');
    const envelope = cipher.encrypt('s3cret');
    expect(envelope.enc).toBe('safeStorage');
    expect(Buffer.from(envelope.data, 'base64').includes(Buffer.from('s3cret'))).toBe(false);
    expect(cipher.decrypt(envelope)).toBe('s3cret');
    expect(() => cipher.decrypt({ enc: 'safeStorage', data: Buffer.from('v10garbage').toString('base64') })).toThrow(/could not decrypt this secret/);
    expect(() => cipher.decrypt({ enc: 'keyfile', data: envelope.data })).toThrow(SecretError);
  });

  it('refuses to be made when safeStorage cannot encrypt; safeStorageOrKeyFile then falls back to the key file with the reason', () => {
    expect(() => new SafeStorageCipher(fakeSafeStorage(undefined, false), 'linux')).toThrow(/cannot encrypt/);
    const fallback = safeStorageOrKeyFile(fakeSafeStorage(undefined, false), temp.dir, 'linux');
    expect(fallback.kind).toBe('keyfile');
    expect(fallback.protection).toBe('key-file');
    expect(fallback.warning).toContain("Electron's safeStorage cannot encrypt on this system.");
    expect(safeStorageOrKeyFile(fakeSafeStorage('basic_text'), temp.dir, 'linux').protection).toBe('none');
  });
});
