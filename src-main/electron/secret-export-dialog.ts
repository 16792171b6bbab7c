/**
 * The save dialog for an export with secrets, attached to the window that asked. It belongs to
 * the main process: the page can neither fill it in nor skip it.
 */
import { app, BrowserWindow, dialog, type SaveDialogOptions } from 'electron';
import path from 'node:path';
import type { AppWindow } from './ipc-handlers';
import { SECRET_EXPORT_FILE_NAME } from './secret-export-save';

export async function chooseSecretExportFile(window: AppWindow): Promise<string | undefined> {
  const options: SaveDialogOptions = {
    title: 'Export profiles WITH SECRETS in clear text',
    buttonLabel: 'Save with secrets',
    defaultPath: path.join(app.getPath('documents'), SECRET_EXPORT_FILE_NAME),
    filters: [{ name: 'Tunnelscope profiles', extensions: ['json'] }],
    properties: ['showOverwriteConfirmation', 'createDirectory'],
  };
  const owner = BrowserWindow.fromWebContents(window.webContents);
  const chosen = owner ? await dialog.showSaveDialog(owner, options) : await dialog.showSaveDialog(options);
  return chosen.canceled || chosen.filePath === undefined || chosen.filePath === '' ? undefined : chosen.filePath;
}
