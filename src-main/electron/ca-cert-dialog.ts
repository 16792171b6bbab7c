/** The save dialog for the intercept CA certificate, attached to the window that asked (the main process's, which the page cannot fill in). */
import { app, BrowserWindow, dialog, type SaveDialogOptions } from 'electron';
import path from 'node:path';
import type { AppWindow } from './ipc-handlers';

export async function chooseCaCertFile(window: AppWindow, fileName: string): Promise<string | undefined> {
  const options: SaveDialogOptions = {
    title: 'Save the Tunnelscope intercept CA certificate',
    buttonLabel: 'Save certificate',
    defaultPath: path.join(app.getPath('downloads'), fileName),
    filters: [{ name: 'PEM certificate', extensions: ['pem', 'crt'] }],
    properties: ['showOverwriteConfirmation', 'createDirectory'],
  };
  const owner = BrowserWindow.fromWebContents(window.webContents);
  const chosen = owner ? await dialog.showSaveDialog(owner, options) : await dialog.showSaveDialog(options);
  return chosen.canceled || chosen.filePath === undefined || chosen.filePath === '' ? undefined : chosen.filePath;
}
