// src-main/index.ts wired up against fake Electron objects: the order of start-up, the
// single-instance lock, the window it opens, and a quit that closes the engine first.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { COMMAND_NAMES } from '../../../src-main/shared/commands';
import { MENU_CHANNEL } from '../../../src-main/shared/ipc-channels';
import type { EngineOptions } from '../../../src-main/core/engine';

const fake = vi.hoisted(() => {
  type Listener = (...args: unknown[]) => void;
  const log: string[] = [];
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });
  const appListeners = new Map<string, Listener[]>();
  const app = {
    isPackaged: false,
    requestSingleInstanceLock: vi.fn(() => {
      log.push('lock');
      return true;
    }),
    enableSandbox: vi.fn(() => log.push('enableSandbox')),
    whenReady: () => ready,
    isReady: () => true,
    on: vi.fn((name: string, listener: Listener) => {
      appListeners.set(name, [...(appListeners.get(name) ?? []), listener]);
      return app;
    }),
    emit: (name: string, ...args: unknown[]) => {
      for (const listener of appListeners.get(name) ?? []) listener(...args);
    },
    getPath: vi.fn(() => '/tmp/tunnelscope-main-entry-test-user-data'),
    setPath: vi.fn(),
    getVersion: () => '1.2.3',
    getAppPath: () => '/nonexistent-app-path',
    quit: vi.fn(() => log.push('quit')),
    exit: vi.fn(),
  };

  class FakeWindow {
    static all: FakeWindow[] = [];
    static focused: FakeWindow | null = null;
    readonly options: Record<string, unknown>;
    readonly listeners = new Map<string, Listener[]>();
    url = '';
    minimized = true;
    readonly webContents = {
      once: vi.fn(),
      send: vi.fn(),
      getURL: () => this.url,
      isDestroyed: () => false,
      isCrashed: () => false,
    };
    loadURL = vi.fn(async (url: string) => {
      this.url = url;
    });
    restore = vi.fn(() => {
      this.minimized = false;
    });
    show = vi.fn();
    focus = vi.fn();
    constructor(options: Record<string, unknown>) {
      this.options = options;
      FakeWindow.all.push(this);
      log.push('window');
    }
    static getFocusedWindow(): FakeWindow | null {
      return FakeWindow.focused;
    }
    on(name: string, listener: Listener): this {
      this.listeners.set(name, [...(this.listeners.get(name) ?? []), listener]);
      return this;
    }
    once(name: string, listener: Listener): this {
      return this.on(name, listener);
    }
    isMinimized(): boolean {
      return this.minimized;
    }
    isDestroyed(): boolean {
      return false;
    }
    maximize(): void {}
  }

  const ipcHandlers = new Map<string, unknown>();
  return {
    log,
    markReady,
    app,
    FakeWindow,
    ipcHandlers,
    electron: {
      app,
      BrowserWindow: FakeWindow,
      protocol: {
        registerSchemesAsPrivileged: vi.fn(() => log.push('registerScheme')),
        handle: vi.fn(() => log.push('protocolHandle')),
      },
      session: {
        defaultSession: {
          resolveProxy: vi.fn(async () => 'DIRECT'),
          setPermissionRequestHandler: vi.fn(() => log.push('permissions')),
          setPermissionCheckHandler: vi.fn(),
          setDevicePermissionHandler: vi.fn(),
        },
      },
      ipcMain: {
        handle: vi.fn((name: string, handler: unknown) => ipcHandlers.set(name, handler)),
        removeHandler: vi.fn(),
      },
      Menu: { buildFromTemplate: vi.fn((template: unknown) => ({ template })), setApplicationMenu: vi.fn(() => log.push('menu')) },
      screen: {
        getPrimaryDisplay: () => ({ workArea: { x: 0, y: 0, width: 1920, height: 1040 } }),
        getAllDisplays: () => [],
      },
      nativeTheme: { shouldUseDarkColors: false },
      // Linux without a Secret Service: Chromium's fixed-password backend.
      safeStorage: {
        isEncryptionAvailable: vi.fn(() => true),
        encryptString: (text: string) => Buffer.from(text).reverse(),
        decryptString: (data: Buffer) => Buffer.from(data).reverse().toString(),
        getSelectedStorageBackend: () => 'basic_text',
      },
      shell: { openExternal: vi.fn(), openPath: vi.fn(async () => '') },
    },
  };
});
vi.mock('electron', () => fake.electron);

