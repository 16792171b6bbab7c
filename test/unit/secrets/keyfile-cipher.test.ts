/** The key-file cipher: round trip, the key file itself (0600, reused, repaired), tamper detection. */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KeyFileCipher } from '../../../src-main/core/secrets/keyfile-cipher';
import { SecretError } from '../../../src-main/core/secrets/secret-store';
import { makeTempDir } from '../profiles/profile-fixtures';

let temp: ReturnType<typeof makeTempDir>;
beforeEach(() => (temp = makeTempDir('tunnelscope-secrets-')));
afterEach(() => temp.cleanup());

describe('KeyFileCipher', () => {
  it('round-trips text (including non-ASCII and empty) and never stores it readable', () => {
    const cipher = KeyFileCipher.open(temp.dir);
    for (const text of ['hunter2', '', 'pässwörd ✓ 密码', 'x'.repeat(10_000)]) {
      const envelope = cipher.encrypt(text);
      expect(envelope.enc).toBe('keyfile');
      expect(envelope.data).not.toContain(text === '' ? '\u0000' : text);
      expect(Buffer.from(envelope.data, 'base64').includes(Buffer.from(text)) && text !== '').toBe(false);
      expect(cipher.decrypt(envelope)).toBe(text);
    }
    // A fresh IV every time: the same text never encrypts the same way twice.
    expect(cipher.encrypt('same').data).not.toBe(cipher.encrypt('same').data);
  });

  it('creates secret.key once (0600) and reads it back in the next process', () => {
    const first = KeyFileCipher.open(temp.dir);
    const keyFile = path.join(temp.dir, 'secret.key');
    if (process.platform !== 'win32') expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
    const envelope = first.encrypt('persisted');
    const contents = fs.readFileSync(keyFile, 'utf8');
    const second = KeyFileCipher.open(temp.dir);
    expect(fs.readFileSync(keyFile, 'utf8')).toBe(contents);
    expect(second.decrypt(envelope)).toBe('persisted');
    expect(fs.readdirSync(temp.dir)).toEqual(['secret.key']); // no temp file left behind
    expect(first.protection).toBe('key-file');
    expect(first.warning).toContain('anyone who can read your files can read the key');
  });

  it('detects tampering and a wrong key, with a SecretError that says so', () => {
    const cipher = KeyFileCipher.open(temp.dir);
    const envelope = cipher.encrypt('do not touch');
    const bytes = Buffer.from(envelope.data, 'base64');
    for (const index of [1, 14, 30, bytes.length - 1]) {
      const changed = Buffer.from(bytes);
      changed[index] = (changed[index] ?? 0) ^ 0x01;
      expect(() => cipher.decrypt({ enc: 'keyfile', data: changed.toString('base64') })).toThrow(/was changed, or encrypted with another key/);
    }
    expect(() => cipher.decrypt({ enc: 'keyfile', data: 'AAAA' })).toThrow(/damaged/);
    expect(() => cipher.decrypt({ enc: 'keyring', data: envelope.data })).toThrow(SecretError);

    const other = makeTempDir('tunnelscope-secrets-other-');
    try {
      expect(() => KeyFileCipher.open(other.dir).decrypt(envelope)).toThrow(/another key/);
    } finally {
      other.cleanup();
    }
  });

  it.skipIf(process.platform === 'win32')('makes a key file readable by others private again, and says so', () => {
    KeyFileCipher.open(temp.dir);
    const keyFile = path.join(temp.dir, 'secret.key');
    fs.chmodSync(keyFile, 0o644);
    const reopened = KeyFileCipher.open(temp.dir);
    expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(reopened.notices).toEqual([expect.objectContaining({ kind: 'permissions', message: expect.stringContaining('secret.key could be read by other users (mode 0644)') })]);
  });

  it('sets a damaged key file aside (never overwrites it) and starts a new key', () => {
    const keyFile = path.join(temp.dir, 'secret.key');
    fs.writeFileSync(keyFile, 'not a key\n', { mode: 0o600 });
    const cipher = KeyFileCipher.open(temp.dir);
    const aside = fs.readdirSync(temp.dir).find((name) => name.startsWith('secret.key.damaged-'));
    expect(aside).toBeDefined();
    expect(fs.readFileSync(path.join(temp.dir, aside ?? ''), 'utf8')).toBe('not a key\n');
    expect(cipher.notices[0]?.message).toContain('did not hold a valid key');
    expect(cipher.decrypt(cipher.encrypt('works'))).toBe('works');
  });

  it('openExisting reads an existing key file and creates none', () => {
    expect(KeyFileCipher.openExisting(temp.dir)).toBeUndefined();
    expect(fs.readdirSync(temp.dir)).toEqual([]);
    const envelope = KeyFileCipher.open(temp.dir).encrypt('old secret');
    expect(KeyFileCipher.openExisting(temp.dir)?.decrypt(envelope)).toBe('old secret');
  });
});
