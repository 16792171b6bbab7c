/**
 * Electron main process entry: one instance, one locked-down window showing the UI from
 * app://tunnelscope (or electron-vite's dev server in development), the engine behind the
 * IPC handlers, and a clean shutdown that closes every session.
 */
import { app, BrowserWindow, safeStorage, session } from 'electron';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSystemProxy, Engine } from './core';
import { MENU_CHANNEL, type MenuAction } from './shared/ipc-channels';
import { APP_ENTRY_URL, createAppUrlCheck, devServerOrigin } from './electron/app-origin';
import { registerAppScheme, serveAppProtocol } from './electron/app-protocol';
import { readmeOpener } from './electron/help-links';
import { registerIpcHandlers, sendToAppWindows } from './electron/ipc-handlers';
import { chooseSecretExportFile } from './electron/secret-export-dialog';
import { chooseCaCertFile } from './electron/ca-cert-dialog';
import { caCertSaver } from './electron/ca-cert-save';
import { secretExportSaver } from './electron/secret-export-save';
import { installApplicationMenu } from './electron/menu';
import { electronProfileStorage } from './electron/profile-storage';
import { denyPermissionsByDefault, hardenAllWebContents } from './electron/security';
import { createSystemResolver, SYSTEM_PROXY_LABEL } from './electron/system-proxy';
import { createMainWindow } from './electron/window';

/** How long quitting waits for sessions to close before it gives up on them. */
const SHUTDOWN_TIMEOUT_MS = 3000;

// The bundle is out/main/index.js; the preload and the renderer are built beside it.
const outDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const preloadPath = path.join(outDir, 'preload', 'index.cjs');
const rendererRoot = path.join(outDir, 'renderer');

// The dev server is trusted only in development builds, and only on loopback.
const rendererUrlFromEnv = process.env['ELECTRON_RENDERER_URL'];
const devOrigin = app.isPackaged ? null : devServerOrigin(rendererUrlFromEnv);
if (!app.isPackaged && rendererUrlFromEnv !== undefined && devOrigin === null) {
  console.warn('tunnelscope: ignoring ELECTRON_RENDERER_URL: it must be an http(s) URL on localhost');
}
const entryUrl = devOrigin !== null && rendererUrlFromEnv !== undefined ? rendererUrlFromEnv : APP_ENTRY_URL;
const isAppUrl = createAppUrlCheck(devOrigin);

// Development builds may keep their data elsewhere (the end-to-end tests use a fresh folder,
// so a running Tunnelscope neither holds their single-instance lock nor shares their state).
const userDataOverride = process.env['TUNNELSCOPE_USER_DATA_DIR'];
if (!app.isPackaged && userDataOverride !== undefined && path.isAbsolute(userDataOverride)) {
  app.setPath('userData', userDataOverride);
}

const windows = new Set<BrowserWindow>();
let engine: Engine | null = null;

function openWindow(): BrowserWindow {
  const window = createMainWindow({ preloadPath, entryUrl, stateDirectory: app.getPath('userData') });
  windows.add(window);
  window.on('closed', () => windows.delete(window));
  return window;
}

function mainWindow(): BrowserWindow | undefined {
  const focused = BrowserWindow.getFocusedWindow();
  return focused !== null && windows.has(focused) ? focused : [...windows][0];
}

function showMainWindow(): void {
  const window = mainWindow();
  if (window === undefined) {
    if (app.isReady()) openWindow();
    return;
  }
  if (window.isMinimized()) window.restore();
  window.show();
  window.focus();
}

function deliverMenuAction(action: MenuAction): void {
  const window = mainWindow();
  // With no window (macOS keeps running), a new window is itself the new connection.
  if (window === undefined) {
    openWindow();
    return;
  }
  sendToAppWindows([window], isAppUrl, MENU_CHANNEL, action);
}

async function startApp(): Promise<void> {
  await app.whenReady();
  serveAppProtocol(rendererRoot);
  denyPermissionsByDefault(session.defaultSession, isAppUrl);
  engine = new Engine({
    host: 'electron',
    version: app.getVersion(),
    systemResolver: createSystemResolver(session.defaultSession),
    systemLabel: SYSTEM_PROXY_LABEL,
    // Chromium decides; the OS settings as Tunnelscope reads them are only shown beside its answer.
    systemProxy: createSystemProxy({ env: process.env }),
    // Profiles in userData (after the TUNNELSCOPE_USER_DATA_DIR override above), secrets with safeStorage.
    profiles: electronProfileStorage(app, safeStorage),
  });
  const running = engine;
  registerIpcHandlers({
    engine,
    windows: () => [...windows],
    isAppUrl,
    // An export with secrets: the main process's save dialog, and the file written here (not by the page).
    saveSecretExport: secretExportSaver({ exportProfiles: (arg) => running.call('profiles:export', arg), chooseFile: chooseSecretExportFile }),
    // The intercept CA: the main process's save dialog, and the file written here.
    saveCaCert: caCertSaver({ caCert: () => running.call('intercept-proxy:ca-cert', {}), chooseFile: chooseCaCertFile }),
  });
  installApplicationMenu({
    platform: process.platform,
    isPackaged: app.isPackaged,
    appName: 'Tunnelscope',
    onAction: deliverMenuAction,
    onOpenReadme: readmeOpener(app.getAppPath()),
  });
  openWindow();
  app.on('activate', () => {
    // macOS: clicking the dock icon with no window open opens one.
    if (windows.size === 0) openWindow();
  });
}

/** Closes the engine's sessions (close frames where open), waiting at most a few seconds. */
async function shutdown(): Promise<void> {
  const running = engine;
  engine = null;
  if (running === null) return;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, SHUTDOWN_TIMEOUT_MS);
  });
  try {
    await Promise.race([running.dispose(), timeout]);
  } catch (error) {
    console.error(`tunnelscope: shutting down the engine failed: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    clearTimeout(timer);
  }
}

if (!app.requestSingleInstanceLock()) {
  // Another Tunnelscope is running: it gets focused (its 'second-instance' handler) and we leave.
  app.quit();
} else {
  app.enableSandbox();
  registerAppScheme();
  hardenAllWebContents(app, isAppUrl);
  app.on('second-instance', showMainWindow);
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  let shutDown = false;
  app.on('will-quit', (event) => {
    if (shutDown) return;
    event.preventDefault();
    void shutdown().finally(() => {
      shutDown = true;
      app.quit();
    });
  });
  startApp().catch((error: unknown) => {
    console.error(`tunnelscope: could not start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    app.exit(1);
  });
}
