// The main window's options, and the remembered size/position: validated and fitted to displays.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  DEFAULT_WINDOW_STATE,
  WINDOW_STATE_FILE,
  fitToDisplays,
  parseWindowState,
  readWindowState,
  writeWindowState,
  type Bounds,
} from '../../../src-main/electron/window-state';

const electron = vi.hoisted(() => {
  type Listener = (...args: unknown[]) => void;
  class FakeBrowserWindow {
    static created: FakeBrowserWindow[] = [];
    readonly listeners = new Map<string, Listener[]>();
    readonly options: Record<string, unknown>;
    maximized = false;
    visible = false;
    destroyed = false;
    loadURL = vi.fn(async (_url: string) => undefined);
    readonly webContents = { once: vi.fn() };
    constructor(options: Record<string, unknown>) {
      this.options = options;
      FakeBrowserWindow.created.push(this);
    }
    on(name: string, listener: Listener): this {
      this.listeners.set(name, [...(this.listeners.get(name) ?? []), listener]);
      return this;
    }
    once(name: string, listener: Listener): this {
      return this.on(name, listener);
    }
    fire(name: string): void {
      for (const listener of this.listeners.get(name) ?? []) listener();
    }
    maximize(): void {
      this.maximized = true;
    }
    isMaximized(): boolean {
      return this.maximized;
    }
    show(): void {
      this.visible = true;
    }
    isVisible(): boolean {
      return this.visible;
    }
    isDestroyed(): boolean {
      return this.destroyed;
    }
    getNormalBounds(): { x: number; y: number; width: number; height: number } {
      return { x: 40, y: 50, width: 1400, height: 900 };
    }
  }
  const displays = { primary: { x: 0, y: 0, width: 1920, height: 1040 }, others: [] as Array<{ x: number; y: number; width: number; height: number }> };
  return {
    FakeBrowserWindow,
    displays,
    screen: {
      getPrimaryDisplay: () => ({ workArea: displays.primary }),
      getAllDisplays: () => [{ workArea: displays.primary }, ...displays.others.map((workArea) => ({ workArea }))],
    },
    nativeTheme: { shouldUseDarkColors: false },
  };
});
vi.mock('electron', () => ({ BrowserWindow: electron.FakeBrowserWindow, screen: electron.screen, nativeTheme: electron.nativeTheme }));

const { createMainWindow, secureWebPreferences } = await import('../../../src-main/electron/window');

let directory: string;
beforeEach(() => {
  directory = fs.mkdtempSync(path.join(os.tmpdir(), 'tunnelscope-window-'));
  electron.FakeBrowserWindow.created.length = 0;
  electron.displays.others = [];
});
afterEach(() => fs.rmSync(directory, { recursive: true, force: true }));

describe('window: web preferences', () => {
  it('isolates and sandboxes the page, with no Node and web security on', () => {
    const prefs = secureWebPreferences('/app/out/preload/index.cjs');
    expect(prefs).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
    });
  });

  it('creates the window with those preferences, hidden until painted, and loads the entry URL', () => {
    const window = createMainWindow({ preloadPath: '/p/index.cjs', entryUrl: 'app://tunnelscope/index.html', stateDirectory: directory });
    const fake = electron.FakeBrowserWindow.created[0];
    expect(fake).toBeDefined();
    expect(fake?.options).toMatchObject({ show: false, width: 1280, height: 800, webPreferences: secureWebPreferences('/p/index.cjs') });
    expect(fake?.options).not.toHaveProperty('x');
    expect(fake?.loadURL).toHaveBeenCalledWith('app://tunnelscope/index.html');
    expect(fake?.visible).toBe(false);
    fake?.fire('ready-to-show');
    expect(fake?.visible).toBe(true);
    expect(window).toBe(fake);
  });

  it('restores the saved bounds and maximized state, and saves them on close', () => {
    writeWindowState(directory, { x: 100, y: 80, width: 1500, height: 950, maximized: true });
    createMainWindow({ preloadPath: '/p/index.cjs', entryUrl: 'app://tunnelscope/index.html', stateDirectory: directory });
    const fake = electron.FakeBrowserWindow.created[0];
    expect(fake?.options).toMatchObject({ x: 100, y: 80, width: 1500, height: 950 });
    expect(fake?.maximized).toBe(true);
    fake?.fire('close');
    expect(readWindowState(directory)).toEqual({ x: 40, y: 50, width: 1400, height: 900, maximized: true });
  });

  it('pulls a window saved on a display that is gone back onto the screen', () => {
    writeWindowState(directory, { x: 3000, y: 100, width: 1200, height: 800, maximized: false });
    createMainWindow({ preloadPath: '/p/index.cjs', entryUrl: 'app://tunnelscope/index.html', stateDirectory: directory });
    expect(electron.FakeBrowserWindow.created[0]?.options).not.toHaveProperty('x');
  });
});

