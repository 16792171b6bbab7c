/**
 * The application menu: the app's own entries (new connection, export log), which reach the
 * renderer as menu actions, and the usual Edit, View, Window and Help menus built from
 * Electron's roles so shortcuts and platform conventions come for free.
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

export function buildMenuTemplate(options: MenuOptions): MenuItemConstructorOptions[] {
  const isMac = options.platform === 'darwin';
  const appEntries: MenuItemConstructorOptions[] = [
    { label: 'New Connection', accelerator: 'CmdOrCtrl+T', click: () => options.onAction('new-connection') },
    { label: 'Export Log…', accelerator: 'CmdOrCtrl+Shift+E', click: () => options.onAction('export-log') },
    { type: 'separator' },
    isMac ? { role: 'close' } : { role: 'quit' },
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
    { role: 'windowMenu' },
    { role: 'help', submenu: help },
  ];
}

export function installApplicationMenu(options: MenuOptions): void {
  Menu.setApplicationMenu(Menu.buildFromTemplate(buildMenuTemplate(options)));
}
