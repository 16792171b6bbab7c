/**
 * The desktop app's export with secrets: a call from the page with `includeSecrets: true`
 * never gets the secrets back over IPC. With the main process's saver, the main process asks
 * where to save (its own dialog) and writes the file itself; the page hears only "saved to
 * <path>". Without a saver, it is refused. Real engine and profile store; Electron is faked.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Engine } from '../../../src-main/core/engine';
import { KeyFileCipher } from '../../../src-main/core/secrets/keyfile-cipher';
import { createAppUrlCheck } from '../../../src-main/electron/app-origin';
import { registerIpcHandlers, type AppWindow } from '../../../src-main/electron/ipc-handlers';
import { fakeAppWindow } from './fake-ipc';
import { secretExportSaver } from '../../../src-main/electron/secret-export-save';
import { SECRETS, fullProfileInput, makeTempDir, saveArg, valueOf } from '../profiles/profile-fixtures';

const electron = await vi.hoisted(async () => (await import('./fake-ipc')).fakeIpcMain());
vi.mock('electron', () => ({ ipcMain: electron.ipcMain }));

let temp: ReturnType<typeof makeTempDir>;
let engine: Engine;
let undo: (() => void) | undefined;
const { mainFrame, contents, window } = fakeAppWindow();

beforeEach(async () => {
  temp = makeTempDir('tunnelscope-ipc-secrets-');
  const dataDir = path.join(temp.dir, 'data');
  engine = new Engine({ host: 'electron', version: '1.0.0', env: {}, profiles: { dataDir, cipher: KeyFileCipher.open(dataDir) } });
  valueOf(await engine.call('profiles:save', saveArg(fullProfileInput())));
});
afterEach(async () => {
  undo?.();
  undo = undefined;
  electron.handlers.clear();
  await engine.dispose();
  temp.cleanup();
});

async function exportFromPage(arg: unknown): Promise<{ ok: boolean; value?: Record<string, unknown>; error?: { code: string; message: string } }> {
  const handler = electron.handlers.get('profiles:export');
  if (!handler) throw new Error('no handler');
  return (await handler({ sender: contents, senderFrame: mainFrame }, arg)) as never;
}

describe('profiles:export with secrets over IPC', () => {
  it('is refused when the app has no saver: the page never gets the secrets', async () => {
    undo = registerIpcHandlers({ engine, windows: () => [window], isAppUrl: createAppUrlCheck(null) });
    const result = await exportFromPage({ includeSecrets: true });
    expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: expect.stringContaining('secrets are never sent to the page') } });
    expect(JSON.stringify(result)).not.toContain(SECRETS.proxyPassword);
  });

  it('with the saver: the main process writes the file (0600) where its dialog said; the page gets only the path', async () => {
    const target = path.join(temp.dir, 'chosen.json');
    const chooseFile = vi.fn(async (from: AppWindow) => (from === window ? target : undefined));
    const saver = secretExportSaver({ exportProfiles: (arg) => engine.call('profiles:export', arg), chooseFile });
    undo = registerIpcHandlers({ engine, windows: () => [window], isAppUrl: createAppUrlCheck(null), saveSecretExport: saver });
    const result = await exportFromPage({ includeSecrets: true });
    expect(result).toEqual({ ok: true, value: { text: '', count: 1, containsSecrets: true, warnings: expect.any(Array), savedTo: target } });
    expect(JSON.stringify(result)).not.toContain(SECRETS.proxyPassword);
    expect(fs.readFileSync(target, 'utf8')).toContain(SECRETS.proxyPassword);
    expect(fs.statSync(target).mode & 0o777).toBe(0o600);
    expect(chooseFile).toHaveBeenCalledTimes(1);
  });

  it('a closed dialog writes nothing and decrypts nothing', async () => {
    const exportProfiles = vi.fn((arg: Parameters<Engine['call']>[1]) => engine.call('profiles:export', arg as never));
    const saver = secretExportSaver({ exportProfiles, chooseFile: async () => undefined });
    undo = registerIpcHandlers({ engine, windows: () => [window], isAppUrl: createAppUrlCheck(null), saveSecretExport: saver });
    expect(await exportFromPage({ includeSecrets: true })).toEqual({ ok: true, value: { text: '', count: 0, containsSecrets: false, warnings: [], canceled: true } });
    expect(exportProfiles).not.toHaveBeenCalled();
  });

  it('a link chosen in the dialog is not written through; the page hears why', async () => {
    const victim = path.join(temp.dir, 'victim.txt');
    fs.writeFileSync(victim, 'keep me');
    const link = path.join(temp.dir, 'link.json');
    fs.symlinkSync(victim, link);
    const saver = secretExportSaver({ exportProfiles: (arg) => engine.call('profiles:export', arg), chooseFile: async () => link });
    undo = registerIpcHandlers({ engine, windows: () => [window], isAppUrl: createAppUrlCheck(null), saveSecretExport: saver });
    const result = await exportFromPage({ includeSecrets: true });
    expect(result).toMatchObject({ ok: false, error: { code: 'STORAGE_ERROR', message: expect.stringContaining('is a symbolic link') } });
    expect(JSON.stringify(result)).not.toContain(SECRETS.proxyPassword);
    expect(fs.readFileSync(victim, 'utf8')).toBe('keep me');
  });

  it('an export without secrets still answers the text to the page', async () => {
    undo = registerIpcHandlers({ engine, windows: () => [window], isAppUrl: createAppUrlCheck(null) });
    const result = await exportFromPage({ includeSecrets: false });
    expect(result.ok).toBe(true);
    expect(String(result.value?.['text'])).toContain('tunnelscope-profiles');
    expect(JSON.stringify(result)).not.toContain(SECRETS.proxyPassword);
  });

  it('a malformed secret export is a validation error from the engine, never a secret', async () => {
    undo = registerIpcHandlers({ engine, windows: () => [window], isAppUrl: createAppUrlCheck(null) });
    const result = await exportFromPage({ includeSecrets: true, ids: 'all' });
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
    expect(JSON.stringify(result)).not.toContain(SECRETS.proxyPassword);
  });
});
