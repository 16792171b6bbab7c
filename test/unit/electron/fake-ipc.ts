/**
 * Electron's `ipcMain` and an app window, faked for the tests of the IPC handlers. `fakeIpcMain`
 * is meant for `vi.hoisted` (the `electron` mock must exist before the handlers' module loads):
 *   const electron = await vi.hoisted(async () => (await import('./fake-ipc')).fakeIpcMain());
 *   vi.mock('electron', () => ({ ipcMain: electron.ipcMain }));
 */
import { vi } from 'vitest';
import type { AppWindow } from '../../../src-main/electron/ipc-handlers';

export type IpcHandler = (event: unknown, ...args: unknown[]) => unknown;

export interface FakeIpcMain {
  handlers: Map<string, IpcHandler>;
  ipcMain: { handle: ReturnType<typeof vi.fn>; removeHandler: ReturnType<typeof vi.fn> };
}

/** Registering a channel twice throws, as Electron's own ipcMain does. */
export function fakeIpcMain(): FakeIpcMain {
  const handlers = new Map<string, IpcHandler>();
  return {
    handlers,
    ipcMain: {
      handle: vi.fn((channel: string, handler: IpcHandler) => {
        if (handlers.has(channel)) throw new Error(`second handler for ${channel}`);
        handlers.set(channel, handler);
      }),
      removeHandler: vi.fn((channel: string) => handlers.delete(channel)),
    },
  };
}

export const APP_URL = 'app://tunnelscope/index.html';

export interface FakeAppWindow {
  mainFrame: { url: string; processId: number; routingId: number; parent: null };
  contents: { mainFrame: FakeAppWindow['mainFrame']; getURL(): string; isDestroyed(): boolean; isCrashed(): boolean; send: ReturnType<typeof vi.fn> };
  window: AppWindow;
}

/** One live window showing `url`; the handlers only touch these members of WebContents. */
export function fakeAppWindow(url = APP_URL): FakeAppWindow {
  const mainFrame = { url, processId: 7, routingId: 1, parent: null };
  const contents = { mainFrame, getURL: () => url, isDestroyed: () => false, isCrashed: () => false, send: vi.fn() };
  const window: AppWindow = { webContents: contents as unknown as AppWindow['webContents'], isDestroyed: () => false };
  return { mainFrame, contents, window };
}
