/**
 * The cipher of the web host and the CLI: the OS keyring where it works, otherwise the key
 * file with the reason shown. `TUNNELSCOPE_SECRET_STORE=keyfile` skips the keyring (headless
 * servers, tests).
 */
import { KeyFileCipher } from './keyfile-cipher';
import { KeyringCipher, type KeyringOptions } from './keyring-cipher';
import type { SecretCipher } from './secret-store';

export interface DefaultCipherOptions {
  env?: Readonly<Record<string, string | undefined>>;
  keyring?: KeyringOptions;
  platform?: NodeJS.Platform;
}

export async function openDefaultCipher(dataDir: string, options: DefaultCipherOptions = {}): Promise<SecretCipher> {
  const platform = options.platform ?? process.platform;
  if (options.env?.TUNNELSCOPE_SECRET_STORE?.trim().toLowerCase() === 'keyfile') {
    return KeyFileCipher.open(dataDir, { fallbackReason: 'TUNNELSCOPE_SECRET_STORE=keyfile is set.', platform });
  }
  try {
    return await KeyringCipher.open({ ...options.keyring, platform });
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return KeyFileCipher.open(dataDir, { fallbackReason: `${capitalize(why)}.`, platform });
  }
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
