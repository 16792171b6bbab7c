/**
 * The fallback when no OS store can be used: AES-256-GCM with a random key kept in
 * `<dataDir>/secret.key`, readable only by the user. Weaker than an OS store, and it says so:
 * anyone who can read the user's files can read the key.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { StoreNotice } from '../../shared/profiles';
import { KEY_BYTES, newKey, openText, sealText } from './aes-gcm';
import { describeError, ensurePrivateDir, errnoCode, fixWidePermissions, moveAside, PRIVATE_FILE_MODE } from './private-file';
import { SecretError, type SecretCipher, type SecretEnvelope } from './secret-store';

const KEY_FILE_NAME = 'secret.key';

export interface KeyFileOptions {
  /** Why a stronger store is not in use ("the OS keyring could not be used: …"), shown in the warning. */
  fallbackReason?: string;
  now?: () => number;
  platform?: NodeJS.Platform;
}

export class KeyFileCipher implements SecretCipher {
  readonly kind = 'keyfile' as const;
  readonly protection = 'key-file' as const;
  readonly warning: string;
  /** What opening the key file changed (permissions fixed, a damaged key set aside). */
  readonly notices: StoreNotice[];

  private constructor(
    private readonly key: Buffer,
    readonly keyPath: string,
    fallbackReason: string | undefined,
    notices: StoreNotice[],
  ) {
    const weaker =
      `Secrets are encrypted with a key kept in ${keyPath}, readable only by you. This is weaker than an OS ` +
      'keyring: anyone who can read your files can read the key.';
    this.warning = fallbackReason ? `${fallbackReason} ${weaker}` : weaker;
    this.notices = notices;
  }

  /** Opens the key file, creating it (atomically, 0600) when there is none. */
  static open(dataDir: string, options: KeyFileOptions = {}): KeyFileCipher {
    const now = options.now ?? Date.now;
    const keyPath = path.join(dataDir, KEY_FILE_NAME);
    const notices: StoreNotice[] = [];
    try {
      ensurePrivateDir(dataDir);
      let key = readKey(keyPath, options.platform, notices, now);
      if (!key) {
        createKeyFile(keyPath);
        key = readKey(keyPath, options.platform, notices, now);
      }
      if (!key) throw new SecretError(`${keyPath} could not be created`);
      return new KeyFileCipher(key, keyPath, options.fallbackReason, notices);
    } catch (error) {
      if (error instanceof SecretError) throw error;
      throw new SecretError(`the key file ${keyPath} cannot be used: ${describeError(error)}`);
    }
  }

  /** The key file's cipher for reading old secrets, or undefined when there is no key file. */
  static openExisting(dataDir: string, options: KeyFileOptions = {}): KeyFileCipher | undefined {
    const keyPath = path.join(dataDir, KEY_FILE_NAME);
    if (!fs.existsSync(keyPath)) return undefined;
    const notices: StoreNotice[] = [];
    const key = readKey(keyPath, options.platform, notices, options.now ?? Date.now);
    return key ? new KeyFileCipher(key, keyPath, options.fallbackReason, notices) : undefined;
  }

  encrypt(text: string): SecretEnvelope {
    return { enc: 'keyfile', data: sealText(this.key, text) };
  }

  decrypt(envelope: SecretEnvelope): string {
    if (envelope.enc !== 'keyfile') throw new SecretError(`this secret was not encrypted with the key file (${envelope.enc})`);
    return openText(this.key, envelope.data, `the key file ${this.keyPath}`);
  }
}

/** The key, or undefined when there is no key file; a damaged one is set aside (never overwritten). */
function readKey(keyPath: string, platform: NodeJS.Platform | undefined, notices: StoreNotice[], now: () => number): Buffer | undefined {
  let text: string;
  try {
    text = fs.readFileSync(keyPath, 'utf8');
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return undefined;
    throw error;
  }
  const fixed = fixWidePermissions(keyPath, platform);
  if (fixed) notices.push({ kind: 'permissions', message: fixed, file: keyPath, at: now() });
  const trimmed = text.trim();
  const key = /^[A-Za-z0-9+/]+={0,2}$/.test(trimmed) ? Buffer.from(trimmed, 'base64') : Buffer.alloc(0);
  if (key.length === KEY_BYTES) return key;
  const aside = moveAside(keyPath, 'damaged', now());
  notices.push({
    kind: 'key-file',
    message:
      `${path.basename(keyPath)} did not hold a valid key; it was kept as ${path.basename(aside)} and a new key was made. ` +
      'Secrets saved with the old key cannot be read any more: enter them again.',
    file: aside,
    at: now(),
  });
  return undefined;
}

/** Writes a fresh key to a private temp file, then links it into place: a racing process's key wins intact. */
function createKeyFile(keyPath: string): void {
  const temp = `${keyPath}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  const fd = fs.openSync(temp, 'wx', PRIVATE_FILE_MODE);
  try {
    fs.writeSync(fd, `${newKey().toString('base64')}\n`);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  try {
    fs.linkSync(temp, keyPath);
  } catch (error) {
    if (errnoCode(error) !== 'EEXIST') throw error;
  } finally {
    fs.rmSync(temp, { force: true });
  }
}
