/**
 * The desktop app's CA download (`intercept-proxy:ca-save` over IPC): the main process asks
 * where (its own dialog, faked here) and writes the PEM itself; the page hears where it went, or
 * that the dialog was closed. Without the saver the engine's refusal comes back. Real engine and
 * CA; Electron is faked.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Engine } from '../../../src-main/core/engine';
import { KeyFileCipher } from '../../../src-main/core/secrets/keyfile-cipher';
import { createAppUrlCheck } from '../../../src-main/electron/app-origin';
import { registerIpcHandlers, type AppWindow } from '../../../src-main/electron/ipc-handlers';
import { fakeAppWindow } from './fake-ipc';
import { caCertSaver } from '../../../src-main/electron/ca-cert-save';
import { makeTempDir } from '../profiles/profile-fixtures';

const electron = await vi.hoisted(async () => (await import('./fake-ipc')).fakeIpcMain());
vi.mock('electron', () => ({ ipcMain: electron.ipcMain }));

let temp: ReturnType<typeof makeTempDir>;
let engine: Engine;
let undo: (() => void) | undefined;
const { mainFrame, contents, window } = fakeAppWindow();

beforeEach(() => {
  temp = makeTempDir('tunnelscope-ipc-ca-');
  const dataDir = path.join(temp.dir, 'data');
  engine = new Engine({ host: 'electron', version: '1.0.0', env: {}, profiles: { dataDir, cipher: KeyFileCipher.open(dataDir) } });
});
afterEach(async () => {
  undo?.();
  undo = undefined;
  electron.handlers.clear();
  await engine.dispose();
  temp.cleanup();
});

async function saveFromPage(arg: unknown = {}): Promise<unknown> {
  const handler = electron.handlers.get('intercept-proxy:ca-save');
  if (!handler) throw new Error('no handler');
  return handler({ sender: contents, senderFrame: mainFrame }, arg);
}

describe('intercept-proxy:ca-save over IPC', () => {
  it('asks where with the main process’s dialog, proposing tunnelscope-ca.pem, and writes the PEM there', async () => {
    const target = path.join(temp.dir, 'chosen-ca.pem');
    const chooseFile = vi.fn(async (_window: AppWindow, _name: string) => target);
    undo = registerIpcHandlers({
      engine,
      windows: () => [window],
      isAppUrl: createAppUrlCheck(null),
      saveCaCert: caCertSaver({ caCert: () => engine.call('intercept-proxy:ca-cert', {}), chooseFile }),
    });
    expect(await saveFromPage()).toEqual({ ok: true, value: { savedTo: target } });
    expect(chooseFile).toHaveBeenCalledWith(window, 'tunnelscope-ca.pem');
    const cert = await engine.call('intercept-proxy:ca-cert', {});
    expect(cert.ok && fs.readFileSync(target, 'utf8')).toBe(cert.ok ? cert.value.pem : '');
    expect(fs.readFileSync(target, 'utf8')).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
  });

  it('a closed dialog writes nothing and says so; an argument with fields is refused', async () => {
    undo = registerIpcHandlers({
      engine,
      windows: () => [window],
      isAppUrl: createAppUrlCheck(null),
      saveCaCert: caCertSaver({ caCert: () => engine.call('intercept-proxy:ca-cert', {}), chooseFile: async () => undefined }),
    });
    expect(await saveFromPage()).toEqual({ ok: true, value: { canceled: true } });
    expect(await saveFromPage({ path: '/tmp/x.pem' })).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
  });

  it('a write that fails is a STORAGE_ERROR naming the file', async () => {
    const target = path.join(temp.dir, 'no-such-dir', 'ca.pem');
    const save = caCertSaver({ caCert: () => engine.call('intercept-proxy:ca-cert', {}), chooseFile: async () => target });
    expect(await save(window)).toMatchObject({ ok: false, error: { code: 'STORAGE_ERROR', message: expect.stringContaining(target) } });
  });

  it('without the saver the page gets the engine’s refusal: only the app’s main process writes the file', async () => {
    undo = registerIpcHandlers({ engine, windows: () => [window], isAppUrl: createAppUrlCheck(null) });
    expect(await saveFromPage()).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });
});
