/**
 * The application menu: the app's own entries (new connection, close tab, export log), which
 * reach the renderer as menu actions, and the usual Edit, View, Window and Help menus built
 * from Electron's roles so shortcuts and platform conventions come for free. Ctrl/Cmd+W closes
 * the tab, not the window: the menu only sends the action and the renderer asks first when the
 * tab's session is open; closing the window moves to Ctrl/Cmd+Shift+W.
 */
import { Menu, type MenuItemConstructorOptions } from 'electron';
import type { MenuAction } from '../shared/ipc-channels';

export interface MenuOptions {
  platform: NodeJS.Platform;
  /** Developer tools are offered only in development builds. */
  isPackaged: boolean;
  appName: string;
  /** Delivers one of the app's own actions to the renderer. */
  onAction: (action: MenuAction) => void;
  /** Opens the README (null when the build has none to offer: the entry is disabled). */
  onOpenReadme: (() => void) | null;
}

/** Closing the window: Ctrl/Cmd+W is the tab's. */
const CLOSE_WINDOW = 'CmdOrCtrl+Shift+W';

export function buildMenuTemplate(options: MenuOptions): MenuItemConstructorOptions[] {
  const isMac = options.platform === 'darwin';
  const appEntries: MenuItemConstructorOptions[] = [
    { label: 'New Connection', accelerator: 'CmdOrCtrl+T', click: () => options.onAction('new-connection') },
    { label: 'Close Tab', accelerator: 'CmdOrCtrl+W', click: () => options.onAction('close-tab') },
    { label: 'Export Log…', accelerator: 'CmdOrCtrl+Shift+E', click: () => options.onAction('export-log') },
    { type: 'separator' },
    isMac ? { role: 'close', accelerator: CLOSE_WINDOW } : { role: 'quit' },
  ];
  // Electron's windowMenu role would bind Ctrl/Cmd+W to closing the window.
  const windowMenu: MenuItemConstructorOptions[] = [
    { role: 'minimize' },
    ...(isMac ? [{ role: 'zoom' }, { type: 'separator' }, { role: 'front' }] satisfies MenuItemConstructorOptions[] : []),
    ...(isMac ? [] : [{ role: 'close', accelerator: CLOSE_WINDOW }] satisfies MenuItemConstructorOptions[]),
  ];
  const view: MenuItemConstructorOptions[] = [
    { role: 'reload' },
    ...(options.isPackaged ? [] : [{ role: 'forceReload' }, { role: 'toggleDevTools' }] satisfies MenuItemConstructorOptions[]),
    { type: 'separator' },
    { role: 'resetZoom' },
    { role: 'zoomIn' },
    { role: 'zoomOut' },
    { type: 'separator' },
    { role: 'togglefullscreen' },
  ];
  const help: MenuItemConstructorOptions[] = [
    {
      label: `${options.appName} README`,
      enabled: options.onOpenReadme !== null,
      click: () => options.onOpenReadme?.(),
    },
    ...(isMac ? [] : [{ type: 'separator' }, { role: 'about' }] satisfies MenuItemConstructorOptions[]),
  ];
  return [
    ...(isMac ? [{ role: 'appMenu' }] satisfies MenuItemConstructorOptions[] : []),
    { label: isMac ? 'File' : '&File', submenu: appEntries },
    {
      label: isMac ? 'Edit' : '&Edit',
      submenu: [
        { role: 'undo' },
        { role: 'redo' },
        { type: 'separator' },
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        { role: 'selectAll' },
      ],
    },
    { label: isMac ? 'View' : '&View', submenu: view },
    { role: 'windowMenu', submenu: windowMenu },
    { role: 'help', submenu: help },
  ];
}

export function installApplicationMenu(options: MenuOptions): void {
  Menu.setApplicationMenu(Menu.buildFromTemplate(buildMenuTemplate(options)));
}