describe('window state: validation', () => {
  const good = { version: 1, x: 10, y: 20, width: 1280, height: 800, maximized: false };

  it('accepts what it wrote', () => {
    expect(parseWindowState(good)).toEqual({ x: 10, y: 20, width: 1280, height: 800, maximized: false });
  });

  it.each([
    ['null', null],
    ['an array', [1, 2]],
    ['a string', 'big'],
    ['another version', { ...good, version: 2 }],
    ['no version', { x: 1, y: 1, width: 1280, height: 800, maximized: false }],
    ['a string width', { ...good, width: '1280' }],
    ['NaN', { ...good, height: Number.NaN }],
    ['Infinity', { ...good, width: Number.POSITIVE_INFINITY }],
    ['a fraction', { ...good, width: 1280.5 }],
    ['zero size', { ...good, width: 0 }],
    ['negative size', { ...good, height: -5 }],
    ['absurd position', { ...good, x: 1e12 }],
    ['maximized as a string', { ...good, maximized: 'yes' }],
    ['no maximized flag', { version: 1, width: 1280, height: 800 }],
  ])('rejects %s', (_label, raw) => {
    expect(parseWindowState(raw)).toBeNull();
  });

  it('drops a position with only one coordinate', () => {
    expect(parseWindowState({ version: 1, x: 5, width: 1000, height: 700, maximized: false })).toEqual({ width: 1000, height: 700, maximized: false });
  });

  it('reads a missing, corrupt or oversized file as no state', () => {
    expect(readWindowState(directory)).toBeNull();
    fs.writeFileSync(path.join(directory, WINDOW_STATE_FILE), '{"version":1,');
    expect(readWindowState(directory)).toBeNull();
    fs.writeFileSync(path.join(directory, WINDOW_STATE_FILE), `{"version":1,"pad":"${'x'.repeat(20_000)}"}`);
    expect(readWindowState(directory)).toBeNull();
  });

  it('writes atomically and leaves no temporary file behind', () => {
    writeWindowState(directory, DEFAULT_WINDOW_STATE);
    expect(fs.readdirSync(directory)).toEqual([WINDOW_STATE_FILE]);
    expect(readWindowState(directory)).toEqual(DEFAULT_WINDOW_STATE);
  });
});

describe('window state: fitting to displays', () => {
  const laptop: Bounds = { x: 0, y: 0, width: 1440, height: 860 };
  const external: Bounds = { x: 1440, y: 0, width: 2560, height: 1400 };

  it.each<[string, Parameters<typeof fitToDisplays>[0], Bounds[], ReturnType<typeof fitToDisplays>]>([
    ['keeps a window that is fully visible', { x: 100, y: 50, width: 1200, height: 760, maximized: false }, [laptop], { x: 100, y: 50, width: 1200, height: 760, maximized: false }],
    ['keeps a window on the second display', { x: 1600, y: 100, width: 1800, height: 1000, maximized: true }, [laptop, external], { x: 1600, y: 100, width: 1800, height: 1000, maximized: true }],
    ['centres a window whose display was unplugged', { x: 1600, y: 100, width: 1800, height: 1000, maximized: false }, [laptop], { width: 1440, height: 860, maximized: false }],
    ['centres a window far off screen', { x: -5000, y: -5000, width: 1000, height: 700, maximized: false }, [laptop], { width: 1000, height: 700, maximized: false }],
    ['slides a window hanging off the right edge back in', { x: 1000, y: 100, width: 1000, height: 700, maximized: false }, [laptop], { x: 440, y: 100, width: 1000, height: 700, maximized: false }],
    ['slides a window with its title bar above the top back in', { x: 100, y: -300, width: 1000, height: 700, maximized: false }, [laptop], { x: 100, y: 0, width: 1000, height: 700, maximized: false }],
    ['caps a window larger than its display', { x: 0, y: 0, width: 5000, height: 3000, maximized: false }, [laptop], { x: 0, y: 0, width: 1440, height: 860, maximized: false }],
    ['raises a tiny window to the minimum size', { width: 200, height: 100, maximized: false }, [laptop], { width: 900, height: 560, maximized: false }],
    ['never makes a window larger than a small display', { width: 200, height: 100, maximized: false }, [{ x: 0, y: 0, width: 800, height: 500 }], { width: 800, height: 500, maximized: false }],
    ['moves a window spanning two displays onto the one it overlaps most', { x: 1000, y: 0, width: 1400, height: 800, maximized: false }, [laptop, external], { x: 1440, y: 0, width: 1400, height: 800, maximized: false }],
    ['leaves the state alone when no display is known', { x: 1, y: 2, width: 3, height: 4, maximized: false }, [], { x: 1, y: 2, width: 3, height: 4, maximized: false }],
  ])('%s', (_label, state, displays, expected) => {
    expect(fitToDisplays(state, displays)).toEqual(expected);
  });
});