const engineDispose = vi.hoisted(() => ({ calls: 0, options: [] as EngineOptions[] }));
vi.mock('../../../src-main/core/engine', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../../src-main/core/engine')>();
  class RecordingEngine extends original.Engine {
    constructor(options: ConstructorParameters<typeof original.Engine>[0]) {
      super(options);
      engineDispose.options.push(options);
    }
    override async dispose(): Promise<void> {
      engineDispose.calls += 1;
      fake.log.push('engine.dispose');
      await super.dispose();
    }
  }
  return { Engine: RecordingEngine };
});

const savedRendererUrl = process.env['ELECTRON_RENDERER_URL'];
beforeAll(async () => {
  delete process.env['ELECTRON_RENDERER_URL'];
  await import('../../../src-main/index');
  expect(fake.log).not.toContain('window');
  fake.markReady();
  await vi.waitFor(() => expect(fake.log).toContain('window'));
});
afterAll(() => {
  if (savedRendererUrl !== undefined) process.env['ELECTRON_RENDERER_URL'] = savedRendererUrl;
});

describe('main entry', () => {
  it('takes the single-instance lock, enables the sandbox and registers the scheme before ready', () => {
    const beforeReady = fake.log.slice(0, fake.log.indexOf('protocolHandle'));
    expect(beforeReady).toEqual(expect.arrayContaining(['lock', 'enableSandbox', 'registerScheme']));
    expect(fake.log.indexOf('lock')).toBe(0);
  });

  it('after ready: serves app://, denies permissions, registers every command, installs the menu, then opens the window', () => {
    const order = ['protocolHandle', 'permissions', 'menu', 'window'].map((step) => fake.log.indexOf(step));
    expect(order.every((index) => index >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect([...fake.ipcHandlers.keys()].sort()).toEqual([...COMMAND_NAMES].sort());
  });

  it('opens one window on app://tunnelscope/index.html with the built preload', () => {
    expect(fake.FakeWindow.all).toHaveLength(1);
    const window = fake.FakeWindow.all[0];
    expect(window?.loadURL).toHaveBeenCalledWith('app://tunnelscope/index.html');
    expect(window?.options).toMatchObject({ webPreferences: { contextIsolation: true, sandbox: true, nodeIntegration: false } });
    expect(String((window?.options['webPreferences'] as { preload?: unknown } | undefined)?.preload)).toMatch(/[/\\]preload[/\\]index\.cjs$/);
  });

  it('a second instance restores and focuses the existing window instead of opening another', () => {
    fake.app.emit('second-instance');
    const window = fake.FakeWindow.all[0];
    expect(window?.restore).toHaveBeenCalled();
    expect(window?.focus).toHaveBeenCalled();
    expect(fake.FakeWindow.all).toHaveLength(1);
  });

  it('sends menu actions to the window on the menu channel', () => {
    const template = fake.electron.Menu.buildFromTemplate.mock.calls[0]?.[0];
    const items = JSON.stringify(template);
    expect(items).toContain('New Connection');
    const file = (template as Array<{ submenu?: Array<{ label?: string; click?: () => void }> }>)[0];
    file?.submenu?.find((item) => item.label === 'New Connection')?.click?.();
    expect(fake.FakeWindow.all[0]?.webContents.send).toHaveBeenCalledWith(MENU_CHANNEL, 'new-connection');
  });

  it("keeps profiles in userData with safeStorage, and basic_text's warning reaches profiles:status", async () => {
    const options = engineDispose.options[0];
    expect(options?.profiles?.dataDir).toBe('/tmp/tunnelscope-main-entry-test-user-data');
    expect(fake.app.getPath).toHaveBeenCalledWith('userData');
    // safeStorage is asked only when a secret is needed (after ready), not at start.
    expect(fake.electron.safeStorage.isEncryptionAvailable).not.toHaveBeenCalled();
    const cipher = typeof options?.profiles?.cipher === 'function' ? await options.profiles.cipher() : undefined;
    expect(cipher?.kind).toBe('safeStorage');
    expect(cipher?.protection).toBe(process.platform === 'linux' ? 'none' : 'os-store');
    if (process.platform === 'linux') expect(cipher?.warning).toContain('basic_text');
  });

  it('on quit, closes the engine first and only then lets the app quit', async () => {
    const event = { preventDefault: vi.fn() };
    fake.app.emit('will-quit', event);
    expect(event.preventDefault).toHaveBeenCalledTimes(1);
    await vi.waitFor(() => expect(fake.app.quit).toHaveBeenCalled());
    expect(engineDispose.calls).toBe(1);
    expect(fake.log.indexOf('engine.dispose')).toBeLessThan(fake.log.lastIndexOf('quit'));
    // The second round of will-quit goes through.
    const again = { preventDefault: vi.fn() };
    fake.app.emit('will-quit', again);
    expect(again.preventDefault).not.toHaveBeenCalled();
  });
});
