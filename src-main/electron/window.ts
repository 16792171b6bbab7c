/**
 * The main window: locked down per Electron's security guide (isolated, sandboxed, no Node
 * in the page), placed where the user left it, and pointed at the app's own origin.
 */
import { BrowserWindow, nativeTheme, screen, type WebPreferences } from 'electron';
import {
  DEFAULT_WINDOW_STATE,
  MIN_WINDOW_SIZE,
  fitToDisplays,
  readWindowState,
  writeWindowState,
  type WindowState,
} from './window-state';

export interface MainWindowOptions {
  /** Absolute path of the built preload (out/preload/index.cjs). */
  preloadPath: string;
  /** What to load: app://tunnelscope/index.html, or the dev server's URL in development. */
  entryUrl: string;
  /** Where window-state.json lives (app.getPath('userData')). */
  stateDirectory: string;
}

/** The page gets the preload's bridge and nothing else: no Node, no remote content rights. */
export function secureWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
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
    safeDialogs: true,
    spellcheck: false,
  };
}

/** Where the window opens: the saved state fitted to today's displays, or the defaults. */
export function initialWindowState(stateDirectory: string): WindowState {
  const saved = readWindowState(stateDirectory) ?? DEFAULT_WINDOW_STATE;
  const primary = screen.getPrimaryDisplay().workArea;
  const others = screen.getAllDisplays().map((display) => display.workArea);
  return fitToDisplays(saved, [primary, ...others]);
}

export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const state = initialWindowState(options.stateDirectory);
  const window = new BrowserWindow({
    ...(state.x !== undefined && state.y !== undefined ? { x: state.x, y: state.y } : {}),
    width: state.width,
    height: state.height,
    minWidth: MIN_WINDOW_SIZE.width,
    minHeight: MIN_WINDOW_SIZE.height,
    title: 'Tunnelscope',
    // Shown once painted, on a background close to the theme's, so it does not flash white.
    show: false,
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#1b1d21' : '#ffffff',
    webPreferences: secureWebPreferences(options.preloadPath),
  });
  if (state.maximized) window.maximize();
  window.once('ready-to-show', () => window.show());
  // A page that fails to load must still show its window (with Chromium's error page).
  window.webContents.once('did-fail-load', () => {
    if (!window.isDestroyed() && !window.isVisible()) window.show();
  });
  rememberWindowState(window, options.stateDirectory);
  window.loadURL(options.entryUrl).catch((error: unknown) => {
    console.error(`tunnelscope: could not load the UI from ${options.entryUrl}: ${error instanceof Error ? error.message : String(error)}`);
  });
  return window;
}

/** Saves the normal (unmaximized) bounds and the maximized flag when the window closes. */
export function rememberWindowState(window: BrowserWindow, stateDirectory: string): void {
  window.on('close', () => {
    const bounds = window.getNormalBounds();
    writeWindowState(stateDirectory, {
      x: bounds.x,
      y: bounds.y,
      width: bounds.width,
      height: bounds.height,
      maximized: window.isMaximized(),
    });
  });
}
