/**
 * Where the desktop app keeps its profiles (Electron's `userData` folder) and how it encrypts
 * their secrets: Electron's safeStorage, or the key file where safeStorage cannot encrypt. On
 * Linux with the `basic_text` backend the cipher reports protection `none` with a warning,
 * which reaches the UI through `profiles:status`.
 */
import type { App } from 'electron';
import { safeStorageOrKeyFile, type EngineOptions, type SafeStorageLike } from '../core';

export type ProfileStorageOptions = NonNullable<EngineOptions['profiles']>;

export function electronProfileStorage(
  app: Pick<App, 'getPath'>,
  safeStorage: SafeStorageLike,
  platform: NodeJS.Platform = process.platform,
): ProfileStorageOptions {
  const dataDir = app.getPath('userData');
  // A function: safeStorage may only be asked once the app is ready, and only when a secret is needed.
  return { dataDir, cipher: () => safeStorageOrKeyFile(safeStorage, dataDir, platform) };
}
