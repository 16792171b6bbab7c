/**
 * Electron's safeStorage as a SecretCipher. This file does not import electron: the Electron
 * host passes its `safeStorage` object in. On Linux, when Chromium found no OS secret store it
 * "encrypts" with a fixed, publicly known password (the `basic_text` backend): that is reported
 * as protection `none` with a warning instead of being passed off as OS protection.
 */
import { KeyFileCipher } from './keyfile-cipher';
import { SecretError, type SecretCipher, type SecretEnvelope } from './secret-store';

/** The part of Electron's `safeStorage` used here. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only in Electron; called only there. */
  getSelectedStorageBackend?(): string;
}

export const BASIC_TEXT_WARNING =
  'No OS secret store was found (Electron reports the "basic_text" backend): secrets are encrypted with a ' +
  'fixed password built into Chromium, so anyone who can read your files can decrypt them. Install and unlock ' +
  'a Secret Service provider (GNOME Keyring or KWallet) and restart Tunnelscope.';

export class SafeStorageCipher implements SecretCipher {
  readonly kind = 'safeStorage' as const;
  readonly protection: 'os-store' | 'none';
  readonly warning?: string;
  /** The Linux backend Electron chose (`gnome_libsecret`, `kwallet5`, `basic_text` …), when known. */
  readonly backend: string | undefined;

  constructor(
    private readonly storage: SafeStorageLike,
    platform: NodeJS.Platform = process.platform,
  ) {
    if (!storage.isEncryptionAvailable()) throw new SecretError("Electron's safeStorage cannot encrypt on this system");
    this.backend = platform === 'linux' && storage.getSelectedStorageBackend ? storage.getSelectedStorageBackend() : undefined;
    if (this.backend === 'basic_text') {
      this.protection = 'none';
      this.warning = BASIC_TEXT_WARNING;
    } else {
      this.protection = 'os-store';
    }
  }

  encrypt(text: string): SecretEnvelope {
    return { enc: 'safeStorage', data: this.storage.encryptString(text).toString('base64') };
  }

  decrypt(envelope: SecretEnvelope): string {
    if (envelope.enc !== 'safeStorage') throw new SecretError(`this secret was not encrypted with safeStorage (${envelope.enc})`);
    try {
      return this.storage.decryptString(Buffer.from(envelope.data, 'base64'));
    } catch (error) {
      throw new SecretError(
        `the OS secret store could not decrypt this secret (${error instanceof Error ? error.message : String(error)}): ` +
          'it was changed, or encrypted by another user or machine',
      );
    }
  }
}

/**
 * For the Electron host (call after the app is ready): safeStorage when it can encrypt,
 * otherwise the key file, with the reason in its warning.
 */
export function safeStorageOrKeyFile(storage: SafeStorageLike, dataDir: string, platform: NodeJS.Platform = process.platform): SecretCipher {
  try {
    return new SafeStorageCipher(storage, platform);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return KeyFileCipher.open(dataDir, { fallbackReason: `${why}.`, platform });
  }
}
