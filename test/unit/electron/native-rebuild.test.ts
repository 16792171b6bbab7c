/**
 * The optional kerberos module (Negotiate sign-in) is native: the packaged app needs it built for
 * Electron's ABI. `npm run dist` cannot run here (it downloads Electron's headers), so this checks
 * the two settings that make packaging do it, read through electron-builder's own loader, and
 * that the main bundle loads the module from node_modules instead of inlining it.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config';
import { DebugLogger } from 'builder-util';
import { describe, expect, it } from 'vitest';

const projectDir = fileURLToPath(new URL('../../../', import.meta.url));

describe('packaging rebuilds the native kerberos module for Electron', () => {
  it('electron-builder rebuilds native dependencies, from their sources', async () => {
    const config = await getConfig(projectDir, null, null);
    await validateConfiguration(config, new DebugLogger(false));
    expect(config.npmRebuild).toBe(true);
    expect(config.buildDependenciesFromSource).toBe(true);
  });

  it('kerberos is an optional dependency (npm install never fails without a toolchain) whose install script may run', () => {
    const pkg: unknown = JSON.parse(readFileSync(new URL('package.json', `file://${projectDir}`), 'utf8'));
    expect(pkg).toMatchObject({ optionalDependencies: { kerberos: expect.any(String) }, allowScripts: { kerberos: true } });
  });

  it('the main bundle keeps kerberos external (loaded from node_modules, where the rebuild puts it)', () => {
    const config = readFileSync(new URL('electron.vite.config.ts', `file://${projectDir}`), 'utf8');
    expect(config).toMatch(/externalizeDeps:\s*\{\s*include:\s*\[\s*'kerberos'\s*\]/);
  });
});
