/**
 * Preload: runs in the sandboxed page with contextIsolation and exposes exactly one object,
 * `window.tunnelscope` (create-bridge.ts). Never ipcRenderer itself or a generic
 * invoke(channel): the page can reach only the contract's commands, and the main process
 * still checks every call.
 *
 * Everything it imports is bundled in and zod-free: a sandboxed preload can load nothing
 * but 'electron'.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { createBridge } from './create-bridge';

contextBridge.exposeInMainWorld('tunnelscope', createBridge(ipcRenderer));
