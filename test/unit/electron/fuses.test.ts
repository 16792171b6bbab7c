/**
 * The Electron fuses that packaging (`npm run dist`) flips in the app's binary. The config is
 * read and validated by electron-builder's own loader and schema, so a misspelt fuse name
 * fails here rather than being ignored at packaging time.
 */
import { fileURLToPath } from 'node:url';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config';
import { DebugLogger } from 'builder-util';
import { describe, expect, it } from 'vitest';

const projectDir = fileURLToPath(new URL('../../../', import.meta.url));

async function packagingConfig() {
  const config = await getConfig(projectDir, null, null);
  await validateConfiguration(config, new DebugLogger(false));
  return config;
}

describe('electron-builder.yml: Electron fuses', () => {
  it('is a valid electron-builder configuration', async () => {
    await expect(packagingConfig()).resolves.toBeDefined();
  });

  it.each([
    // No ELECTRON_RUN_AS_NODE: the app's binary cannot be used as a plain Node runtime.
    ['runAsNode', false],
    // NODE_OPTIONS cannot inject code (--require) into the main process.
    ['enableNodeOptionsEnvironmentVariable', false],
    // --inspect and friends cannot attach a debugger to the main process.
    ['enableNodeCliInspectArguments', false],
    // Cookies (and other Chromium storage it covers) are encrypted with the OS keyring's key.
    ['enableCookieEncryption', true],
    // The header hash of app.asar is checked at start (macOS and Windows; Linux has no support).
    ['enableEmbeddedAsarIntegrityValidation', true],
    // The app's code comes only from app.asar, never from a loose app/ folder next to it.
    ['onlyLoadAppFromAsar', true],
    // The UI is served from app://tunnelscope/, so file:// pages need no extra privileges.
    ['grantFileProtocolExtraPrivileges', false],
  ] as const)('%s is %s', async (fuse, value) => {
    const config = await packagingConfig();
    expect(config.electronFuses).toBeDefined();
    expect(config.electronFuses?.[fuse]).toBe(value);
  });

  it('keeps the PAC worker unpacked, so worker_threads can start it from disk', async () => {
    const config = await packagingConfig();
    const unpack = config.asarUnpack;
    expect(Array.isArray(unpack) ? unpack : [unpack]).toContain('out/main/pac-worker.js');
    // Packed into an asar at all (asar: false would make onlyLoadAppFromAsar stop the app from starting).
    expect(config.asar).not.toBe(false);
  });
});
