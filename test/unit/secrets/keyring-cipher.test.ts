/**
 * The OS keyring cipher with a fake keyring (and once with the real one, which on a headless
 * machine has no Secret Service: it must fail cleanly and the key file take over).
 */
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type * as KeyringModule from '@napi-rs/keyring';
import { openDefaultCipher } from '../../../src-main/core/secrets/default-cipher';
import { KeyringCipher, type KeyringEntryLike } from '../../../src-main/core/secrets/keyring-cipher';
import { SecretError } from '../../../src-main/core/secrets/secret-store';
import { makeTempDir } from '../profiles/profile-fixtures';

class FakeEntry implements KeyringEntryLike {
  password: string | null = null;
  writes = 0;
  constructor(private readonly behaviour: 'ok' | 'hang' | 'forgetful' | 'denied' = 'ok') {}
  async getPassword(signal?: AbortSignal): Promise<string | null> {
    if (this.behaviour === 'denied') throw new Error('Platform secure storage failure: AccessDenied');
    if (this.behaviour === 'hang') {
      return new Promise((_, reject) => signal?.addEventListener('abort', () => reject(new Error('aborted'))));
    }
    return this.behaviour === 'forgetful' ? null : this.password;
  }
  async setPassword(password: string): Promise<void> {
    this.writes += 1;
    this.password = password;
  }
}

let temp: ReturnType<typeof makeTempDir>;
beforeEach(() => (temp = makeTempDir('tunnelscope-keyring-')));
afterEach(() => temp.cleanup());

describe('KeyringCipher', () => {
  it('creates a random key in the keyring on first use and reuses it after', async () => {
    const entry = new FakeEntry();
    const first = await KeyringCipher.open({ entry: () => entry });
    expect(entry.writes).toBe(1);
    expect(Buffer.from(entry.password ?? '', 'base64')).toHaveLength(32);
    const envelope = first.encrypt('kept in the keyring');
    expect(envelope.enc).toBe('keyring');
    const second = await KeyringCipher.open({ entry: () => entry });
    expect(entry.writes).toBe(1);
    expect(second.decrypt(envelope)).toBe('kept in the keyring');
    expect(second.protection).toBe('os-store');
    expect(second.warning).toBeUndefined();
  });

  it('never overwrites an entry that does not hold a valid key', async () => {
    const entry = new FakeEntry();
    entry.password = 'somebody else’s password';
    await expect(KeyringCipher.open({ entry: () => entry })).rejects.toThrow(/does not hold a valid key/);
    expect(entry.password).toBe('somebody else’s password');
  });

  it('fails at its deadline when the keyring does not answer (fake time), and when it cannot keep the key', async () => {
    vi.useFakeTimers();
    try {
      const opening = KeyringCipher.open({ entry: () => new FakeEntry('hang'), timeoutMs: 200 });
      const outcome = opening.then(
        () => 'opened',
        (error: unknown) => error,
      );
      await vi.advanceTimersByTimeAsync(200);
      expect(String(await outcome)).toMatch(/did not answer within 200 ms/);
    } finally {
      vi.useRealTimers();
    }
    await expect(KeyringCipher.open({ entry: () => new FakeEntry('forgetful') })).rejects.toThrow(/could not be read back/);
  });

  it('falls back to the key file with the reason when the keyring fails', async () => {
    const cipher = await openDefaultCipher(temp.dir, { keyring: { entry: () => new FakeEntry('denied') } });
    expect(cipher.kind).toBe('keyfile');
    expect(cipher.protection).toBe('key-file');
    expect(cipher.warning).toContain('The OS keyring could not be used: Platform secure storage failure: AccessDenied.');
    expect(cipher.decrypt(cipher.encrypt('fallback'))).toBe('fallback');
  });

  it('skips the keyring when TUNNELSCOPE_SECRET_STORE=keyfile', async () => {
    const entry = new FakeEntry();
    const cipher = await openDefaultCipher(temp.dir, { env: { TUNNELSCOPE_SECRET_STORE: 'keyfile' }, keyring: { entry: () => entry } });
    expect(cipher.kind).toBe('keyfile');
    expect(entry.writes).toBe(0);
    expect(cipher.warning).toContain('TUNNELSCOPE_SECRET_STORE=keyfile');
  });

  it('with the real @napi-rs/keyring: either works, or fails cleanly (a SecretError, no crash)', async () => {
    const keyring = createRequire(import.meta.url)('@napi-rs/keyring') as typeof KeyringModule;
    // A throwaway account, so a developer's real keyring keeps nothing of this test.
    const account = `test-${randomBytes(6).toString('hex')}`;
    const options = process.platform === 'linux' ? { linux: { store: 'secret-service' as const } } : undefined;
    // Without a Secret Service even the constructor throws: it runs inside open(), like the real one.
    let entry: KeyringModule.AsyncEntry | undefined;
    // A keyring that never answers ends in the 3 s probe timeout, a SecretError like any other failure.
    try {
      const cipher = await KeyringCipher.open({ entry: () => (entry = new keyring.AsyncEntry('tunnelscope-test', account, options)), timeoutMs: 3000 });
      expect(cipher.decrypt(cipher.encrypt('real keyring'))).toBe('real keyring');
      await entry?.deleteCredential();
    } catch (error) {
      expect(error).toBeInstanceOf(SecretError);
      expect(String(error)).toContain('the OS keyring could not be used');
    }
  });
});
