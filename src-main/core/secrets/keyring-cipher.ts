/**
 * The OS keyring (macOS Keychain, Windows Credential Manager, the Secret Service on Linux)
 * through @napi-rs/keyring: it keeps one random AES-256 key; the secrets themselves are
 * encrypted with it (AES-256-GCM) and stored in the profiles file. The keyring is probed once
 * at start; whoever opens this cipher falls back to the key file when the probe fails.
 */
import { createRequire } from 'node:module';
import type * as KeyringModule from '@napi-rs/keyring';
import { KEY_BYTES, newKey, openText, sealText } from './aes-gcm';
import { SecretError, type SecretCipher, type SecretEnvelope } from './secret-store';

const KEYRING_SERVICE = 'Tunnelscope';
const KEYRING_ACCOUNT = 'profile-secrets-key';
const DEFAULT_PROBE_TIMEOUT_MS = 5000;

/** The part of @napi-rs/keyring's AsyncEntry used here (a test passes a fake). */
export interface KeyringEntryLike {
  getPassword(signal?: AbortSignal): Promise<string | null>;
  setPassword(password: string, signal?: AbortSignal): Promise<void>;
}

export interface KeyringOptions {
  entry?: () => KeyringEntryLike;
  /** How long the keyring may take to answer (it can hang on a locked store). */
  timeoutMs?: number;
  platform?: NodeJS.Platform;
}

export class KeyringCipher implements SecretCipher {
  readonly kind = 'keyring' as const;
  readonly protection = 'os-store' as const;
  /** Nothing to warn about: the OS keeps the key. */
  readonly warning?: string;

  private constructor(private readonly key: Buffer) {}

  /** Reads the key from the keyring (creating it on first use); throws SecretError with the reason when it cannot. */
  static async open(options: KeyringOptions = {}): Promise<KeyringCipher> {
    const timeoutMs = options.timeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS;
    let entry: KeyringEntryLike;
    try {
      entry = (options.entry ?? (() => defaultEntry(options.platform ?? process.platform)))();
    } catch (error) {
      throw new SecretError(`the OS keyring could not be used: ${reason(error)}`);
    }
    try {
      const stored = await withTimeout(timeoutMs, (signal) => entry.getPassword(signal));
      if (stored !== null) return new KeyringCipher(parseKey(stored));
      const key = newKey();
      await withTimeout(timeoutMs, (signal) => entry.setPassword(key.toString('base64'), signal));
      // Read it back: some stores accept a write and then cannot return it (locked, no persistence).
      const readBack = await withTimeout(timeoutMs, (signal) => entry.getPassword(signal));
      if (readBack !== key.toString('base64')) throw new SecretError('the key written to it could not be read back');
      return new KeyringCipher(key);
    } catch (error) {
      throw new SecretError(`the OS keyring could not be used: ${reason(error)}`);
    }
  }

  encrypt(text: string): SecretEnvelope {
    return { enc: 'keyring', data: sealText(this.key, text) };
  }

  decrypt(envelope: SecretEnvelope): string {
    if (envelope.enc !== 'keyring') throw new SecretError(`this secret was not encrypted with the OS keyring (${envelope.enc})`);
    return openText(this.key, envelope.data, "the OS keyring's key");
  }
}

function defaultEntry(platform: NodeJS.Platform): KeyringEntryLike {
  // Loaded on first use: a CLI run that never touches a secret never loads the native module.
  const keyring = createRequire(import.meta.url)('@napi-rs/keyring') as typeof KeyringModule;
  // On Linux only the Secret Service persists; the kernel keyring (the library's fallback)
  // forgets the key at reboot, which would make every stored secret unreadable.
  const options = platform === 'linux' ? { linux: { store: 'secret-service' as const } } : undefined;
  return new keyring.AsyncEntry(KEYRING_SERVICE, KEYRING_ACCOUNT, options);
}

/** A key in the keyring that is not ours (or damaged) is reported, never overwritten. */
function parseKey(stored: string): Buffer {
  const key = /^[A-Za-z0-9+/]+={0,2}$/.test(stored.trim()) ? Buffer.from(stored.trim(), 'base64') : Buffer.alloc(0);
  if (key.length !== KEY_BYTES) {
    throw new SecretError(`its entry "${KEYRING_SERVICE} / ${KEYRING_ACCOUNT}" does not hold a valid key (remove it to start a new one)`);
  }
  return key;
}

async function withTimeout<T>(ms: number, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new SecretError(`it did not answer within ${ms} ms`));
    }, ms);
  });
  try {
    return await Promise.race([run(controller.signal), expired]);
  } finally {
    clearTimeout(timer);
  }
}

function reason(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/^the OS keyring could not be used: /, '').slice(0, 300);
}
